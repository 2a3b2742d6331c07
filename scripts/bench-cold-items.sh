#!/usr/bin/env bash
# Item cold start on MovieLens 100K (issue 21): `tacit split --protocol cold-items` withholds 15%
# of the items with at least 5 events (all their events test; as many again validate), and every
# model ranks only the withheld items, from their attributes (genres, year). Per seed:
#   Tacit content, hybrid and twotower, each tuned on validation (tacit tune --candidates,
#   TRIALS trials), then fitted on train + valid and evaluated on test (tacit evaluate --candidates);
#   LightFM WARP with genre + 5-year-bucket item features, epochs chosen on validation
#   (scripts/bench/lightfm_cold.py; PyPI lightfm built in .venv), and a genre-profile cosine.
# usage: scripts/bench-cold-items.sh      env: SEEDS ("1 2 3"), TRIALS (15), THREADS (2)
# Results: out/bench-cold-items.jsonl and a table (mean and spread over the seeds) on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS=${SEEDS:-1 2 3}
TRIALS=${TRIALS:-15}
THREADS=${THREADS:-2}
DATA=../shared/data/ml-100k
[ -f $DATA/ratings.csv ] || { echo "../shared/data/ml-100k is absent: nothing to measure"; exit 0; }

source scripts/ensure-deps.sh
swift build -c release --product tacit
T=$PWD/.build/release/tacit
[ -x .venv/bin/python ] || python3 -m venv .venv
if ! .venv/bin/python -c 'import lightfm, scipy, numpy' 2>/dev/null; then
  # lightfm 1.17's setup.py fails under build isolation with current setuptools.
  .venv/bin/pip install -q "setuptools<68" wheel "cython<3" numpy scipy
  .venv/bin/pip install -q --no-build-isolation lightfm
fi
W=out/bench-cold-items
rm -rf $W && mkdir -p $W
RESULTS=out/bench-cold-items.jsonl
: > $RESULTS
CPU=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
echo "== cold items on ML-100K; seeds $SEEDS; $TRIALS tune trials per model; machine: $(nproc) cores, ${CPU:-unknown cpu}; commit $(git rev-parse --short HEAD)"

for seed in $SEEDS; do
  S=$W/seed-$seed
  $T split --data $DATA/ratings.csv --protocol cold-items --seed $seed --output $S > $S.split.txt
  for model in content hybrid twotower; do
    $T tune --train $S/train.csv --valid $S/valid.csv --candidates $S/valid-candidates.csv --items $DATA/items.csv \
      --model $model --trials $TRIALS --seed $seed --threads $THREADS --json $S/$model-tune.json > /dev/null 2> $S/$model-tune.err
    params=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["best"]["parameters"]; print(" ".join(f"--param {k}={v}" for k,v in sorted(p.items())))' $S/$model-tune.json)
    # shellcheck disable=SC2086
    $T evaluate --train $S/train.csv --train $S/valid.csv --test $S/test.csv --candidates $S/test-candidates.csv --items $DATA/items.csv \
      --model $model $params --threads $THREADS --json $S/$model.json > /dev/null 2> $S/$model.err
  done
  .venv/bin/python scripts/bench/lightfm_cold.py --train $S/train.csv --train $S/valid.csv --test $S/test.csv \
    --candidates $S/test-candidates.csv --valid-train $S/train.csv --valid $S/valid.csv --valid-candidates $S/valid-candidates.csv \
    --items $DATA/items.csv --seed $seed --threads $THREADS | tail -1 > $S/references.json
  python3 - "$seed" "$S" "$RESULTS" <<'PY'
import json, sys
seed, S, results = sys.argv[1:]
row = {"seed": int(seed)}
for model in ["content", "hybrid", "twotower"]:
    r = json.load(open(f"{S}/{model}.json"))
    row[model] = r["metrics"]["NDCG@10"]
    row[model + "_users"] = r["users"]
refs = json.load(open(f"{S}/references.json"))
row["lightfm"] = refs["lightfm"]["NDCG@10"]
row["lightfm_users"] = refs["lightfm"]["users"]
row["lightfm_epochs"] = refs["lightfm_epochs"]
row["genre_cosine"] = refs["genre_cosine"]["NDCG@10"]
open(results, "a").write(json.dumps(row) + "\n")
print(json.dumps(row))
PY
done

python3 - "$RESULTS" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("\n| NDCG@10 among the withheld items | " + " | ".join(f"seed {r['seed']}" for r in rows) + " | mean | vs LightFM |")
print("|---|" + "---:|" * (len(rows) + 2))
lightfm = statistics.mean(r["lightfm"] for r in rows)
for name in ["twotower", "hybrid", "content", "lightfm", "genre_cosine"]:
    values = [r[name] for r in rows]
    mean = statistics.mean(values)
    print(f"| {name} | " + " | ".join(f"{v:.4f}" for v in values) + f" | {mean:.4f} | {mean / lightfm:.2f}x |")
PY
