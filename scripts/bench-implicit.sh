#!/usr/bin/env bash
# Tacit vs the Python reference libraries, in one run, on the same files and settings:
#   als  — Tacit `als`  vs implicit's AlternatingLeastSquares (CPU, conjugate gradient)
#   bpr  — Tacit `bpr`  vs implicit's BayesianPersonalizedRanking
#   ease — Tacit `ease` vs a numpy EASE (G = XᵀX + λI, P = G⁻¹, B = −P / diag(P), diag(B) = 0)
# on generated shops (`tacit generate`, split leave-last-out with `tacit split`) and on
# MovieLens 100K's fixed LOO split (../shared/data/ml-100k, skipped with a message when absent).
# Train = train.csv + valid.csv, test = test.csv, for both tools.
#
# usage: scripts/bench-implicit.sh [options] [event counts...]     (default: 1000000 10000000)
#   --models LIST       comma-separated subset of als,bpr,ease (default: all; env MODELS)
#   --factors N         factors of als and bpr (default 64; env FACTORS)
#   --iterations N      als iterations (default 10; env ITERATIONS)
#   --threads N         threads of both tools (default 2; env THREADS)
#   --bpr-epochs N      bpr epochs = implicit's iterations (default 100, both libraries' default; env BPR_EPOCHS)
#   --repeats N         fit each model N times with each tool, alternating, and report the fastest fit
#                       (default 1; env REPEATS); NDCG and the evaluation run come from the first run
#   --no-movielens      skip MovieLens 100K
#   env: REGULARIZATION (als, 0.01), ALPHA (als, 1), BPR_LEARNING_RATE (0.01), BPR_REGULARIZATION (0.01),
#        EASE_LAMBDA (500), ITEMS (items of every generated shop; default: tacit's scaling below 10M
#        events, events/100 from 10M: 500k users x 100k items at 10M), SMALL_MAX_EVENTS (bpr and
#        ease run on ML-100K and on shops up to this many events, default 1000000), EASE_MAX_ITEMS
#        (ease only with at most this many items, default 20000), APPEND=1 (keep the earlier results
#        in out/bench-implicit.jsonl; the table shows the latest result per dataset and model).
#
# For every dataset and model: `tacit train` under /usr/bin/time (fit_seconds from its JSON, the
# process peak RSS = load + fit + save), `tacit evaluate` under /usr/bin/time (NDCG@10, HR@10; peak
# of load + fit + evaluation), then scripts/bench_implicit.py under /usr/bin/time (fit_seconds of
# the .fit call, the peak after load + fit from getrusage, and the process peak after evaluation).
# One process at a time. Results: out/bench-implicit.jsonl, and a side-by-side table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

MODELS=${MODELS:-als,bpr,ease}
FACTORS=${FACTORS:-64}
ITERATIONS=${ITERATIONS:-10}
THREADS=${THREADS:-2}
REGULARIZATION=${REGULARIZATION:-0.01}
ALPHA=${ALPHA:-1}
BPR_EPOCHS=${BPR_EPOCHS:-100}
BPR_LEARNING_RATE=${BPR_LEARNING_RATE:-0.01}
BPR_REGULARIZATION=${BPR_REGULARIZATION:-0.01}
EASE_LAMBDA=${EASE_LAMBDA:-500}
SMALL_MAX_EVENTS=${SMALL_MAX_EVENTS:-1000000}
EASE_MAX_ITEMS=${EASE_MAX_ITEMS:-20000}
SEED=${SEED:-42}
REPEATS=${REPEATS:-1}
MOVIELENS=1
counts=()
while [ $# -gt 0 ]; do
  case "$1" in
    --models) MODELS=$2; shift 2 ;;
    --factors) FACTORS=$2; shift 2 ;;
    --iterations) ITERATIONS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --bpr-epochs) BPR_EPOCHS=$2; shift 2 ;;
    --repeats) REPEATS=$2; shift 2 ;;
    --no-movielens) MOVIELENS=0; shift ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    [0-9]*) counts+=("$1"); shift ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#counts[@]} -gt 0 ] || counts=(1000000 10000000)
for m in ${MODELS//,/ }; do
  case "$m" in als|bpr|ease) ;; *) echo "unknown model '$m' (als, bpr, ease)" >&2; exit 2 ;; esac
