// XGBoost's C API (Debian: libxgboost-dev; Homebrew: xgboost), for Tacit's learned ranking stage.
#include <xgboost/c_api.h>
