#!/usr/bin/env bash
# Builds the Lambda package without SAM: a stripped linux/arm64 `bootstrap` for the
# provided.al2023 runtime, zipped as build/skill.zip (upload it, or point CodeUri at it).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v go >/dev/null 2>&1 || { echo "Go is not installed (https://go.dev/doc/install)." >&2; exit 1; }

mkdir -p build
rm -f build/bootstrap build/skill.zip
CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -trimpath -ldflags='-s -w' -o build/bootstrap ./functions/skill
if command -v zip >/dev/null 2>&1; then
  (cd build && zip -q -X skill.zip bootstrap)
elif command -v python3 >/dev/null 2>&1; then
  (cd build && python3 -m zipfile -c skill.zip bootstrap) # keeps the executable bit
else
  echo "neither zip nor python3 is installed to make build/skill.zip (Debian: apt-get install zip)." >&2
  exit 1
fi
echo "build/skill.zip: $(du -k build/skill.zip | cut -f1) KiB zipped, bootstrap $(du -k build/bootstrap | cut -f1) KiB" >&2
