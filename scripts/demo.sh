#!/usr/bin/env bash
# The main job: build Tacit, generate a sample shop, split it leave-last-out, tune item-kNN on the
# validation events, then train every model on train + validation and print the comparison on the
# test events. The same on MovieLens 100K when ../shared/data is beside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
swift build -c release --product tacit
tacit=.build/release/tacit
out=out/demo
mkdir -p "$out"

# tune_and_compare NAME TRAIN VALID TEST [extra evaluate flags...]
tune_and_compare() {
  local name=$1 train=$2 valid=$3 test=$4; shift 4
  echo "-- tuning itemknn on $name validation events (30 trials; progress on stderr is hidden)"
  local best
  best=$($tacit tune --train "$train" --valid "$valid" --model itemknn --trials 30 --json "$out/$name-tune.json" 2>/dev/null)
  echo "$best"
  local params
  params=$(echo "$best" | tail -1 | sed 's/--param /--param itemknn./g')
  echo "-- all models, trained on train + valid, ranked for the test events"
  # shellcheck disable=SC2086
  $tacit evaluate --train "$train" --train "$valid" --test "$test" --models popular,trending,itemknn \
    $params "$@" --json "$out/$name-test.json" 2>/dev/null
}

echo "== Generating a sample shop (200k events: views, clicks, carts, purchases) =="
$tacit generate --events 200000 --seed 42 --output "$out/shop"
$tacit split --data "$out/shop/events.csv" --protocol loo --output "$out/shop/loo" >/dev/null
echo
echo "== Sample shop, leave-last-out =="
tune_and_compare shop "$out/shop/loo/train.csv" "$out/shop/loo/valid.csv" "$out/shop/loo/test.csv" \
  --items "$out/shop/items.csv"

ml=../shared/data/ml-100k/splits/loo
if [ -f "$ml/train.csv" ]; then
  echo
  echo "== MovieLens 100K, the fixed leave-last-out split =="
  tune_and_compare ml100k "$ml/train.csv" "$ml/valid.csv" "$ml/test.csv"
else
  echo "(MovieLens 100K not found at ../shared/data/ml-100k: skipped)"
fi
echo
echo "JSON results (tuning trials and test metrics) are in $out/"
