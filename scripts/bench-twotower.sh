#!/usr/bin/env bash
# Tacit `twotower` vs a TensorFlow Recommenders two-tower, on MovieLens 100K's LOO split
# (../shared/data/ml-100k: splits/loo/{train,valid,test}.csv and items.csv with genres).
# Train = train.csv + valid.csv, test = test.csv; full ranking as EVALUATION.md; only training is timed.
# The TFRS model is scripts/bench/tfrs_twotower.py (its docstring gives the towers and the loss).
#
# usage: scripts/bench-twotower.sh [options]
#   --dimension N        embedding/output width d (default 64; env DIMENSION)
#   --epochs N           training epochs (default 9; env EPOCHS)
#   --batch-size N       examples per batch (default 1024; env BATCH_SIZE)
#   --learning-rate X    Adam learning rate (default 0.01; env LEARNING_RATE)
#   --temperature X      softmax temperature (default 0.1; env TEMPERATURE)
#   --threads N          threads of both tools (default 2; env THREADS)
#   --valid              train on train.csv and score valid.csv instead (for tuning)
#   env: DATA (default ../shared/data/ml-100k), SEED (42), TACIT (a built tacit binary to use
#        instead of building .build/release/tacit)
# Results: out/bench-twotower.jsonl and a side-by-side table on stdout. The virtualenv with
# TensorFlow is .bench-venv/ (created on first use).
set -euo pipefail
cd "$(dirname "$0")/.."

DIMENSION=${DIMENSION:-64}
EPOCHS=${EPOCHS:-9}
BATCH_SIZE=${BATCH_SIZE:-1024}
LEARNING_RATE=${LEARNING_RATE:-0.01}
TEMPERATURE=${TEMPERATURE:-0.1}
THREADS=${THREADS:-2}
DATA=${DATA:-../shared/data/ml-100k}
SEED=${SEED:-42}
SPLIT=test
while [ $# -gt 0 ]; do
  case "$1" in
    --dimension) DIMENSION=$2; shift 2 ;;
    --epochs) EPOCHS=$2; shift 2 ;;
    --batch-size) BATCH_SIZE=$2; shift 2 ;;
    --learning-rate) LEARNING_RATE=$2; shift 2 ;;
    --temperature) TEMPERATURE=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --valid) SPLIT=valid; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
LOO=$DATA/splits/loo
for f in "$LOO/train.csv" "$LOO/valid.csv" "$LOO/test.csv" "$DATA/items.csv"; do
  [ -f "$f" ] || { echo "missing $f: MovieLens 100K is needed (set DATA)" >&2; exit 1; }
done

# TensorFlow 2.15 is the last release with Keras 2, which tensorflow-recommenders 0.7.3 needs;
# both ship wheels for CPython 3.9-3.11. Pinned so reruns compare.
if [ ! -x .bench-venv/bin/python ] || ! .bench-venv/bin/python -c 'import tensorflow_recommenders' 2>/dev/null; then
  echo "Creating .bench-venv with tensorflow-cpu 2.15.1 and tensorflow-recommenders 0.7.3 ..." >&2
  python3 -m venv .bench-venv
  .bench-venv/bin/pip install -q "tensorflow-cpu==2.15.1" "tensorflow-recommenders==0.7.3"
fi

mkdir -p out
RESULTS=out/bench-twotower.jsonl
: > "$RESULTS"

echo "TFRS two-tower: d=$DIMENSION epochs=$EPOCHS batch=$BATCH_SIZE lr=$LEARNING_RATE temperature=$TEMPERATURE threads=$THREADS split=$SPLIT" >&2
.bench-venv/bin/python scripts/bench/tfrs_twotower.py --data "$DATA" --split "$SPLIT" --dimension "$DIMENSION" --epochs "$EPOCHS" \
  --batch-size "$BATCH_SIZE" --learning-rate "$LEARNING_RATE" --temperature "$TEMPERATURE" --seed "$SEED" --threads "$THREADS" \
  2> out/bench-twotower-tfrs.log | tail -n 1 >> "$RESULTS" || { echo "TFRS run failed; see out/bench-twotower-tfrs.log" >&2; exit 1; }

if [ -n "${TACIT:-}" ]; then T=$TACIT; else swift build -c release --product tacit >&2; T=.build/release/tacit; fi
# Not `tacit models | grep -q`: with pipefail, grep's early exit fails the pipeline (SIGPIPE).
models=$("$T" models 2>/dev/null || true)
if grep -q '^twotower' <<<"$models"; then
  if [ "$SPLIT" = test ]; then train=(--train "$LOO/train.csv" --train "$LOO/valid.csv"); test=$LOO/test.csv
  else train=(--train "$LOO/train.csv"); test=$LOO/valid.csv; fi
  echo "Tacit twotower ..." >&2
  "$T" evaluate "${train[@]}" --test "$test" --items "$DATA/items.csv" --model twotower --threads "$THREADS" \
    --param dimension="$DIMENSION" --param epochs="$EPOCHS" --param batch_size="$BATCH_SIZE" \
    --param learning_rate="$LEARNING_RATE" --param temperature="$TEMPERATURE" --json out/bench-twotower-tacit.json >&2
  python3 - out/bench-twotower-tacit.json >> "$RESULTS" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps({"system": "tacit", "train_seconds": r["fit_seconds"], "NDCG@10": r["metrics"]["NDCG@10"], "HR@10": r["metrics"]["HR@10"]}))
EOF
else
  echo "tacit has no 'twotower' model yet (see \`tacit models\`): only the TFRS row is shown." >&2
fi

python3 - "$RESULTS" <<'EOF'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
print(f"{'system':<8} {'train s':>9} {'NDCG@10':>9} {'HR@10':>9}")
for r in rows:
    print(f"{r['system']:<8} {r['train_seconds']:>9.2f} {r['NDCG@10']:>9.4f} {r['HR@10']:>9.4f}")
tfrs = next((r for r in rows if r["system"] == "tfrs"), None)
tacit = next((r for r in rows if r["system"] == "tacit"), None)
if tfrs and tacit:
    print(f"tacit/tfrs: training time x{tacit['train_seconds'] / tfrs['train_seconds']:.2f}, NDCG@10 x{tacit['NDCG@10'] / tfrs['NDCG@10']:.2f}")
EOF
