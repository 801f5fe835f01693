#!/usr/bin/env bash
# Debian packages the tests need, installed only when missing:
# - chromium for the browser tests (Playwright drives Debian's chromium; its own browser download cannot run here);
# - nginx and its brotli_static module: tests/test_deploy.py serves the built site with deploy/nginx.conf;
# - rclone: `ocop publish` syncs through it (tests publish to a local rclone remote);
# - caddy: tests/test_deploy.py serves the built site with deploy/Caddyfile too;
# - Java and npm for the output checkers (`make check-outputs`, tests/test_pages_checks.py): the W3C Nu checker
#   is a Java program; it, axe-core and Lighthouse come from npm, pinned in tools/checks/package-lock.json.
# - nodejs and npm for the editor's local backend (decap-server, pinned in tools/editor/package-lock.json),
#   which `make edit` and tests/test_editor_browser.py run; then `npm ci` installs it.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
# Debian 12 packages the brotli module as a dynamic nginx module, loaded from /usr/share/nginx/modules.
[ -e /usr/share/nginx/modules-available/mod-http-brotli-static.conf ] || missing+=(libnginx-mod-http-brotli-static)
command -v rclone >/dev/null 2>&1 || missing+=(rclone)
command -v caddy >/dev/null 2>&1 || missing+=(caddy)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The checkers' npm packages, again only when the lock changed since the last `npm ci` (a stamp names its checksum).
# --ignore-scripts: none of them needs an install script, and Lighthouse must not fetch a browser of its own.
checks="$(cd "$(dirname "$0")/checks" && pwd)"
stamp="$checks/node_modules/.ocop-installed-$(cksum <"$checks/package-lock.json" | cut -d' ' -f1)"
if [ ! -e "$stamp" ]; then
  echo "Installing the output checkers (npm ci in tools/checks)"
  (cd "$checks" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
  touch "$stamp"
fi
# The editor's local backend (decap-server), for `make edit` and the editor's browser tests.
editor=$(cd "$(dirname "$0")/editor" && pwd)
[ -f "$editor/node_modules/decap-server/dist/index.js" ] || npm ci --prefix "$editor" --no-audit --no-fund >/dev/null
