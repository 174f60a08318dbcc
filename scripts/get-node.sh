#!/bin/sh
# Prints a folder holding Node.js 22 or newer, for the front of PATH:
#   export PATH="$(sh scripts/get-node.sh):$PATH"
# The folder of the `node` on PATH when that one is new enough; otherwise Node.js 24 fetched from the
# npm registry (the node-<os>-<arch> packages carry the official binaries) into DIR, by default
# ${XDG_DATA_HOME:-~/.local/share}/lore/node, once. Needs only npm (any version) and tar.
set -eu

minimum=22
wanted=24
dir="${1:-${XDG_DATA_HOME:-$HOME/.local/share}/lore/node}"

major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

current="$(command -v node 2>/dev/null || true)"
if [ -n "$current" ] && [ "$(major_of "$current")" -ge "$minimum" ]; then
  dirname "$current"
  exit 0
fi
if [ -x "$dir/bin/node" ] && [ "$(major_of "$dir/bin/node")" -ge "$minimum" ]; then
  echo "$dir/bin"
  exit 0
fi

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) echo "get-node: no Node.js package for $(uname -s); install Node.js $wanted from https://nodejs.org" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "get-node: no Node.js package for $(uname -m); install Node.js $wanted from https://nodejs.org" >&2; exit 1 ;;
esac
if ! command -v npm >/dev/null 2>&1; then
  echo "get-node: npm is needed to fetch Node.js; install Node.js $wanted from https://nodejs.org instead" >&2
  exit 1
fi

package="node-$os-$arch@$wanted"
found="$(if [ -n "$current" ]; then "$current" --version; else echo none; fi)"
echo "get-node: node $found is older than $minimum; fetching $package from the npm registry into $dir" >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$package" >/dev/null)
rm -rf "$dir.partial"
mkdir -p "$dir.partial"
tar -xzf "$tmp"/node-"$os"-"$arch"-*.tgz -C "$dir.partial" --strip-components=1
# Moved into place only when complete, so an interrupted fetch is never taken for a Node.
rm -rf "$dir"
mv "$dir.partial" "$dir"
echo "get-node: $("$dir/bin/node" --version) is in $dir/bin (put it first on PATH in your shell profile too)" >&2
echo "$dir/bin"
