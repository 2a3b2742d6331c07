#!/usr/bin/env bash
# MovieLens 1M user features (issue 17, point 4): what gender, age and occupation (users.csv, via
# --users) add to the two-tower model for users with few events, and for brand-new users known
# only by their attributes.
#
# (a) Few events: a seeded 20% of the users keep only their first 5 train events (by timestamp,
#     then position in train.csv); everyone else keeps train + valid. Evaluated on the cut users
#     only, twice: their leave-last-out test event ("next"), and every event after their first 5
#     ("later": the rest of train, valid and test). Models: twotower with and without --users (both
#     with --items genres; with --users also with user_dropout), popular, and als / ease as context.
# (b) New users: a seeded 10% of the users are removed from training entirely (their train, valid
#     and test events); `tacit evaluate --new-users` ranks them from their attributes alone:
#     twotower trained with --users (with and without user_dropout) against popular (als cannot
#     rank them and says so). Evaluated on their test event ("next") and on all their events ("all").
# Each seed draws its own users; the table gives the mean and the spread over the seeds.
#
# The data comes from ../shared/data/ml-1m/fetch.sh (MovieLens 1M, cached in
# ${TACIT_DATA:-~/.cache/tacit}/ml-1m); when it fails the script says so and exits 0.
#
# usage: scripts/bench-ml1m-users.sh [--threads N] [--seeds "43 44 45"]
#   env: TACIT (a built tacit binary; default: build .build/release/tacit), DATA (an ML-1M
#        directory instead of fetching), TWOTOWER_PARAMS (two-tower key=value settings for every
#        two-tower run; default none: the model's defaults), DROPOUTS (the user_dropout values of
#        the extra --users runs; default "0.5 0.8"), ALS_PARAMS, EASE_PARAMS (default none).
# Results: out/bench-ml1m-users/seed-S/*.json, out/bench-ml1m-users/results.jsonl, the table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

THREADS=${THREADS:-1}
SEEDS=${SEEDS:-"43 44 45"}
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) THREADS=$2; shift 2 ;;
    --seeds) SEEDS=$2; shift 2 ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
TWOTOWER_PARAMS=${TWOTOWER_PARAMS:-}
DROPOUTS=${DROPOUTS:-"0.5 0.8"}
ALS_PARAMS=${ALS_PARAMS:-}
EASE_PARAMS=${EASE_PARAMS:-}

if [ -z "${DATA:-}" ]; then
  if ! DATA=$(bash ../shared/data/ml-1m/fetch.sh 2>/tmp/bench-ml1m-users-fetch.log | tail -1) || [ ! -f "$DATA/splits/loo/test.csv" ]; then
    echo "MovieLens 1M is not available (../shared/data/ml-1m/fetch.sh failed: $(tail -1 /tmp/bench-ml1m-users-fetch.log 2>/dev/null)); skipped" >&2
    exit 0
  fi
fi
if [ ! -f "$DATA/users.csv" ]; then echo "$DATA/users.csv is missing; skipped" >&2; exit 0; fi
if [ -z "${TACIT:-}" ]; then
  source scripts/ensure-deps.sh
  swift build -c release --product tacit >&2
  TACIT=.build/release/tacit
fi
ROOT=out/bench-ml1m-users
mkdir -p "$ROOT"
RESULTS=$ROOT/results.jsonl
: > "$RESULTS"
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
export TACIT_PROGRESS=lines

params() { local model=$1; shift; for p in "$@"; do printf -- '--param %s.%s ' "$model" "$p"; done; }
plain() { for p in "$@"; do printf -- '--param %s ' "$p"; done; }
# shellcheck disable=SC2086
TT=$(plain $TWOTOWER_PARAMS)
# shellcheck disable=SC2086
BASE=$(params als $ALS_PARAMS)$(params ease $EASE_PARAMS)

run() {  # run SEED CASE TEST LABEL ARGS...: tacit evaluate ARGS, one JSON line per model into results.jsonl
  local seed=$1 case=$2 test=$3 label=$4; shift 4
  local out=$ROOT/seed-$seed name
  name=$(printf '%s' "$case-$test-$label" | tr -s ' =-' '___')
  echo "== seed $seed: $name"
  # shellcheck disable=SC2068
  /usr/bin/time -f "%e" -o "$out/$name.time" $TACIT evaluate $@ --threads "$THREADS" --json "$out/$name.json" \
    > "$out/$name.txt" 2> "$out/$name.log"
  grep -E '^(popular|als|ease|twotower) ' "$out/$name.txt" | sed 's/^/   /'
  python3 - "$out/$name.json" "$seed" "$case" "$test" "$label" "$COMMIT" >> "$RESULTS" <<'PY'
import json, sys
path, seed, case, test, label, commit = sys.argv[1:7]
j = json.load(open(path))
for r in j.get("results", [j]):
    name = r["model"] if label == "-" else label
    print(json.dumps({"seed": int(seed), "case": case, "test": test, "model": name, "users": r["users"], "note": r.get("note"),
                      "metrics": r["metrics"], "fit_seconds": r["fit_seconds"], "parameters": r["parameters"], "commit": commit}))
PY
}

