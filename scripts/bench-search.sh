#!/usr/bin/env bash
# The service's background search (training.search) against a 60-trial `tacit tune` on the same
# holdout (issue 22): `tacit serve --sample …` with `training.search` on and a budget of
# BUDGET seconds, left alone until the search finishes; beside it `tacit tune --trials 60` with
# train = every event but each user's last, valid = the last events (the service's holdout).
# Datasets: MovieLens 100K (the service's --sample movielens; the CLI side reads the fixed LOO
# split, train + valid vs test, which is the same holdout) and the generated 200k-event shop
# (--sample shop; the CLI side generates the same shop with seed 42 and splits it LOO), and
# `sparse`: the purchases of a generated 3M-event shop (150,000 users, most with one purchase:
# the log where every ALS loses to popularity), posted to an empty service over HTTP.
# MODELS=auto lets the service choose among models ("models": "auto") against
# `tacit tune --auto --trials TRIALS`; MODELS=a,b a list; empty (default) tunes MODEL only.
# TUNE_BUDGET=300 gives the CLI side a time budget instead of TRIALS (sasrec trials take minutes).
#
# usage: scripts/bench-search.sh      env: MODEL (als), MODELS (""), BUDGET (300), TRIALS (60),
#                                          TUNE_BUDGET (""), THREADS (2), DATASETS ("ml-100k shop"),
#                                          PORT (18190), APPEND (""; 1 keeps earlier results)
# Results: out/bench-search.jsonl and a table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${MODEL:-als}
MODELS=${MODELS:-}
BUDGET=${BUDGET:-300}
TRIALS=${TRIALS:-60}
TUNE_BUDGET=${TUNE_BUDGET:-}
THREADS=${THREADS:-2}
DATASETS=${DATASETS:-ml-100k shop}
PORT=${PORT:-18190}

source scripts/ensure-deps.sh
swift build -c release --product tacit
T=$PWD/.build/release/tacit
W=out/bench-search
[ -n "${APPEND:-}" ] || rm -rf $W
mkdir -p $W
RESULTS=out/bench-search.jsonl
[ -n "${APPEND:-}" ] || : > $RESULTS
CPU=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
echo "== service search ($MODEL${MODELS:+ among $MODELS}, ${BUDGET} s) vs tacit tune --trials $TRIALS; machine: $(nproc) cores, ${CPU:-unknown cpu}; commit $(git rev-parse --short HEAD)"

