#!/usr/bin/env bash
# Feature hashing against exact tables (issue 19, point 4): the two-tower (id tables, genre
# vocabulary) and the content model (title-token, genre and year vocabularies) fitted on ML-1M
# train + valid with --items items.csv at several `hash_buckets`, saved, loaded by
# `tacit recommend --model-file`, and scored on test by scripts/bench/metrics_from_recommendations.py
# (full ranking, EVALUATION.md). Prints NDCG@10, HR@10, the ratio to the exact model, the rows
# and MiB of the hashed tables and the model file's size.
#
#   scripts/bench-hashing.sh                               # ML-1M (from ../shared/data/ml-1m/fetch.sh)
#   BUCKETS=0,1024 MODELS=twotower scripts/bench-hashing.sh
#   tacit generate --events 2000000 --items 200000 -o shop && tacit split --data shop/events.csv --output shop/splits/loo
#   DATA=shop MODELS=twotower BUCKETS=0,65536,16384 scripts/bench-hashing.sh   # a long-tail catalogue
#
# Table rows follow the documented rule (a table with more values than buckets has `buckets`
# rows): the two-tower's id tables are the user table and three item tables (query history,
# recent items, candidate id), each `dimension` (64) floats a row, users and items counted in
# train + valid; the content model's columns are counted from the fit's "N features" line.
# env: TACIT (a built tacit binary; default: build .build/release/tacit), DATA (a directory with
#      items.csv and splits/loo/{train,valid,test}.csv; default: ML-1M from fetch.sh), THREADS
#      (default 2), BUCKETS (default 0,4096,2048,1024,512; 0 = exact).
# Results: out/bench-hashing/{DATA name}-{MODEL}-{BUCKETS}.{tacit,csv,json,log} and the table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

MODELS=${MODELS:-twotower,content}
BUCKETS=${BUCKETS:-0,4096,2048,1024,512}
THREADS=${THREADS:-2}
OUT=out/bench-hashing
if [ -z "${TACIT:-}" ]; then
  swift build -c release --product tacit >&2
  TACIT=.build/release/tacit
fi
dir=${DATA:-}
if [ -z "$dir" ]; then
  dir=$(../shared/data/ml-1m/fetch.sh 2>/dev/null | tail -1) || dir=""
  [ -n "$dir" ] || dir=${TACIT_DATA:-$HOME/.cache/tacit}/ml-1m
fi
split=$dir/splits/loo
if [ ! -f "$split/test.csv" ]; then
  echo "skipping: no $split/test.csv (ML-1M comes from ../shared/data/ml-1m/fetch.sh)" >&2
  exit 0
fi
name=$(basename "$dir")
mkdir -p "$OUT"

echo "| model | hash_buckets | NDCG@10 | HR@10 | NDCG@10 / exact | hashed table rows | table MiB | file MiB | fit s |"
echo "|---|---|---|---|---|---|---|---|---|"
for model in ${MODELS//,/ }; do
  for buckets in ${BUCKETS//,/ }; do
    base=$OUT/$name-$model-$buckets
    start=$(date +%s.%N)
    "$TACIT" train --train "$split/train.csv" --train "$split/valid.csv" --items "$dir/items.csv" --model "$model" \
      --param hash_buckets="$buckets" --threads "$THREADS" --output "$base.tacit" --verbose > "$base.log" 2>&1
    end=$(date +%s.%N)
    "$TACIT" recommend --model-file "$base.tacit" --k 10 --output "$base.csv" >> "$base.log" 2>&1
    python3 scripts/bench/metrics_from_recommendations.py "$base.csv" "$split/test.csv" \
      --train "$split/train.csv" --train "$split/valid.csv" --k 10 > "$base.json"
    python3 - "$OUT/$name" "$model" "$buckets" "$start" "$end" "$split" <<'PY'
import csv, json, os, re, sys
out, model, buckets, start, end, split = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
def metrics(b):
    m = json.load(open(f"{out}-{model}-{b}.json"))
    return (next(v for k, v in m.items() if k.lower().startswith("ndcg")), next(v for k, v in m.items() if k.lower().startswith("hr")))
ndcg, hr = metrics(buckets)
exact = metrics(0)[0] if os.path.exists(f"{out}-{model}-0.json") else float("nan")
rows = lambda n: min(n, buckets) if buckets > 0 else n
if model == "twotower":
    users, items, d = set(), set(), 64
    for part in ("train", "valid"):
        with open(f"{split}/{part}.csv", newline="") as f:
            for row in csv.DictReader(f):
                users.add(row["user_id"]); items.add(row["item_id"])
    users, items = len(users), len(items)
    table_rows = rows(users) + 3 * rows(items)
    mib = table_rows * d * 4 / 2**20
    shown = f"{rows(users):,} + 3 × {rows(items):,}"
else:
    log = open(f"{out}-{model}-{buckets}.log").read()
    found = re.findall(r"(\d+) features for", log)
    table_rows = int(found[-1]) if found else 0
    mib = table_rows * 8 / 2**20  # a column's IDF and group, and its id in the profile matrix's map (at least)
    shown = f"{table_rows:,} columns"
size = os.path.getsize(f"{out}-{model}-{buckets}.tacit") / 2**20
label = "exact" if buckets == 0 else f"{buckets:,}"
print(f"| {model} | {label} | {ndcg:.4f} | {hr:.4f} | {ndcg / exact:.3f} | {shown} | {mib:.2f} | {size:.1f} | {end - start:.0f} |")
PY
  done
done