done
wants() { [[ ",$MODELS," == *",$1,"* ]]; }

source scripts/ensure-deps.sh
if [ ! -x /usr/bin/time ]; then
  echo "Installing time (GNU /usr/bin/time) ..." >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq time >/dev/null
fi
swift build -c release --product tacit
T=.build/release/tacit

# implicit 0.7.3 ships CPU wheels (manylinux2014 x86_64, cp311 among others); pinned so reruns compare.
[ -x .venv/bin/python ] || python3 -m venv .venv
if ! .venv/bin/python -c 'import implicit, threadpoolctl, pandas, scipy, numpy; assert implicit.__version__ == "0.7.3"' 2>/dev/null; then
  .venv/bin/pip install -q "implicit==0.7.3" numpy scipy pandas threadpoolctl
fi

mkdir -p out out/bench-implicit-models
RESULTS=out/bench-implicit.jsonl
[ "${APPEND:-0}" = 1 ] || : > "$RESULTS"   # APPEND=1 adds to the results of an earlier run (the table shows the latest pair)
COMMIT=${BENCH_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}
CPU=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
echo "== Tacit vs implicit / numpy: models $MODELS, factors $FACTORS, als iterations $ITERATIONS, bpr epochs $BPR_EPOCHS, threads $THREADS"
echo "   machine: $(nproc) cores, ${CPU:-unknown cpu}; commit $COMMIT"

load1() { cut -d' ' -f1 /proc/loadavg; }

# timed OUT_TIME command... : runs the command under /usr/bin/time, writing "wall-s peak-KiB user-s sys-s" to OUT_TIME.
timed() {
  local out=$1; shift
  /usr/bin/time -f '%e %M %U %S' -o "$out" "$@"
}