for dataset in $DATASETS; do
  case $dataset in
    ml-100k)
      split=../shared/data/ml-100k/splits/loo
      [ -f $split/test.csv ] || { echo "(ml-100k skipped: ../shared/data/ml-100k is absent)"; continue; }
      sample=(--sample movielens)
      items=(--items ../shared/data/ml-100k/items.csv) ;;
    shop)
      $T generate --events 200000 --seed 42 --output $W/shop > /dev/null
      $T split --data $W/shop/events.csv --protocol loo --output $W/shop/splits > /dev/null
      split=$W/shop/splits
      sample=(--sample shop --sample-events 200000)
      items=(--items $W/shop/items.csv) ;;
    sparse)
      if [ ! -f $W/sparse/splits/test.csv ]; then
        $T generate --events 3000000 --seed 42 --output $W/sparse-shop > /dev/null
        mkdir -p $W/sparse
        awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "event" || $i == "kind") k = i; print; next } $k == "purchase"' \
          $W/sparse-shop/events.csv > $W/sparse/events.csv
        $T split --data $W/sparse/events.csv --protocol loo --output $W/sparse/splits > /dev/null
      fi
      split=$W/sparse/splits
      sample=()
      items=() ;;
    *) echo "unknown dataset $dataset" >&2; exit 2 ;;
  esac

  case $MODELS in
    "") choice=(--model $MODEL); search_models="" ;;
    auto) choice=(--auto); search_models=', "models": "auto"' ;;
    *) choice=(--models $MODEL,$MODELS); search_models=", \"models\": [\"$(echo $MODELS | sed 's/,/", "/g')\"]" ;;
  esac
  limit=(--trials $TRIALS)
  [ -z "$TUNE_BUDGET" ] || limit=(--budget $TUNE_BUDGET)
  echo "-- $dataset: tacit tune ${choice[*]} ${limit[*]} (train + valid -> test)"
  start=$(date +%s)
  $T tune --train $split/train.csv --train $split/valid.csv --valid $split/test.csv "${choice[@]}" "${limit[@]}" ${items[@]+"${items[@]}"} \
    --threads $THREADS --json $W/$dataset-tune.json > $W/$dataset-tune.txt 2> $W/$dataset-tune.err
  tune_seconds=$(( $(date +%s) - start ))
  tail -2 $W/$dataset-tune.txt

  echo "-- $dataset: tacit serve with training.search (budget $BUDGET s)"
  cat > $W/$dataset.json <<EOF
{"model": {"name": "$MODEL"}, "training": {"evaluate": false, "threads": $THREADS, "search": {"budget_seconds": $BUDGET$search_models}}}
EOF
  rm -rf $W/$dataset-store && mkdir -p $W/$dataset-store
  $T serve --store $W/$dataset-store/tacit.sqlite --config $W/$dataset.json --port $PORT ${sample[@]+"${sample[@]}"} \
    > $W/$dataset-serve.log 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  if [ ${#sample[@]} -eq 0 ]; then
    # An empty service: post the events (train + valid + test, in time order), then train the first version.
    for _ in $(seq 60); do curl -sf localhost:$PORT/healthz > /dev/null && break; sleep 1; done
    python3 - "$PORT" $split/train.csv $split/valid.csv $split/test.csv <<'PY'
import csv, json, sys, urllib.request
port, paths = sys.argv[1], sys.argv[2:]
rows = [r for p in paths for r in csv.DictReader(open(p))]
rows.sort(key=lambda r: int(r["timestamp"]))
for k in range(0, len(rows), 1000):
    events = [{"user_id": r["user_id"], "item_id": r["item_id"], "kind": r.get("kind") or r.get("event"),
               "timestamp": int(r["timestamp"])} for r in rows[k:k + 1000]]
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/events", data=json.dumps({"events": events}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(request).read()
print(f"posted {len(rows)} events")
PY
    curl -sf -X POST localhost:$PORT/v1/models/train > /dev/null
  fi
  start=$(date +%s)
  phase=""
  while [ $(( $(date +%s) - start )) -lt $(( BUDGET * 3 + 600 )) ]; do
    sleep 5
    phase=$(curl -sf localhost:$PORT/v1/models | python3 -c 'import json,sys; print((json.load(sys.stdin).get("search") or {}).get("phase", ""))' 2>/dev/null || true)
    [ "$phase" = finished ] || [ "$phase" = failed ] && break
  done
  service_seconds=$(( $(date +%s) - start ))
  curl -sf localhost:$PORT/v1/models > $W/$dataset-models.json
  kill $server; wait $server 2>/dev/null || true
  trap - EXIT

  python3 - "$dataset" "$W/$dataset-tune.json" "$W/$dataset-models.json" "$tune_seconds" "$service_seconds" "$RESULTS" <<'PY'
import json, sys
dataset, tune_path, models_path, tune_seconds, service_seconds, results = sys.argv[1:]
tune = json.load(open(tune_path))
search = json.load(open(models_path))["search"]
tuned = tune["best"]["metrics"]["NDCG@10"]
found = search["best"]["value"] if search.get("best") else None
row = {"dataset": dataset, "tune_trials": len(tune["trials"]), "tune_best": tuned, "tune_seconds": int(tune_seconds),
       "search_phase": search["phase"], "search_trials": len(search["trials"]), "search_spent_seconds": search["spent_seconds"],
       "search_baseline": search["baseline"]["value"] if search.get("baseline") else None, "search_best": found,
       "ratio": found / tuned if found and tuned else None, "applied_version": search.get("applied_version"),
       "adopted": search.get("adopted_parameters"), "adopted_model": search.get("adopted_model"),
       "tune_best_model": tune["best"]["model"], "search_best_model": search["best"]["model"] if search.get("best") else None,
       "search_models": search.get("models"), "wall_seconds": int(service_seconds)}
open(results, "a").write(json.dumps(row) + "\n")
print(json.dumps(row))
PY
done

python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("\n| dataset | tune: trials, best NDCG@10 (model) | service search: trials, spent s | baseline | best (model) | best / tune |")
print("|---|---|---|---:|---:|---:|")
for r in rows:
    print(f"| {r['dataset']} | {r['tune_trials']}, {r['tune_best']:.4f} ({r['tune_best_model']}) | {r['search_trials']}, {r['search_spent_seconds']:.0f} | "
          f"{r['search_baseline'] or 0:.4f} | {r['search_best'] or 0:.4f} ({r['search_best_model']}) | {r['ratio'] or 0:.3f} |")
PY
