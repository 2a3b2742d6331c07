#!/usr/bin/env bash
# Installs the Debian packages Tacit needs when they are missing (OpenBLAS + LAPACKE, SQLite, XGBoost; plus $TACIT_EXTRA_PACKAGES).
# Sourced by scripts/demo.sh and scripts/test.sh; safe to run again.
set -euo pipefail

if ! command -v swift >/dev/null 2>&1; then
  echo "Tacit needs a Swift 6 toolchain (swift.org/install); 'swift' is not on PATH." >&2
  exit 1
fi

if [ "$(uname)" = "Linux" ]; then
  missing=()
  for pkg in libopenblas-dev liblapacke-dev libsqlite3-dev libxgboost-dev ${TACIT_EXTRA_PACKAGES:-}; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} ..." >&2
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
