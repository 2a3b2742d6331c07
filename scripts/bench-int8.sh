#!/usr/bin/env bash
# int8 tables against f32 (issue 19, point 2): each model fitted twice on train + valid, with
# `precision=f32` and `precision=int8`, saved, loaded by `tacit recommend --model-file`, and scored
# on test by scripts/bench/metrics_from_recommendations.py (full ranking, EVALUATION.md) — so the
# int8 numbers are those of the model as a service loads it. Prints NDCG@10, HR@10, the int8/f32
# ratio of NDCG@10, the top-10 overlap of the two models' lists and both file sizes.
#
#   scripts/bench-int8.sh                                   # ML-100K; ML-1M too when fetch.sh can get it
#   DATASETS=ml-100k MODELS=als,twotower scripts/bench-int8.sh
#
# Models and settings (fixed, not tuned here; the ratio is what is measured):
#   als       ML-100K: the tuned parameters of docs/models.md; ML-1M: factors=64 (defaults)
#   twotower  defaults
#   sasrec    ML-100K: defaults; ML-1M: d 64, mask, 45 epochs (docs/benchmarks.md), about 7 minutes a fit here
# env: TACIT (a built tacit binary; default: build .build/release/tacit), DATA100K (default
#      ../shared/data/ml-100k), DATA1M (default: ../shared/data/ml-1m/fetch.sh's directory),
#      THREADS (default 1: the two fits see the same training arithmetic; sasrec on ML-1M uses 2).
# Results: out/bench-int8/{DATASET}-{MODEL}-{f32,int8}.{tacit,csv,json} and the table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

MODELS=${MODELS:-als,twotower,sasrec}
DATASETS=${DATASETS:-ml-100k,ml-1m}
THREADS=${THREADS:-1}
OUT=out/bench-int8
mkdir -p "$OUT"
if [ -z "${TACIT:-}" ]; then
  swift build -c release --product tacit >&2
  TACIT=.build/release/tacit
fi

params() {  # dataset model -> --param flags
  case "$1/$2" in
    ml-100k/als) echo "--param factors=48 --param iterations=25 --param regularization=0.5275 --param alpha=23.18 --param frequency_scaling=0.9722 --param recency=3.022" ;;
    ml-1m/als) echo "--param factors=64" ;;
    ml-1m/sasrec) echo "--param dimension=64 --param mask_history=true --param epochs=45" ;;
    *) echo "" ;;
  esac
}

echo "| data | model | NDCG@10 f32 | NDCG@10 int8 | int8 / f32 | HR@10 f32 | HR@10 int8 | top-10 overlap | file f32 | file int8 |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for dataset in ${DATASETS//,/ }; do
  case "$dataset" in
    ml-100k) dir=${DATA100K:-../shared/data/ml-100k} ;;
    ml-1m)
      dir=${DATA1M:-}
      if [ -z "$dir" ]; then
        dir=$(../shared/data/ml-1m/fetch.sh 2>/dev/null | tail -1) || dir=""
        [ -n "$dir" ] || dir=${TACIT_DATA:-$HOME/.cache/tacit}/ml-1m
      fi ;;
    *) echo "unknown dataset $dataset" >&2; exit 2 ;;
  esac
  split=$dir/splits/loo
  if [ ! -f "$split/test.csv" ]; then
    echo "skipping $dataset: no $split/test.csv (ML-1M comes from ../shared/data/ml-1m/fetch.sh)" >&2
    continue
  fi
  for model in ${MODELS//,/ }; do
    threads=$THREADS
    [ "$dataset/$model" = "ml-1m/sasrec" ] && threads=2
    for precision in f32 int8; do
      base=$OUT/$dataset-$model-$precision
      # shellcheck disable=SC2046
      "$TACIT" train --train "$split/train.csv" --train "$split/valid.csv" --model "$model" $(params "$dataset" "$model") \
        --param precision=$precision --threads "$threads" --output "$base.tacit" > "$base.log" 2>&1
      "$TACIT" recommend --model-file "$base.tacit" --k 10 --output "$base.csv" >> "$base.log" 2>&1
      python3 scripts/bench/metrics_from_recommendations.py "$base.csv" "$split/test.csv" \
        --train "$split/train.csv" --train "$split/valid.csv" --k 10 > "$base.json"
    done
    python3 - "$OUT/$dataset-$model" "$dataset" "$model" <<'PY'
import csv, json, os, sys
from collections import defaultdict
base, dataset, model = sys.argv[1:4]
m = {p: json.load(open(f"{base}-{p}.json")) for p in ("f32", "int8")}
lists = {}
for p in ("f32", "int8"):
    rows = defaultdict(set)
    with open(f"{base}-{p}.csv", newline="") as f:
        for row in csv.DictReader(f):
            rows[row["user_id"]].add(row["item_id"])
    lists[p] = rows
users = lists["f32"].keys() & lists["int8"].keys()
overlap = sum(len(lists["f32"][u] & lists["int8"][u]) for u in users) / max(1, sum(len(lists["f32"][u]) for u in users))
size = {p: os.path.getsize(f"{base}-{p}.tacit") / 2**20 for p in ("f32", "int8")}
key = lambda p, name: next(v for k, v in m[p].items() if k.lower().startswith(name))
nf, ni = key("f32", "ndcg"), key("int8", "ndcg")
print(f"| {dataset} | {model} | {nf:.4f} | {ni:.4f} | {ni / nf:.4f} | {key('f32', 'hr'):.4f} | {key('int8', 'hr'):.4f} | {overlap:.3f} | {size['f32']:.1f} MiB | {size['int8']:.1f} MiB |")
PY
  done
done
