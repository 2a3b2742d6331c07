#!/usr/bin/env bash
# Fuzzes the HTTP API against its own description: starts `tacit serve` on a fresh SQLite store
# (a small generated shop, an API key, a free port), checks that /openapi.yaml parses as YAML and
# validates as OpenAPI 3, then runs Schemathesis with every check. Fails on any server error or
# any mismatch between the document and what the server answers.
#
#   scripts/fuzz.sh                      # uses .build/debug/tacit (built when missing)
#   TACIT=.build/release/tacit scripts/fuzz.sh
#   scripts/fuzz.sh --continue-on-failure   # extra options go to `schemathesis run`
#
# Environment: TACIT (the binary), TACIT_FUZZ_EXAMPLES (test cases per operation, default 100),
# TACIT_FUZZ_SECONDS (hard limit on the Schemathesis run, default 600), TACIT_FUZZ_SEED (default
# 1; "random" for a new one each run), TACIT_FUZZ_VENV (default .venv-fuzz), TACIT_FUZZ_REPORT
# (a directory to keep the JUnit report and the server log in).
# Schemathesis and the validator come from PyPI (scripts/fuzz/requirements.txt, pinned) into a
# virtual environment this script creates; scripts/fuzz/hooks.py holds the rules OpenAPI 3.0
# cannot express (see there).
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
venv="${TACIT_FUZZ_VENV:-.venv-fuzz}"
requirements=scripts/fuzz/requirements.txt
tacit="${TACIT:-.build/debug/tacit}"
examples="${TACIT_FUZZ_EXAMPLES:-100}"
limit="${TACIT_FUZZ_SECONDS:-600}"
seed="${TACIT_FUZZ_SEED:-1}"
key="fuzz-$RANDOM$RANDOM"

# The virtual environment, reinstalled when the pinned requirements change.
if [ ! -x "$venv/bin/python" ]; then
  if ! python3 -m venv "$venv"; then
    rm -rf "$venv"
    TACIT_EXTRA_PACKAGES="python3-venv" source scripts/ensure-deps.sh
    python3 -m venv "$venv"
  fi
fi
if ! cmp -s "$requirements" "$venv/.requirements"; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/.requirements"
fi

if [ ! -x "$tacit" ]; then
  if [ -n "${TACIT:-}" ]; then echo "fuzz: TACIT=$tacit is not an executable" >&2; exit 1; fi
  swift build --product tacit
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/tacit-fuzz.XXXXXX")"
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  if [ -n "${TACIT_FUZZ_REPORT:-}" ]; then
    mkdir -p "$TACIT_FUZZ_REPORT"
    cp "$work"/serve.log "$work"/*.xml "$TACIT_FUZZ_REPORT"/ 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# scripts/fuzz/tacit.json: two experiments (an A/B test and a bandit), so responses carry
# experiment fields and the report route has an experiment to report on.
"$tacit" serve --store "$work/fuzz.sqlite" --config scripts/fuzz/tacit.json --sample shop --sample-events 5000 \
  --port 0 --api-key "$key" --log-level error >"$work/serve.log" 2>&1 &
server=$!
url=""
for _ in $(seq 1 600); do
  url="$(sed -n 's#^tacit serving on \(http://[^/]*\)/.*#\1#p' "$work/serve.log" | head -n 1)"
  [ -n "$url" ] && break
  if ! kill -0 "$server" 2>/dev/null; then
    echo "fuzz: tacit serve exited before listening:" >&2
    cat "$work/serve.log" >&2
    exit 1
  fi
  sleep 0.5
done
if [ -z "$url" ]; then echo "fuzz: tacit serve did not start listening within 300 s" >&2; cat "$work/serve.log" >&2; exit 1; fi
echo "fuzz: tacit serving on $url (store $work/fuzz.sqlite)"

"$venv/bin/python" scripts/fuzz/validate.py "$url/openapi.yaml"

seed_option=(--seed "$seed")
[ "$seed" = "random" ] && seed_option=()
status=0
SCHEMATHESIS_HOOKS=scripts/fuzz/hooks.py \
  timeout "$limit" "$venv/bin/schemathesis" run "$url/openapi.yaml" \
  --checks all -H "X-API-Key: $key" --max-examples "$examples" "${seed_option[@]}" \
  --workers 1 --request-timeout 30 --no-color --suppress-health-check all \
  --report junit --report-junit-path "$work/schemathesis.xml" "$@" \
  | tee "$work/schemathesis.log" || status=$?

if ! kill -0 "$server" 2>/dev/null; then
  echo "fuzz: FAILED: tacit serve died during the run:" >&2
  tail -n 40 "$work/serve.log" >&2
  status=1
fi
elapsed=$(( $(date +%s) - started ))
# Operations passed and failed, from the JUnit report (one test case per operation).
counts="$("$venv/bin/python" - "$work/schemathesis.xml" <<'PY' 2>/dev/null || echo "? passed, ? failed"
import sys
import xml.etree.ElementTree as ET
cases = list(ET.parse(sys.argv[1]).getroot().iter("testcase"))
failed = sum(1 for case in cases if case.find("failure") is not None or case.find("error") is not None)
print(f"{len(cases) - failed} passed, {failed} failed")
PY
)"
echo "fuzz: schemathesis checked the operations of /openapi.yaml in ${elapsed}s; seed $seed, $examples examples per operation"
if [ "$status" -eq 124 ]; then
  echo "fuzz: FAILED: Schemathesis ran past $limit s (TACIT_FUZZ_SECONDS)"
elif [ "$status" -ne 0 ]; then
  echo "fuzz: FAILED (exit $status): server errors or mismatches with /openapi.yaml, above"
else
  echo "fuzz: OK: no server errors, no mismatches with /openapi.yaml"
fi
echo "fuzz: $counts"
exit "$status"