for seed in $SEEDS; do
  out=$ROOT/seed-$seed
  mkdir -p "$out/data"
  # --- The two derived splits of this seed ---
  python3 - "$DATA" "$out/data" "$seed" <<'PY'
import csv, os, random, sys
data, out, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
loo = os.path.join(data, "splits", "loo")
def read(name):
    with open(os.path.join(loo, name)) as f:
        return [(r["user_id"], r["item_id"], int(r["timestamp"])) for r in csv.DictReader(f)]
train, valid, test = read("train.csv"), read("valid.csv"), read("test.csv")
def write(name, rows):
    with open(os.path.join(out, name), "w", newline="") as f:
        w = csv.writer(f); w.writerow(["user_id", "item_id", "timestamp"]); w.writerows(rows)
users = sorted({u for u, _, _ in train}, key=int)
# (a) few events: the first 5 train events (by timestamp, then file position) of a seeded 20%.
cut = set(random.Random(seed).sample(users, round(0.2 * len(users))))
by_user = {}
for pos, (u, i, t) in enumerate(train):
    by_user.setdefault(u, []).append((t, pos, i))
kept = {(u, pos) for u in cut for (_, pos, _) in sorted(by_user[u])[:5]}
write("few-train.csv", [r for pos, r in enumerate(train) if r[0] not in cut or (r[0], pos) in kept]
      + [r for r in valid if r[0] not in cut])
write("few-next.csv", [r for r in test if r[0] in cut])
write("few-later.csv", [r for pos, r in enumerate(train) if r[0] in cut and (r[0], pos) not in kept]
      + [r for r in valid + test if r[0] in cut])
# (b) new users: a seeded 10% (another stream) out of training entirely.
new = set(random.Random(seed + 1000).sample(users, round(0.1 * len(users))))
write("new-train.csv", [r for r in train + valid if r[0] not in new])
write("new-next.csv", [r for r in test if r[0] in new])
write("new-all.csv", [r for r in train + valid + test if r[0] in new])
print(f"seed {seed}: (a) {len(cut)} users cut to 5 events; (b) {len(new)} new users of {len(users)}", file=sys.stderr)
PY
  ITEMS="--items $DATA/items.csv"
  USERS="--users $DATA/users.csv"
  for test in next later; do
    split="--train $out/data/few-train.csv --test $out/data/few-$test.csv"
    # shellcheck disable=SC2086
    run "$seed" few "$test" - $split --models popular,als,ease $BASE
    # shellcheck disable=SC2086
    run "$seed" few "$test" twotower $split --model twotower $TT $ITEMS
    # shellcheck disable=SC2086
    run "$seed" few "$test" "twotower --users" $split --model twotower $TT $ITEMS $USERS
    for d in $DROPOUTS; do
      # shellcheck disable=SC2086
      run "$seed" few "$test" "twotower --users user_dropout=$d" $split --model twotower $TT --param user_dropout=$d $ITEMS $USERS
    done
  done
  for test in next all; do
    split="--train $out/data/new-train.csv --test $out/data/new-$test.csv --new-users"
    # shellcheck disable=SC2086
    run "$seed" new "$test" - $split --models popular,als $BASE $USERS
    # shellcheck disable=SC2086
    run "$seed" new "$test" "twotower --users" $split --model twotower $TT $ITEMS $USERS
    for d in $DROPOUTS; do
      # shellcheck disable=SC2086
      run "$seed" new "$test" "twotower --users user_dropout=$d" $split --model twotower $TT --param user_dropout=$d $ITEMS $USERS
    done
  done
done

echo
echo "== MovieLens 1M user features: seeds $SEEDS, $THREADS threads, commit $COMMIT; mean (min-max) over the seeds"
python3 - "$RESULTS" <<'PY'
import json, sys, collections
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
groups = collections.OrderedDict()
for r in rows:
    groups.setdefault((r["case"], r["test"], r["model"]), []).append(r)
names = {("few", "next"): "(a) 5 events, next event", ("few", "later"): "(a) 5 events, later events",
         ("new", "next"): "(b) new user, next event", ("new", "all"): "(b) new user, all events"}
def cell(values):
    m = sum(values) / len(values)
    return f"{m:.4f} ({min(values):.4f}-{max(values):.4f})" if len(values) > 1 else f"{m:.4f}"
print(f"{'case':<28} {'model':<34} {'users':>6} {'NDCG@10':>24} {'HR@10':>24} {'Recall@20':>24}")
for (case, test, model), rs in groups.items():
    users = round(sum(r["users"] for r in rs) / len(rs))
    if rs[0]["note"]:
        print(f"{names[(case, test)]:<28} {model:<34} {users:>6} {rs[0]['note']}")
        continue
    print(f"{names[(case, test)]:<28} {model:<34} {users:>6} "
          + " ".join(f"{cell([r['metrics'][k] for r in rs]):>24}" for k in ("NDCG@10", "HR@10", "Recall@20")))
print(f"results: {sys.argv[1]}")
PY
