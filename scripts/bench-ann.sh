#!/usr/bin/env bash
# Approximate maximum-inner-product retrieval, side by side in one run on the same vectors and
# queries, one thread: Tacit's exact float scan, int8 scan and index (`tacit bench-ann`), and
# numpy/BLAS exact, ScaNN, faiss IVF / IVF-SQ8 / HNSW, hnswlib (scripts/bench/ann_reference.py).
# The vectors are the item factors of a 64-factor ALS model trained on a generated shop log,
# the queries its users' factors; with --ml1m, the item vectors of ALS (64 factors) and two-tower
# (defaults) models fitted on MovieLens 1M (train + valid of ../shared/data/ml-1m/fetch.sh's
# split), the queries their users' vectors.
#
# usage: scripts/bench-ann.sh [options]
#   --items N        catalogue size of the generated shop (default 100000; env ITEMS)
#   --events N       events of the generated shop (default 10000000; env EVENTS)
#   --users N        users (default: scaled from --events; env USERS)
#   --queries N      users drawn as queries (default 1000; env QUERIES)
#   --probes LIST    Tacit's leaves scored per query (default 16,24,32,48,64; env PROBES)
#   --methods LIST   reference methods (default exact,scann,faiss-ivf,faiss-ivf-sq8,faiss-hnsw,hnswlib; env METHODS)
#   --ml1m           MovieLens 1M's ALS and two-tower vectors instead of a generated shop (env ML1M=1;
#                    exits 0 with a message when the data cannot be fetched)
#   env: TACIT (a built tacit binary instead of building .build/release/tacit), WORK (default
#        out/bench-ann: the generated log, the model and the exported vectors are kept there and
#        reused when present)
# The virtualenv with the references is .ann-venv/ (created on first use).
set -euo pipefail
cd "$(dirname "$0")/.."

ITEMS=${ITEMS:-100000}
EVENTS=${EVENTS:-10000000}
USERS=${USERS:-}
QUERIES=${QUERIES:-1000}
PROBES=${PROBES:-16,24,32,48,64}
METHODS=${METHODS:-exact,scann,faiss-ivf,faiss-ivf-sq8,faiss-hnsw,hnswlib}
WORK=${WORK:-out/bench-ann}
ML1M=${ML1M:-}
while [ $# -gt 0 ]; do
  case "$1" in
    --items) ITEMS=$2; shift 2 ;;
    --events) EVENTS=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --queries) QUERIES=$2; shift 2 ;;
    --probes) PROBES=$2; shift 2 ;;
    --methods) METHODS=$2; shift 2 ;;
    --ml1m) ML1M=1; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ -z "${TACIT:-}" ]; then
  swift build -c release --product tacit >&2
  TACIT=.build/release/tacit
fi
[ -x .ann-venv/bin/python ] || python3 -m venv .ann-venv
if ! .ann-venv/bin/python -c 'import scann, faiss, hnswlib, numpy' 2>/dev/null; then
  .ann-venv/bin/pip install -q "scann==1.4.2" "faiss-cpu==1.15.1" "hnswlib==0.8.0" numpy >&2 \
    || .ann-venv/bin/pip install -q scann faiss-cpu hnswlib numpy >&2
fi

compare() {  # model-file vectors-directory
  echo "## Tacit (tacit bench-ann --model-file $1 --queries $QUERIES --probes $PROBES)"
  "$TACIT" bench-ann --model-file "$1" --queries "$QUERIES" --probes "$PROBES" --export "$2"
  echo
  echo "## references (scripts/bench/ann_reference.py, the same vectors and queries)"
  OMP_NUM_THREADS=1 .ann-venv/bin/python scripts/bench/ann_reference.py "$2" --methods "$METHODS" 2> >(grep -v -E '^(I0000|W0000|WARNING: All log)' >&2)
}

mkdir -p "$WORK"
echo "## $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
if [ -n "$ML1M" ]; then
  data=${DATA:-$(../shared/data/ml-1m/fetch.sh 2>/dev/null | tail -1 || true)}
  split=${data:-none}/splits/loo
  if [ ! -f "$split/train.csv" ]; then
    echo "MovieLens 1M is not available (../shared/data/ml-1m/fetch.sh failed): nothing to measure" >&2
    exit 0
  fi
  for model in als twotower; do
    file="$WORK/ml1m-$model.tacit"
    parameters=""
    [ "$model" = als ] && parameters="--param factors=64"
    if [ ! -f "$file" ]; then
      # shellcheck disable=SC2086
      "$TACIT" train --train "$split/train.csv" --train "$split/valid.csv" --model "$model" $parameters --output "$file" >&2
    fi
    echo "# MovieLens 1M, $model"
    compare "$file" "$WORK/vectors-ml1m-$model"
    echo
  done
  exit 0
fi

name="${ITEMS}items-${EVENTS}events${USERS:+-${USERS}users}"
shop="$WORK/shop-$name" model="$WORK/als-$name.tacit" vectors="$WORK/vectors-$name"
if [ ! -f "$shop/events.csv" ]; then
  "$TACIT" generate --events "$EVENTS" --items "$ITEMS" ${USERS:+--users "$USERS"} --output "$shop" >&2
fi
if [ ! -f "$model" ]; then
  "$TACIT" train --train "$shop/events.csv" --model als --param factors=64 --output "$model" >&2
fi
compare "$model" "$vectors"
