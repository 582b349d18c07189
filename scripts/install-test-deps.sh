#!/usr/bin/env bash
# Installs the end-to-end clients (Debian puppet-agent, puppetserver ca CLI, curl, openssl),
# promtool, systemd-analyze, python3-seccomp, Node.js (for Redocly's linter), and
# the build tools when missing. Needs root (apt-get) for anything missing.
set -euo pipefail
need=()
command -v java >/dev/null || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || need+=(maven)
command -v puppet >/dev/null || need+=(puppet-agent)
[ -d /usr/share/rubygems-integration/all/gems ] && ls /usr/share/rubygems-integration/all/gems | grep -q '^puppetserver-ca-' \
  || need+=(ruby-puppetserver-ca-cli)
command -v curl >/dev/null || need+=(curl)
command -v openssl >/dev/null || need+=(openssl)
command -v promtool >/dev/null || need+=(prometheus)              # promtool check metrics
command -v systemd-analyze >/dev/null || need+=(systemd)          # systemd-analyze verify
command -v pg_lsclusters >/dev/null || need+=(postgresql)         # the database store's tests
command -v npx >/dev/null || need+=(nodejs npm)                   # Redocly lints docs/openapi.yaml
ruby -e 'require "jwt"' 2>/dev/null || need+=(ruby-jwt)               # tokens in the autosign gem's format
/usr/bin/python3 -c 'import seccomp' 2>/dev/null || need+=(python3-seccomp) # the unit's syscall filter
[ -f /usr/lib/softhsm/libsofthsm2.so ] || need+=(softhsm2)                  # a real PKCS#11 token for the CA key
command -v chromium >/dev/null || need+=(chromium)                          # the console's browser tests
command -v chromedriver >/dev/null || need+=(chromium-driver)
command -v pk12util >/dev/null || need+=(libnss3-tools)                     # a client certificate in the test browser
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
puppet --version | sed 's/^/puppet-agent /'
# axe-core, the accessibility scan the console's browser tests inject (outside the repository)
AXE_DIR="${VOXCA_TEST_TOOLS:-$HOME/.cache/voxca-test}"
if [ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ]; then
  mkdir -p "$AXE_DIR"
  npm install --silent --no-audit --no-fund --prefix "$AXE_DIR" axe-core@4.14.1 >/dev/null
fi
# the test browser presents the certificate in its NSS database to https://127.0.0.1 without a
# dialog (a browser test's own HOME holds that database; no other site is concerned)
POLICY=/etc/chromium/policies/managed/voxca-test.json
if [ ! -f "$POLICY" ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO mkdir -p "$(dirname "$POLICY")"
  echo '{"AutoSelectCertificateForUrls": ["{\"pattern\":\"https://127.0.0.1:*\",\"filter\":{}}"]}' \
    | $SUDO tee "$POLICY" >/dev/null
fi
chromium --version 2>/dev/null | sed 's/^/browser /' || true
