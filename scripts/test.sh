#!/usr/bin/env bash
# Runs every Tacit test: unit tests, model conformance, MovieLens checks (skipped with a message
# when ../shared/data is absent), the store conformance suite on SQLite and PostgreSQL, and
# end-to-end runs of the CLI, then a fuzzing run of the HTTP API against its OpenAPI document
# (scripts/fuzz.sh: Schemathesis from PyPI in .venv-fuzz, about a minute; TACIT_FUZZ=off skips it).
#
# PostgreSQL: with TACIT_TEST_POSTGRES_URL set, the store tests use that server (each test in its
# own schema). Otherwise this script starts a throwaway cluster (scripts/postgres-test-server.sh,
# installing PostgreSQL when it is missing), exports its URLs and stops it on exit.
# TACIT_TEST_POSTGRES=off skips the PostgreSQL tests instead.
set -euo pipefail
cd "$(dirname "$0")/.."
# chromium + chromedriver: WebPageBrowserTests drive the web page in a real headless browser.
export TACIT_EXTRA_PACKAGES="${TACIT_EXTRA_PACKAGES:-} chromium chromium-driver"
source scripts/ensure-deps.sh

if [ -z "${TACIT_TEST_POSTGRES_URL:-}" ] && [ "${TACIT_TEST_POSTGRES:-}" != "off" ]; then
  trap 'scripts/postgres-test-server.sh stop' EXIT
  TACIT_TEST_POSTGRES_URL="$(scripts/postgres-test-server.sh start)"
  TACIT_TEST_POSTGRES_SOCKET_URL="$(scripts/postgres-test-server.sh url --socket)"
  export TACIT_TEST_POSTGRES_URL TACIT_TEST_POSTGRES_SOCKET_URL
fi

swift build --build-tests
swift test --skip-build "$@"

# The served /openapi.yaml must parse, validate and match what the server answers: Schemathesis
# (from PyPI, in .venv-fuzz) against a live server on SQLite, every check, 100 examples per
# operation, about a minute. TACIT_FUZZ=off skips it.
if [ "${TACIT_FUZZ:-on}" != "off" ]; then
  scripts/fuzz.sh
fi
