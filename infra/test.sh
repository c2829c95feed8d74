#!/usr/bin/env bash
# Every test, as the README gives it and CI runs it: formatting, vet, and go test ./...
# with DynamoDB Local (fetched once into .cache/ by infra/dynamodb-local.sh).
# Tests that need DynamoDB Local fail, never skip, when it cannot run.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v go >/dev/null 2>&1; then
  echo "Go is not installed: install Go 1.26 or newer (https://go.dev/doc/install)." >&2
  exit 1
fi
./infra/dynamodb-local.sh >/dev/null

echo "== gofmt"
unformatted=$(gofmt -l functions internal)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" >&2
  echo "$unformatted" >&2
  exit 1
fi
echo "== go vet"
go vet ./...
echo "== go test"
go test -count=1 ./...
echo "== linux/arm64 bootstrap"
./infra/build.sh
