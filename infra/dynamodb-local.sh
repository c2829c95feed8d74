#!/usr/bin/env bash
# Puts Amazon's DynamoDB Local into .cache/dynamodb-local (once) and prints that folder.
# It comes from the npm package amplify-dynamodb-simulator, whose emulator/ folder is
# DynamoDBLocal.jar with its DynamoDBLocal_lib/. Tests start it themselves (internal/dynamolocal).
set -euo pipefail

version=2.9.30
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.cache/dynamodb-local"

missing=()
command -v java >/dev/null 2>&1 || missing+=("Java 17 or newer (Debian: apt-get install openjdk-17-jre-headless)")
if [ ! -f "$dest/DynamoDBLocal.jar" ]; then
  command -v npm >/dev/null 2>&1 || missing+=("npm (Debian: apt-get install npm), to fetch amplify-dynamodb-simulator")
  command -v tar >/dev/null 2>&1 || missing+=("tar")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "DynamoDB Local cannot run here; install:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi

if [ ! -f "$dest/DynamoDBLocal.jar" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "fetching DynamoDB Local (npm amplify-dynamodb-simulator@$version) ..." >&2
  (cd "$work" && npm pack --silent "amplify-dynamodb-simulator@$version" >/dev/null)
  tar -xzf "$work"/amplify-dynamodb-simulator-*.tgz -C "$work" package/emulator
  rm -rf "$dest"
  mkdir -p "$(dirname "$dest")"
  mv "$work/package/emulator" "$dest"
fi
echo "$dest"
