#!/usr/bin/env bash
# Makes what the admin console test (AdminConsoleIT) drives available, or fails the build saying why:
#  - puppeteer-core from npm, the exact versions of package-lock.json, installed into the directory given ($1);
#  - a Chromium: $CHROMIUM if set, else Debian's /usr/bin/chromium, installed with apt-get when missing.
# puppeteer's own browser download is not used: only package registries are reachable where this project builds.
set -euo pipefail

src="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: prepare-browser.sh <output directory>}"

fail() {
  echo "prepare-browser: $*" >&2
  exit 1
}

command -v node >/dev/null && command -v npm >/dev/null \
  || fail "node (18 or newer) and npm are needed to run the admin console test; install them (Debian: apt-get install nodejs npm)"

mkdir -p "$out"
cp "$src/package.json" "$src/package-lock.json" "$src/console-check.mjs" "$out/"
# npm ci starts from scratch; skip it when the installed tree already matches the lock file.
if ! cmp -s "$src/package-lock.json" "$out/node_modules/.installed-package-lock.json"; then
  (cd "$out" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci of $src/package.json failed"
  cp "$src/package-lock.json" "$out/node_modules/.installed-package-lock.json"
fi

chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  [ -n "${CHROMIUM:-}" ] && fail "CHROMIUM=$CHROMIUM is not an executable file"
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    fail "/usr/bin/chromium is missing and this user cannot install it: run 'apt-get install chromium' as root, or set CHROMIUM to a Chromium binary"
  fi
  echo "prepare-browser: /usr/bin/chromium is missing; installing Debian's chromium package"
  started=$SECONDS
  "${sudo[@]}" apt-get update -qq || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq chromium >/dev/null \
    || fail "apt-get install chromium failed"
  [ -x /usr/bin/chromium ] || fail "apt-get installed chromium but /usr/bin/chromium is still missing"
  echo "prepare-browser: installed chromium in $((SECONDS - started)) s"
fi
echo "prepare-browser: $("$chromium" --version 2>/dev/null | head -1), puppeteer-core $(node -p "require('$out/node_modules/puppeteer-core/package.json').version")"
