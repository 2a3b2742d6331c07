#!/usr/bin/env bash
# Tacit `sasrec` vs a reference SASRec in TensorFlow on CPU (issue 6, point 5): the same length,
# dimension, blocks, heads, dropout, loss (full softmax), batch, learning rate and epochs; training
# time and test NDCG@10 / HR@10 side by side. Only training is timed; full ranking as EVALUATION.md.
# The reference is scripts/bench/sasrec_reference.py (its docstring gives the model, the loss and
# the protocol details): the paper's code by default, or with --match-tacit what Tacit adds to it.
#
#   MovieLens 100K (default): DATA/splits/loo/{train,valid,test}.csv; train = train + valid, test = test.
#   --generated N: `tacit generate --events N --seed SEED` into out/sasrec-generated, then both
#     systems split its events.csv with LOO as `tacit evaluate --data events.csv --protocol loo`.
#
# usage: scripts/bench-sasrec.sh [options]
#   --max-length N       sequence length (default 200; env MAX_LENGTH)
#   --dimension N        embedding width d (default 64; env DIMENSION)
#   --blocks N           self-attention blocks (default 2; env BLOCKS)
#   --heads N            attention heads (default 2; env HEADS)
#   --dropout X          dropout rate (default 0.2; env DROPOUT)
#   --epochs N           training epochs (default 100; env EPOCHS)
#   --batch-size N       users per batch (default 128; env BATCH_SIZE)
#   --learning-rate X    Adam learning rate (default 0.001; env LEARNING_RATE)
#   --threads N          threads of both tools (default 2; env THREADS)
#   --norm original|pre  the reference's LayerNorm placement (default original; env NORM)
#   --match-tacit        give the reference what Tacit's sasrec adds to the paper's code: an attention
#                        output projection, event-kind embeddings, gradient clipping at norm 5 (env MATCH_TACIT=1)
#   --valid              train without the validation events and score them (for tuning)
#   --generated N        use N generated events instead of MovieLens
#   env: DATA (default ../shared/data/ml-100k), SEED (42), TACIT (a built tacit binary to use
#        instead of building .build/release/tacit)
# Results: out/bench-sasrec.jsonl (out/bench-sasrec-generated.jsonl with --generated), logs beside
# it, and a side-by-side table on stdout. The virtualenv with TensorFlow is .bench-venv/ (created
# on first use; shared with bench-twotower.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_LENGTH=${MAX_LENGTH:-200}
DIMENSION=${DIMENSION:-64}
BLOCKS=${BLOCKS:-2}
HEADS=${HEADS:-2}
DROPOUT=${DROPOUT:-0.2}
EPOCHS=${EPOCHS:-100}
BATCH_SIZE=${BATCH_SIZE:-128}
LEARNING_RATE=${LEARNING_RATE:-0.001}
THREADS=${THREADS:-2}
NORM=${NORM:-original}
MATCH_TACIT=${MATCH_TACIT:-}
DATA=${DATA:-../shared/data/ml-100k}
SEED=${SEED:-42}
SPLIT=test
GENERATED=
while [ $# -gt 0 ]; do
  case "$1" in
    --max-length) MAX_LENGTH=$2; shift 2 ;;
    --dimension) DIMENSION=$2; shift 2 ;;
    --blocks) BLOCKS=$2; shift 2 ;;
    --heads) HEADS=$2; shift 2 ;;
    --dropout) DROPOUT=$2; shift 2 ;;
    --epochs) EPOCHS=$2; shift 2 ;;
    --batch-size) BATCH_SIZE=$2; shift 2 ;;
    --learning-rate) LEARNING_RATE=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --norm) NORM=$2; shift 2 ;;
    --match-tacit) MATCH_TACIT=1; shift ;;
    --valid) SPLIT=valid; shift ;;
    --generated) GENERATED=$2; shift 2 ;;
    -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

tacit_binary() {
  if [ -n "${TACIT:-}" ]; then echo "$TACIT"; else swift build -c release --product tacit >&2; echo .build/release/tacit; fi
}

mkdir -p out
T=
if [ -n "$GENERATED" ]; then
  T=$(tacit_binary)
  GEN=out/sasrec-generated
  "$T" generate --events "$GENERATED" --seed "$SEED" --threads "$THREADS" --output "$GEN" >&2
  EVENTS=$GEN/events.csv
  source_args=(--events "$EVENTS")
  TAG=-generated
else
  LOO=$DATA/splits/loo
  for f in "$LOO/train.csv" "$LOO/valid.csv" "$LOO/test.csv"; do
    [ -f "$f" ] || { echo "missing $f: MovieLens 100K is needed (set DATA)" >&2; exit 1; }
  done
  source_args=(--data "$DATA")
  TAG=
fi
RESULTS=out/bench-sasrec$TAG.jsonl
: > "$RESULTS"

