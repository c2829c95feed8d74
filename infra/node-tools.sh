#!/usr/bin/env bash
# Installs the Node.js packages that infra/node/package.json lists (Amazon's and the
# community's checkers the Go tests run, such as ssml-check-core) into .cache/node, exactly
# as infra/node/package-lock.json pins them, and prints that folder. It installs again only
# when package.json or the lockfile changed. Tests never install: they fail and name this
# script when .cache/node is missing or stale.
#
# To add a package: cd infra/node && npm install --package-lock-only NAME@VERSION, commit both
# files, run this script.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/infra/node"
dest="$root/.cache/node"

missing=()
command -v node >/dev/null 2>&1 || missing+=("Node.js 18 or newer (Debian: apt-get install nodejs)")
command -v npm >/dev/null 2>&1 || missing+=("npm (Debian: apt-get install npm)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "The Node.js checkers in infra/node cannot be installed here; install:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi
if ! node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)'; then
  echo "Node.js $(node --version) is too old for infra/node: install Node.js 18 or newer." >&2
  exit 1
fi

# .cache/node holds copies of package.json and package-lock.json, and .installed once npm ci
# has finished with them; internal/ssml/ssmltest makes the same check before it runs node.
if [ ! -f "$dest/.installed" ] || ! cmp -s "$src/package.json" "$dest/package.json" ||
  ! cmp -s "$src/package-lock.json" "$dest/package-lock.json"; then
  echo "installing infra/node/package-lock.json into .cache/node (npm ci) ..." >&2
  mkdir -p "$dest"
  rm -f "$dest/.installed"
  cp "$src/package.json" "$src/package-lock.json" "$dest/"
  if ! npm ci --prefix "$dest" --no-audit --no-fund --loglevel=error >&2; then
    echo "npm ci failed in $dest (see above); is the npm registry reachable?" >&2
    exit 1
  fi
  touch "$dest/.installed"
fi
echo "$dest"
