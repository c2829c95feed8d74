#!/usr/bin/env bash
# Measures the skill's compiled Lambda function against a minimal aws-lambda-go function under
# the same Runtime API host: cold start, warm latency and binary size, as ratios.
# Not part of the test command: timings belong to benchmarks, not pass/fail tests.
# Also: go test -bench . ./internal/skill/ for the handler alone.
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./infra/lambdabench "$@"
