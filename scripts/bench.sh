#!/usr/bin/env bash
# Benchmarks: `tacit bench` on generated 1M and 10M event shops (and MovieLens 100K when present),
# then pandas.read_csv + scipy CSR on the same files, side by side. Creates .venv for pandas.
# usage: scripts/bench.sh [event counts...]   (default: 1000000 10000000)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
swift build -c release --product tacit
counts=("${@:-1000000 10000000}")
args=()
for n in ${counts[@]}; do args+=(--events "$n"); done
mkdir -p out
.build/release/tacit bench "${args[@]}" --data-dir bench-data --json out/bench.json

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install -q pandas scipy numpy
fi
echo
echo "== pandas.read_csv + factorize + scipy CSR/CSC on the same files =="
: > out/bench-pandas.jsonl
for n in ${counts[@]}; do
  .venv/bin/python scripts/bench_pandas.py "bench-data/shop-$n/events.csv" | tee -a out/bench-pandas.jsonl
done
python3 - <<'PY'
import json
tacit = {r["events"]: r for r in json.load(open("out/bench.json"))}
print()
print(f"{'events':>10}  {'tacit import+matrix s':>22}  {'pandas+scipy s':>15}  {'speed-up':>8}  {'tacit MiB':>9}  {'pandas MiB':>10}")
for line in open("out/bench-pandas.jsonl"):
    p = json.loads(line)
    t = tacit.get(p["events"])
    if not t:
        continue
    ours = t["importSeconds"] + t["matrixSeconds"]
    print(f"{p['events']:>10}  {ours:>22.2f}  {p['total_seconds']:>15.2f}  {p['total_seconds'] / ours:>7.1f}x  {t['peakMiBAfterMatrix']:>9.0f}  {p['peak_mib']:>10.0f}")
PY
