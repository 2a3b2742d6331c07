#!/usr/bin/env bash
# Repeat consumption (issue 21, point 5): "buy it again" (the `repeat` source) alone, a model
# alone, and the two blended as a scene blends them, with `tacit evaluate --allow-repeats`
# (previously consumed items count). Leave-last-out, train = train + valid, full ranking.
#   grocery  a repeat-heavy purchase log (scripts/bench/grocery_log.py, 4,000 households): the
#            repeat list counts purchases
#   shop     the generated 3M-event shop (150,000 users): a third of its users' last event is an
#            item they had seen before; the repeat list counts every kind (re-visits)
# For each log: als and ease (grocery) or als (shop; ease on its 30k items takes minutes), each
# with the repeat weights in WEIGHTS.
#
# usage: scripts/bench-repeats.sh        env: WEIGHTS ("1 1.5 2"), EVENTS (3000000), HOUSEHOLDS (4000)
# Results: out/bench-repeats/*.json and a table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
WEIGHTS=${WEIGHTS:-"1 1.5 2"}
EVENTS=${EVENTS:-3000000}
HOUSEHOLDS=${HOUSEHOLDS:-4000}

source scripts/ensure-deps.sh
swift build -c release --product tacit
T=.build/release/tacit
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -c 'import numpy' 2>/dev/null || .venv/bin/pip install -q numpy

W=out/bench-repeats
mkdir -p $W
CPU=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
echo "== repeat consumption: machine $(nproc) cores, ${CPU:-unknown cpu}; commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -f $W/grocery/events.csv ] || .venv/bin/python scripts/bench/grocery_log.py --output $W/grocery --households "$HOUSEHOLDS"
[ -f $W/grocery/splits/test.csv ] || $T split --data $W/grocery/events.csv --protocol loo --output $W/grocery/splits > /dev/null
[ -f $W/shop/events.csv ] || $T generate --events "$EVENTS" --seed 42 --output $W/shop > /dev/null
[ -f $W/shop/splits/test.csv ] || $T split --data $W/shop/events.csv --protocol loo --output $W/shop/splits > /dev/null

row() {  # row JSON WEIGHT: one line per model row of an --allow-repeats evaluation
  .venv/bin/python - "$@" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1])); weight = sys.argv[2]
m = lambda metrics: "%.4f" % metrics["NDCG@10"]
repeat = next(r for r in doc["results"] if r["model"] == "repeat")
for r in doc["results"]:
    if r["model"] == "repeat":
        continue
    b = r["breakdown"]
    best = max(float(b["repeats allowed"]["NDCG@10"]), float(repeat["metrics"]["NDCG@10"]))
    print(f"| {r['model']} | {weight} | {m(r['metrics'])} | {m(b['repeats allowed'])} | {m(repeat['metrics'])} | **{m(b['+ repeat'])}** | {float(b['+ repeat']['NDCG@10']) / best:.3f} |")
PY
}

echo "| log | model | weight | new items only | model, repeats allowed | repeat alone | model + repeat | blend / best alone |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for data in grocery shop; do
  S=$W/$data/splits
  if [ $data = grocery ]; then models=als,ease; kinds=purchase; else models=als; kinds=view,click,add_to_cart,purchase; fi
  for w in $WEIGHTS; do
    $T evaluate --train $S/train.csv --train $S/valid.csv --test $S/test.csv --models $models --allow-repeats \
      --repeat-weight "$w" --repeat-kinds $kinds --json $W/$data-$w.json > $W/$data-$w.txt 2> $W/$data-$w.log
    row $W/$data-$w.json "$w" | sed "s/^| /| $data | /"
  done
done