# run_pair LABEL MODEL EVENTS TRAIN_ARGS... -- TEST
run_pair() {
  local label=$1 model=$2 events=$3; shift 3
  local train=() test
  while [ "$1" != "--" ]; do train+=(--train "$1"); shift; done
  test=$2
  local tparams=() pyargs=()
  case "$model" in
    als) tparams=(--param factors=$FACTORS --param iterations=$ITERATIONS --param regularization=$REGULARIZATION
                  --param alpha=$ALPHA --param seed=$SEED)
         pyargs=(--factors $FACTORS --iterations $ITERATIONS --regularization $REGULARIZATION --alpha $ALPHA) ;;
    bpr) tparams=(--param factors=$FACTORS --param epochs=$BPR_EPOCHS --param learning_rate=$BPR_LEARNING_RATE
                  --param regularization=$BPR_REGULARIZATION --param seed=$SEED
                  # implicit's conventions (Tacit's own defaults differ): negatives drawn as a random
                  # training entry's item, constant learning rate, liked negatives skipped
                  --param sampling=popularity --param sampling_exponent=1 --param schedule=constant
                  --param verify_negatives=true)
         pyargs=(--factors $FACTORS --iterations $BPR_EPOCHS --learning-rate $BPR_LEARNING_RATE --regularization $BPR_REGULARIZATION) ;;
    ease) tparams=(--param lambda=$EASE_LAMBDA)
          pyargs=(--lambda $EASE_LAMBDA) ;;
  esac
  local tmp=out/bench-implicit-models pyname=implicit r
  [ "$model" = ease ] && pyname=numpy
  rm -f $tmp/*.time $tmp/*.json $tmp/*.load
  for ((r = 1; r <= REPEATS; r++)); do
    load1 > $tmp/train.$r.load
    echo "-- $label $model: tacit train (run $r/$REPEATS) (load $(cat $tmp/train.$r.load))"
    timed $tmp/train.$r.time $T train "${train[@]}" --model $model "${tparams[@]}" --threads $THREADS \
      --output $tmp/$model.tacit --json $tmp/train.$r.json
    rm -f $tmp/$model.tacit
    if [ $r = 1 ]; then
      echo "-- $label $model: tacit evaluate (load $(load1))"
      timed $tmp/eval.time $T evaluate "${train[@]}" --test "$test" --model $model "${tparams[@]}" --threads $THREADS \
        --json $tmp/eval.json > $tmp/eval.txt
      tail -2 $tmp/eval.txt
    fi
    load1 > $tmp/py.$r.load
    echo "-- $label $model: $pyname (run $r/$REPEATS) (load $(cat $tmp/py.$r.load))"
    # run 1 also evaluates; later runs only load and fit
    timed $tmp/py.$r.time .venv/bin/python scripts/bench_implicit.py --model $model "${train[@]}" --test "$test" \
      "${pyargs[@]}" --threads $THREADS --seed $SEED --label "$label" $([ $r = 1 ] || echo --no-eval) > $tmp/py.$r.json
  done
  python3 - "$label" "$model" "$events" "$tmp" "$COMMIT" "$REPEATS" >> "$RESULTS" <<'PY'
import json, sys
label, model, events, tmp, commit, repeats = sys.argv[1:7]
runs = range(1, int(repeats) + 1)
def timefile(name):
    wall, kib, user, system = open(f"{tmp}/{name}").read().split()[-4:]
    return {"wall": float(wall), "peak_mib": float(kib) / 1024, "cpu": float(user) + float(system)}
def load(name):
    return float(open(f"{tmp}/{name}").read())
trains = [json.load(open(f"{tmp}/train.{r}.json")) for r in runs]
train_times = [timefile(f"train.{r}.time") for r in runs]
pys = [json.loads(open(f"{tmp}/py.{r}.json").read().strip().splitlines()[-1]) for r in runs]
py_times = [timefile(f"py.{r}.time") for r in runs]
ev = json.load(open(f"{tmp}/eval.json"))
ev = ev[0] if isinstance(ev, list) else ev
eval_time = timefile("eval.time")
train, py = trains[0], pys[0]
common = {"dataset": label, "events": int(events), "model": model, "commit": commit}
# fit_seconds: the fastest of the runs (the machine is shared; slower runs were disturbed).
tacit = dict(common, tool="tacit", users=train.get("users"), items=train.get("items"), nnz=train.get("interactions"),
             parameters=train.get("parameters"), fit_seconds=min(t["fit_seconds"] for t in trains),
             fit_seconds_runs=[t["fit_seconds"] for t in trains], load_before_runs=[load(f"train.{r}.load") for r in runs],
             evaluate_fit_seconds=ev.get("fit_seconds"),
             peak_fit_mib=max(t["peak_mib"] for t in train_times), peak_mib=eval_time["peak_mib"],
             process_cpu_seconds_runs=[t["cpu"] for t in train_times], train_wall_seconds_runs=[t["wall"] for t in train_times],
             evaluate_wall_seconds=eval_time["wall"], metrics={k: ev["metrics"][k] for k in ("NDCG@10", "HR@10")})
other = dict(common, **{k: v for k, v in py.items() if k not in ("label", "model")})
other.update(fit_seconds=min(p["fit_seconds"] for p in pys), fit_seconds_runs=[p["fit_seconds"] for p in pys],
             fit_cpu_seconds_runs=[p.get("fit_cpu_seconds") for p in pys],
             load_before_runs=[load(f"py.{r}.load") for r in runs],
             peak_fit_mib=max(p["peak_fit_mib"] for p in pys), process_peak_mib=py_times[0]["peak_mib"],
             process_cpu_seconds_runs=[t["cpu"] for t in py_times], wall_seconds_runs=[t["wall"] for t in py_times])
if tacit["nnz"] is not None and (tacit["nnz"], tacit["users"], tacit["items"]) != (py["nnz"], py["users"], py["items"]):
    print(f"WARNING {label} {model}: matrices differ: tacit {tacit['users']}x{tacit['items']} nnz {tacit['nnz']}, "
          f"python {py['users']}x{py['items']} nnz {py['nnz']}", file=sys.stderr)
print(json.dumps(tacit))
print(json.dumps(other))
PY
  python3 - "$RESULTS" <<'PY'
import json, sys
for line in open(sys.argv[1]).read().splitlines()[-2:]:
    r = json.loads(line)
    print(f"   {r['tool']:>8}: {r['users']} users x {r['items']} items, nnz {r['nnz']}; fit {r['fit_seconds']:.2f} s, "
          f"peak {r['peak_fit_mib']:.0f} MiB (load+fit), NDCG@10 {r['metrics']['NDCG@10']:.4f}")
PY
}

# dataset LABEL EVENTS TRAIN... -- TEST : runs the selected models on one dataset.
dataset() {
  local label=$1 events=$2; shift 2
  if wants als; then run_pair "$label" als "$events" "$@"; fi
  if [ "$label" != ml-100k ] && [ "$events" -gt "$SMALL_MAX_EVENTS" ]; then
    if wants bpr || wants ease; then echo "-- $label: bpr/ease skipped (more than SMALL_MAX_EVENTS=$SMALL_MAX_EVENTS events)"; fi
    return 0
  fi
  if wants bpr; then run_pair "$label" bpr "$events" "$@"; fi
  if wants ease; then
    local n_items
    n_items=$(python3 - "$@" <<'PY'
import csv, sys
args = sys.argv[1:]
items = set()
for path in args[:args.index("--")]:
    with open(path, newline="") as f:
        items.update(row["item_id"] for row in csv.DictReader(f))
print(len(items))
PY
)
    if [ "$n_items" -le "$EASE_MAX_ITEMS" ]; then
      run_pair "$label" ease "$events" "$@"
    else
      echo "-- $label ease: skipped, $n_items items > EASE_MAX_ITEMS=$EASE_MAX_ITEMS"
    fi
  fi
}

for n in "${counts[@]}"; do
  items=${ITEMS:-}
  [ -z "$items" ] && [ "$n" -ge 10000000 ] && items=$((n / 100))
  dir=bench-data/implicit-shop-$n${items:+-items$items}
  if [ ! -s "$dir/events.csv" ]; then
    echo "== generating $n events${items:+, $items items} into $dir"
    $T generate --events "$n" ${items:+--items "$items"} --seed 42 --threads "$THREADS" --output "$dir"
  fi
  if [ ! -s "$dir/loo/test.csv" ]; then
    $T split --data "$dir/events.csv" --protocol loo --output "$dir/loo"
  fi
  echo
  echo "== generated shop, $n events ($dir, leave-last-out)"
  dataset "shop-$n" "$n" "$dir/loo/train.csv" "$dir/loo/valid.csv" -- "$dir/loo/test.csv"
done

ML=../shared/data/ml-100k/splits/loo
if [ $MOVIELENS = 1 ]; then
  if [ -s $ML/train.csv ] && [ -s $ML/valid.csv ] && [ -s $ML/test.csv ]; then
    echo
    echo "== MovieLens 100K (fixed LOO split)"
    dataset ml-100k 100000 $ML/train.csv $ML/valid.csv -- $ML/test.csv
  else
    echo
    echo "== MovieLens 100K: skipped, $ML/{train,valid,test}.csv not found"
  fi
fi

echo
echo "== Tacit vs implicit (als, bpr) / numpy (ease): $THREADS threads, factors $FACTORS, als iterations $ITERATIONS, bpr epochs $BPR_EPOCHS"
echo "   fit = wall time of the fit call; peak = process peak RSS after load + fit (tacit train; python getrusage after .fit)"
python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
pairs = {}
for r in rows:
    pairs.setdefault((r["dataset"], r["model"]), {})[r["tool"]] = r
head = f"{'dataset':<14} {'model':<5} {'users':>8} {'items':>7} {'nnz':>9} | {'fit s tacit':>11} {'other':>8} {'ratio':>6} | {'peak MiB tacit':>14} {'other':>7} | {'NDCG@10 tacit':>13} {'other':>7}"
print(head)
print("-" * len(head))
for (dataset, model), p in pairs.items():
    t = p.get("tacit"); o = p.get("implicit") or p.get("numpy")
    if not t or not o:
        continue
    ratio = o["fit_seconds"] / t["fit_seconds"] if t["fit_seconds"] > 0 else float("nan")
    print(f"{dataset:<14} {model:<5} {t['users']:>8} {t['items']:>7} {t['nnz']:>9} | {t['fit_seconds']:>11.2f} {o['fit_seconds']:>8.2f} {ratio:>5.2f}x | "
          f"{t['peak_fit_mib']:>14.0f} {o['peak_fit_mib']:>7.0f} | {t['metrics']['NDCG@10']:>13.4f} {o['metrics']['NDCG@10']:>7.4f}")
print("ratio = other fit s / tacit fit s (> 1: Tacit faster). other = implicit 0.7.3 for als/bpr, numpy for ease.")
PY
echo "results: $RESULTS"
