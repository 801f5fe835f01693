#!/usr/bin/env bash
# Debian packages the tests need, installed only when missing:
# - chromium for the browser tests (Playwright drives Debian's chromium; its own browser download cannot run here);
# - nginx and its brotli_static module: tests/test_deploy.py serves the built site with deploy/nginx.conf;
# - rclone: `ocop publish` syncs through it (tests publish to a local rclone remote);
# - nodejs and npm for the editor's local backend (decap-server, pinned in tools/editor/package-lock.json),
#   which `make edit` and tests/test_editor_browser.py run; then `npm ci` installs it.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
# Debian 12 packages the brotli module as a dynamic nginx module, loaded from /usr/share/nginx/modules.
[ -e /usr/share/nginx/modules-available/mod-http-brotli-static.conf ] || missing+=(libnginx-mod-http-brotli-static)
command -v rclone >/dev/null 2>&1 || missing+=(rclone)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
editor=$(cd "$(dirname "$0")/editor" && pwd)
install_editor() {
  [ -f "$editor/node_modules/decap-server/dist/index.js" ] || npm ci --prefix "$editor" --no-audit --no-fund >/dev/null
}
[ ${#missing[@]} -eq 0 ] && { install_editor; exit 0; }
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "Installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_editor
