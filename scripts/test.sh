#!/usr/bin/env bash
# Install what the tests need on a fresh Debian machine, then run the whole suite.
# System packages: redis-server + redis-tools (real servers and a Redis Cluster on loopback),
# chromium (headless browser tests via Playwright, using /usr/bin/chromium; no browser download).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
ruff check .
set +e
python -m pytest "$@"
status=$?
set -e
# pytest exits 5 when it collected no tests: that is a failure here, never a silent pass.
exit "$status"
