#!/usr/bin/env bash
# The main job: build Tacit, generate a sample shop, split it leave-last-out, tune item-kNN, ALS and
# EASE on the validation events, then train every model on train + validation and print the
# comparison on the test events; save the tuned ALS as a model file and fold a new visitor's clicks
# into it without retraining. The same comparison on MovieLens 100K when ../shared/data is beside
# the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
swift build -c release --product tacit
tacit=.build/release/tacit
out=out/demo
mkdir -p "$out"

# Models tuned on the validation events (name:trials); the others keep their defaults.
tuned_models=(itemknn:30 als:30 ease:12)

# tune_and_compare NAME TRAIN VALID TEST [extra evaluate flags...]
tune_and_compare() {
  local name=$1 train=$2 valid=$3 test=$4; shift 4
  local params=""
  for entry in "${tuned_models[@]}"; do
    local model=${entry%%:*} trials=${entry##*:}
    echo "-- tuning $model on $name validation events ($trials trials; progress on stderr is hidden)"
    local best
    best=$($tacit tune --train "$train" --valid "$valid" --model "$model" --trials "$trials" --json "$out/$name-tune-$model.json" 2>/dev/null)
    echo "$best"
    echo "$best" | tail -1 > "$out/$name-best-$model.txt"
    params="$params $(echo "$best" | tail -1 | sed "s/--param /--param $model./g")"
  done
  echo "-- all models, trained on train + valid, ranked for the test events"
  # shellcheck disable=SC2086
  $tacit evaluate --train "$train" --train "$valid" --test "$test" --models popular,trending,itemknn,als,bpr,ease \
    $params "$@" --json "$out/$name-test.json" 2>/dev/null
}

echo "== Generating a sample shop (200k events: views, clicks, carts, purchases) =="
$tacit generate --events 200000 --seed 42 --output "$out/shop"
$tacit split --data "$out/shop/events.csv" --protocol loo --output "$out/shop/loo" >/dev/null
echo
echo "== Sample shop, leave-last-out =="
tune_and_compare shop "$out/shop/loo/train.csv" "$out/shop/loo/valid.csv" "$out/shop/loo/test.csv" \
  --items "$out/shop/items.csv"

echo
echo "== Model file and fold-in: the tuned ALS, saved, then a new visitor's clicks folded in =="
# shellcheck disable=SC2046
$tacit train --train "$out/shop/loo/train.csv" --train "$out/shop/loo/valid.csv" --model als \
  $(cat "$out/shop-best-als.txt") --output "$out/shop-als.tacit" --json "$out/shop-als-train.json"
visitor=$(awk -F, 'NR > 1 && NR <= 4 { print "visitor-1," $2 ",click,2000000000" }' "$out/shop/loo/test.csv")
printf 'user_id,item_id,kind,timestamp\n%s\n' "$visitor" > "$out/visitor.csv"
echo "new visitor clicked: $(cut -d, -f2 "$out/visitor.csv" | tail -n +2 | tr '\n' ' ')"
$tacit recommend --model-file "$out/shop-als.tacit" --events "$out/visitor.csv" --k 5 --output -

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
