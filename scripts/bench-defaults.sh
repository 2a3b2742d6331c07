#!/usr/bin/env bash
# Defaults that fit the log (issue 22): Tacit's `als` and `popular` with their defaults, no tuning,
# against implicit's ALS at the same factors / iterations / lambda, on logs of different shapes:
#   shop-purchases  the purchases of a generated shop with few users (3M events, 10,000 users: about
#                   7 purchases each), leave-last-out
#   shop-purchases-sparse  the purchases of the default-sized shop (150,000 users: most have one)
#   grocery         a repeat-heavy purchase log (scripts/bench/grocery_log.py), temporal split
#                   (train before the 80% time quantile, test after: new items only, full ranking)
#   shop            the generated shop with every kind (view, click, add_to_cart, purchase), LOO
#   ml-100k         MovieLens 100K's fixed LOO split (skipped when ../shared/data is absent)
# For every log: Tacit als with --kind-scale relative (the default) and absolute (the weights as
# they were before: purchase 8 even when a log has nothing else), popular, implicit 0.7.3 on
# Tacit's default matrix (c = 1 + alpha * w, the same objective) and implicit given the plain
# event-count matrix with its alpha (what a new user of implicit writes). Train = train + valid.
#
# usage: scripts/bench-defaults.sh        env: EVENTS (shop size, default 3000000), HOUSEHOLDS (4000),
#                                              THREADS (2), FACTORS/ITERATIONS/REGULARIZATION (64/15/0.01)
# Results: out/bench-defaults.jsonl and a table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${EVENTS:-3000000}
HOUSEHOLDS=${HOUSEHOLDS:-4000}
THREADS=${THREADS:-2}
FACTORS=${FACTORS:-64}
ITERATIONS=${ITERATIONS:-15}
REGULARIZATION=${REGULARIZATION:-0.01}

source scripts/ensure-deps.sh
swift build -c release --product tacit
T=.build/release/tacit
[ -x .venv/bin/python ] || python3 -m venv .venv
if ! .venv/bin/python -c 'import implicit, threadpoolctl, pandas, scipy, numpy; assert implicit.__version__ == "0.7.3"' 2>/dev/null; then
  .venv/bin/pip install -q "implicit==0.7.3" numpy scipy pandas threadpoolctl
fi

W=out/bench-defaults
mkdir -p $W
RESULTS=out/bench-defaults.jsonl
: > $RESULTS
CPU=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
echo "== defaults: als factors $FACTORS, iterations $ITERATIONS, lambda $REGULARIZATION, alpha 1; threads $THREADS"
echo "   machine: $(nproc) cores, ${CPU:-unknown cpu}; commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"

# Data.
if [ ! -f $W/shop/events.csv ]; then
  $T generate --events "$EVENTS" --seed 42 --output $W/shop > /dev/null
fi
[ -f $W/shop-few-users/events.csv ] || $T generate --events "$EVENTS" --users 10000 --seed 42 --output $W/shop-few-users > /dev/null
purchases() {  # purchases FROM TO: the purchase rows of an events.csv
  mkdir -p "$(dirname "$2")"
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "event" || $i == "kind") k = i; print; next } $k == "purchase"' "$1" > "$2"
}
[ -f $W/shop-purchases/events.csv ] || purchases $W/shop-few-users/events.csv $W/shop-purchases/events.csv
[ -f $W/shop-purchases-sparse/events.csv ] || purchases $W/shop/events.csv $W/shop-purchases-sparse/events.csv
[ -f $W/grocery/events.csv ] || .venv/bin/python scripts/bench/grocery_log.py --output $W/grocery --households "$HOUSEHOLDS"
[ -f $W/shop/splits/test.csv ] || $T split --data $W/shop/events.csv --protocol loo --output $W/shop/splits > /dev/null
for d in shop-purchases shop-purchases-sparse; do
  [ -f $W/$d/splits/test.csv ] || $T split --data $W/$d/events.csv --protocol loo --output $W/$d/splits > /dev/null
done
[ -f $W/grocery/splits/test.csv ] || $T split --data $W/grocery/events.csv --protocol temporal --output $W/grocery/splits > /dev/null

datasets=(shop-purchases:$W/shop-purchases/splits shop-purchases-sparse:$W/shop-purchases-sparse/splits grocery:$W/grocery/splits
          shop:$W/shop/splits)
if [ -f ../shared/data/ml-100k/splits/loo/test.csv ]; then
  datasets+=(ml-100k:../shared/data/ml-100k/splits/loo)
else
  echo "(ml-100k skipped: ../shared/data/ml-100k is absent)"
fi

record() { echo "{\"dataset\": \"$1\", \"run\": \"$2\", \"ndcg10\": $3, \"hr10\": $4}" >> $RESULTS; }
# metric FILE NAME: a metric from `tacit evaluate --json` (an object, or a list of one) or from bench_implicit.py (last line).
metric() {
  .venv/bin/python -c "import json,sys; t=open(sys.argv[1]).read().strip(); m=json.loads(t.splitlines()[-1]) if t.startswith('{\"label') else json.loads(t); m=m[0] if isinstance(m,list) else m; print(m['metrics'][sys.argv[2]])" "$@"
}

for entry in "${datasets[@]}"; do
  name=${entry%%:*}; dir=${entry#*:}
  train=(--train $dir/train.csv); [ -f $dir/valid.csv ] && train+=(--train $dir/valid.csv)
  echo "-- $name: $(( $(cat $dir/train.csv | wc -l) - 1 )) train rows"
  $T import --events $dir/train.csv | grep '^weights' || true
  for scale in relative absolute; do
    $T evaluate "${train[@]}" --test $dir/test.csv --model als --kind-scale $scale --param factors=$FACTORS \
      --param iterations=$ITERATIONS --param regularization=$REGULARIZATION --threads $THREADS --json $W/eval.json > /dev/null 2>&1
    record $name "tacit als ($scale)" "$(metric $W/eval.json NDCG@10)" "$(metric $W/eval.json HR@10)"
  done
  $T evaluate "${train[@]}" --test $dir/test.csv --model popular --threads $THREADS --json $W/eval.json > /dev/null 2>&1
  record $name "tacit popular" "$(metric $W/eval.json NDCG@10)" "$(metric $W/eval.json HR@10)"
  for mode in same counts; do
    extra=(); [ $mode = counts ] && extra=(--counts)
    .venv/bin/python scripts/bench_implicit.py --model als "${train[@]}" --test $dir/test.csv --factors $FACTORS \
      --iterations $ITERATIONS --regularization $REGULARIZATION --alpha 1 --threads $THREADS "${extra[@]}" 2> /dev/null > $W/py.json
    record $name "implicit als ($mode)" "$(metric $W/py.json NDCG@10)" "$(metric $W/py.json HR@10)"
  done
done

.venv/bin/python - "$RESULTS" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
datasets = list(dict.fromkeys(r["dataset"] for r in rows))
runs = list(dict.fromkeys(r["run"] for r in rows))
print("\n| run | " + " | ".join(datasets) + " |")
print("|---|" + "---:|" * len(datasets))
for run in runs:
    cells = []
    for d in datasets:
        m = [r for r in rows if r["dataset"] == d and r["run"] == run]
        cells.append(f"{m[0]['ndcg10']:.4f}" if m else "")
    print(f"| {run} | " + " | ".join(cells) + " |")
print("(NDCG@10, full ranking)")
EOF
