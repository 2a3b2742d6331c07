#!/usr/bin/env bash
# Load-tests `tacit serve` with wrk on a generated shop (default: 1M events, 20k items, ALS):
# recommendations (home and product scenes), event ingestion (single events and batches of 100),
# recommendations while a retrain swaps the model, and the time from an event's 200 to a changed
# recommendation. Prints a markdown table for docs/benchmarks.md.
#
#   scripts/bench-service.sh                    # defaults
#   EVENTS=200000 ITEMS=5000 DURATION=10 MODEL=itemknn scripts/bench-service.sh
#   MODEL=ranker MODEL_PARAMETERS='{"ease": "off"}' scripts/bench-service.sh   # the learned ranker as the personal source
#   EVENTS=5000000 ITEMS=1000000 CONFIG_EXTRA='"retrieval": {"mode": "exact"}' scripts/bench-service.sh   # 1M items, exact scoring
set -euo pipefail
cd "$(dirname "$0")/.."
TACIT_EXTRA_PACKAGES="wrk" source scripts/ensure-deps.sh

EVENTS=${EVENTS:-1000000}
ITEMS=${ITEMS:-20000}
USERS=$(( EVENTS / 20 > 50 ? EVENTS / 20 : 50 ))
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-32}
MODEL=${MODEL:-als}
MODEL_PARAMETERS=${MODEL_PARAMETERS:-}   # a JSON object of the model's parameters, e.g. '{"factors": "32"}'
CONFIG_EXTRA=${CONFIG_EXTRA:-}           # more top-level configuration keys, e.g. '"retrieval": {"mode": "exact"}'
PORT=${PORT:-18090}
WORK=${WORK:-/tmp/tacit-bench-service}
export USERS ITEMS

swift build -c release --product tacit >&2
tacit=.build/release/tacit
rm -rf "$WORK" && mkdir -p "$WORK"
parameters=""
[ -n "$MODEL_PARAMETERS" ] && parameters=", \"parameters\": $MODEL_PARAMETERS"
cat > "$WORK/config.json" <<JSON
{"model": {"name": "$MODEL"$parameters}, "training": {"evaluate": false}${CONFIG_EXTRA:+, $CONFIG_EXTRA}}
JSON

echo "loading $EVENTS events, $ITEMS items, model $MODEL ..." >&2
start=$(date +%s.%N)
$tacit serve --store "$WORK/bench.sqlite" --config "$WORK/config.json" --sample shop --sample-events "$EVENTS" \
  --sample-items "$ITEMS" --port "$PORT" --log-level warning > "$WORK/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until grep -q "tacit serving on" "$WORK/serve.log" 2>/dev/null; do
  kill -0 $pid 2>/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
  sleep 0.5
done
ready=$(python3 -c "print(round($(date +%s.%N) - $start, 1))")
url="http://127.0.0.1:$PORT"
rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$pid/status; }
echo "ready after ${ready}s (load + train), RSS $(rss) MiB; retrieval: $(curl -s "$url/v1/models" | python3 -c "import json,sys; print(json.load(sys.stdin)['serving'].get('retrieval'))")" >&2
# Let the background warm-up of the personal cache finish, so the rows measure the steady state.
sleep "${SETTLE:-20}"

# "wrk --latency" output -> "requests/s | p50 | p99 | errors"
summarize() {
  python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", text, re.M))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors = re.search(r"Socket errors: (.*)", text)
bad = int(non2xx.group(1)) if non2xx else 0
print(f"{float(rps):,.0f} | {lat.get('50','?')} | {lat.get('99','?')} | {bad}" + (f" ({errors.group(1)})" if errors else ""))
PY
}

run_wrk() {  # name, script, extra env
  local name=$1 script=$2
  local file
  file="$WORK/wrk-$(echo "$name" | tr -c 'a-zA-Z0-9' '-').txt"
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "scripts/wrk/$script" "$url" > "$file"
  echo "| $name | $(summarize "$file") |"
  sleep 5   # the impression backlog of one row drains before the next
}

{
echo "| load | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|"
run_wrk "recommendations, home scene" recommend.lua
SCENE=product run_wrk "recommendations, product scene (no context item)" recommend.lua
BATCH=1 run_wrk "POST /v1/events, 1 event per request" events.lua
BATCH=100 run_wrk "POST /v1/events, 100 events per request" events.lua
# Recommendations while a retrain runs and swaps the model in.
before=$(curl -s "$url/v1/models" | python3 -c "import json,sys; print(json.load(sys.stdin)['serving']['version'])")
( sleep 2; curl -s -X POST "$url/v1/models/train" > "$WORK/train.json" ) &
run_wrk "recommendations during a retrain + swap" recommend.lua
wait
after=$(curl -s "$url/v1/models" | python3 -c "import json,sys; print(json.load(sys.stdin)['serving']['version'])")
echo
echo "model version during the swap run: $before -> $after"
} | tee "$WORK/results.md"

python3 - "$url" <<'PY' | tee -a "$WORK/results.md"
# Time from an event's 200 to a changed recommendation, for brand-new users (20 trials).
import json, sys, time, urllib.request
url = sys.argv[1]
def get(path):
    with urllib.request.urlopen(url + path) as r: return json.load(r)
def post(path, body):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r: return json.load(r)
delays, first = [], 0
for t in range(20):
    user = f"bench-new-{t}-{time.time()}"
    before = [i["item_id"] for i in get(f"/v1/users/{user}/recommendations?count=10")["items"]]
    post("/v1/events", {"user_id": user, "item_id": before[0], "kind": "purchase"})
    acked = time.perf_counter()
    polls = 0
    while True:
        polls += 1
        after = [i["item_id"] for i in get(f"/v1/users/{user}/recommendations?count=10")["items"]]
        if after != before: break
    delays.append((time.perf_counter() - acked) * 1000)
    first += polls == 1
delays.sort()
print(f"\nevent 200 -> changed recommendation: changed on the first request after the 200 in {first}/20 trials; "
      f"median {delays[10]:.2f} ms, max {delays[-1]:.2f} ms (includes that request's round trip)")
PY
echo "RSS at the end: $(rss) MiB; ready after ${ready}s" | tee -a "$WORK/results.md"
