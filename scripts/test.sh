#!/usr/bin/env bash
# Runs every Tacit test: unit tests, model conformance, MovieLens checks (skipped with a message
# when ../shared/data is absent) and end-to-end runs of the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
swift build --build-tests
swift test --skip-build "$@"
