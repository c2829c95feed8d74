#!/usr/bin/env bash
# Every test, as the README gives it and CI runs it: formatting, vet, go test ./... (unit,
# DynamoDB Local, and end-to-end tests of the compiled function under the Lambda Runtime
# API), a short fuzzing run of each fuzz target, and the linux/arm64 build.
#
#   ./infra/test.sh          the normal run (CI)
#   ./infra/test.sh --long   also the long variants: 1,000-user load, 200-user fault run,
#                            and two minutes of fuzzing per target
#
# Tests that need DynamoDB Local fail, never skip, when it cannot run.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=10s
case "${1:-}" in
  --long) export SPINE_OPENER_LONG=1; fuzztime=2m ;;
  "") ;;
  *) echo "usage: $0 [--long]" >&2; exit 2 ;;
esac

if ! command -v go >/dev/null 2>&1; then
  echo "Go is not installed: install Go 1.26 or newer (https://go.dev/doc/install)." >&2
  exit 1
fi
./infra/dynamodb-local.sh >/dev/null
./infra/node-tools.sh >/dev/null
# The console's --voice and --record speak through espeak-ng, and their test needs it.
if ! command -v espeak-ng >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y espeak-ng >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y espeak-ng >/dev/null; }
  else
    echo "espeak-ng is not installed: the console's voice test needs it (Debian or Ubuntu: sudo apt-get install espeak-ng)." >&2
    exit 1
  fi
fi

echo "== gofmt"
unformatted=$(gofmt -l functions internal infra cmd)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" >&2
  echo "$unformatted" >&2
  exit 1
fi
echo "== go vet"
go vet ./...
echo "== go test"
# One package at a time: several start their own DynamoDB Local, and on a two-CPU machine
# their JVMs side by side slow calls past the store's 2 s budget. It is no slower in all.
go test -count=1 -p 1 -timeout 20m ./...
echo "== fuzz ($fuzztime each)"
for target in internal/alexa:FuzzDecodeRequest internal/skill:FuzzHandler internal/ssml:FuzzBuilder; do
  if ! out=$(go test -run '^$' -fuzz "^${target#*:}\$" -fuzztime "$fuzztime" "./${target%%:*}" 2>&1); then
    echo "$out" >&2 # the failing input is saved under testdata/fuzz/ in that package
    exit 1
  fi
  echo "$out" | tail -n 1
done
echo "== linux/arm64 bootstrap"
./infra/build.sh
