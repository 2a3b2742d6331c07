#!/usr/bin/env bash
# The main job: build Tacit, generate a sample shop, train and evaluate every model, print the
# comparison table. On MovieLens 100K too when ../shared/data is beside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
swift build -c release --product tacit
tacit=.build/release/tacit
out=out/demo
mkdir -p "$out"

echo "== Generating a sample shop (200k events) =="
$tacit generate --events 200000 --seed 42 --output "$out/shop"

echo
echo "== Sample shop, leave-last-out, all models =="
$tacit evaluate --data "$out/shop/events.csv" --protocol loo --items "$out/shop/items.csv" \
  --models popular,trending,itemknn --json "$out/shop-loo.json"

ml=../shared/data/ml-100k
if [ -f "$ml/splits/loo/train.csv" ]; then
  echo
  echo "== MovieLens 100K, the fixed leave-last-out split (train+valid -> test) =="
  $tacit evaluate --train "$ml/splits/loo/train.csv" --train "$ml/splits/loo/valid.csv" \
    --test "$ml/splits/loo/test.csv" --models popular,itemknn --json "$out/ml100k-loo.json"
else
  echo "(MovieLens 100K not found at $ml: skipped)"
fi
echo
echo "JSON results are in $out/"
