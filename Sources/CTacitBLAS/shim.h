#ifndef CTACITBLAS_SHIM_H
#define CTACITBLAS_SHIM_H
// OpenBLAS (CBLAS interface) and LAPACKE, from Debian's libopenblas-dev and liblapacke-dev.
#include <cblas.h>
#include <lapacke.h>
// Declared here as well because some cblas.h alternatives omit it.
void openblas_set_num_threads(int num_threads);
char *openblas_get_corename(void);
#endif