# TensorFlow 2.15 (Keras 2), as bench-twotower.sh; pinned so reruns compare.
if [ ! -x .bench-venv/bin/python ] || ! .bench-venv/bin/python -c 'import tensorflow' 2>/dev/null; then
  echo "Creating .bench-venv with tensorflow-cpu 2.15.1 ..." >&2
  python3 -m venv .bench-venv
  .bench-venv/bin/pip install -q "tensorflow-cpu==2.15.1"
fi

echo "TensorFlow SASRec: L=$MAX_LENGTH d=$DIMENSION blocks=$BLOCKS heads=$HEADS dropout=$DROPOUT epochs=$EPOCHS batch=$BATCH_SIZE lr=$LEARNING_RATE norm=$NORM${MATCH_TACIT:+ match-tacit} threads=$THREADS split=$SPLIT${GENERATED:+ generated=$GENERATED} (log: out/bench-sasrec$TAG-tensorflow.log)" >&2
.bench-venv/bin/python scripts/bench/sasrec_reference.py "${source_args[@]}" --split "$SPLIT" --max-length "$MAX_LENGTH" \
  --dimension "$DIMENSION" --blocks "$BLOCKS" --heads "$HEADS" --dropout "$DROPOUT" --epochs "$EPOCHS" \
  --batch-size "$BATCH_SIZE" --learning-rate "$LEARNING_RATE" --norm "$NORM" ${MATCH_TACIT:+--match-tacit} --seed "$SEED" --threads "$THREADS" \
  2> "out/bench-sasrec$TAG-tensorflow.log" | tail -n 1 >> "$RESULTS" \
  || { echo "TensorFlow run failed; see out/bench-sasrec$TAG-tensorflow.log" >&2; exit 1; }

[ -n "$T" ] || T=$(tacit_binary)
# Not `tacit models | grep -q`: with pipefail, grep's early exit fails the pipeline (SIGPIPE).
models=$("$T" models 2>/dev/null || true)
if grep -q '^sasrec' <<<"$models"; then
  if [ -n "$GENERATED" ]; then
    if [ "$SPLIT" = test ]; then data=(--data "$EVENTS" --protocol loo)
    else  # `evaluate --data` scores the test events: the same LOO split, written with the kinds
      .bench-venv/bin/python scripts/bench/sasrec_reference.py --events "$EVENTS" --write-split "$GEN/split" 2>/dev/null
      data=(--train "$GEN/split/train.csv" --test "$GEN/split/valid.csv"); fi
  elif [ "$SPLIT" = test ]; then data=(--train "$LOO/train.csv" --train "$LOO/valid.csv" --test "$LOO/test.csv")
  else data=(--train "$LOO/train.csv" --test "$LOO/valid.csv"); fi
  params=(--param max_length="$MAX_LENGTH" --param dimension="$DIMENSION" --param blocks="$BLOCKS" --param heads="$HEADS"
          --param dropout="$DROPOUT" --param epochs="$EPOCHS" --param batch_size="$BATCH_SIZE" --param learning_rate="$LEARNING_RATE"
          --param warmup_steps=0)  # the reference has no warm-up
  # The seed too, when the model takes one (the lines of its block in `tacit models`).
  if awk '/^sasrec/{on=1; next} /^[^ ]/{on=0} on' <<<"$models" | grep -q '^ *seed ='; then params+=(--param seed="$SEED"); fi
  echo "Tacit sasrec ... (log: out/bench-sasrec$TAG-tacit.log)" >&2
  "$T" evaluate "${data[@]}" --model sasrec --threads "$THREADS" "${params[@]}" --json "out/bench-sasrec$TAG-tacit.json" \
    > "out/bench-sasrec$TAG-tacit.log" 2>&1 || { echo "Tacit run failed; see out/bench-sasrec$TAG-tacit.log" >&2; exit 1; }
  python3 - "out/bench-sasrec$TAG-tacit.json" >> "$RESULTS" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
r = r["results"][0] if "results" in r else r  # `evaluate --data` writes {"protocol", "results": [...]}
print(json.dumps({"system": "tacit-sasrec", "train_seconds": r["fit_seconds"], "NDCG@10": r["metrics"]["NDCG@10"],
                  "HR@10": r["metrics"]["HR@10"], "users": r["users"]}))
EOF
else
  echo "tacit has no 'sasrec' model yet (see \`tacit models\`): only the TensorFlow row is shown." >&2
fi

python3 - "$RESULTS" <<'EOF'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
reference = next((r for r in rows if r["system"] == "tensorflow-sasrec"), None)
print(f"{'system':<18} {'train s':>9} {'NDCG@10':>9} {'HR@10':>9} {'users':>6} {'time ratio':>10}")
for r in rows:
    ratio = f"x{r['train_seconds'] / reference['train_seconds']:.2f}" if reference and reference["train_seconds"] > 0 else "-"
    print(f"{r['system']:<18} {r['train_seconds']:>9.2f} {r['NDCG@10']:>9.4f} {r['HR@10']:>9.4f} {r['users']:>6} {ratio:>10}")
EOF
