#!/usr/bin/env bash
# Set up everything spikecontent needs, then run one job. Idempotent: safe to run again.
#
#   ./run.sh export   set up, then check content/ and export it through every channel into dist/
#   ./run.sh test     set up, then run ruff (lint + format), mypy --strict and pytest
#
# Works on a fresh Debian machine with Python 3.11 (as root or with sudo); system packages
# are installed with apt-get only when they are missing.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the project needs. The core needs none beyond Python. The pdf writer
# (WeasyPrint) needs Pango and HarfBuzz's subsetter (without it every render is several
# times slower) and the DejaVu fonts it names.
APT_PACKAGES=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  fonts-dejavu-core fonts-dejavu-extra
)
# Only the tests need a browser (the macro board and a page on another origin are driven
# in headless Chromium), nginx (the API and the web pages are tested behind it, as they
# would be deployed), and a Java runtime for the Nu HTML Checker (vnu.jar), which checks
# every page the project writes; openssl makes the certificate the pages are audited over
# HTTPS with (tests/test_page_audits.py).
TEST_APT_PACKAGES=(chromium chromium-driver nginx default-jre-headless openssl)
# Test tools from npm, pinned, kept in .venv/tools: the Nu HTML Checker (vnu.jar,
# tests/vnu.py), Lighthouse (12.2.3: 13 wants Node 22) and axe-core at the version
# Lighthouse 12.2.3 runs (tests/test_page_audits.py).
NPM_TEST_TOOLS=(vnu-jar@26.9.27 lighthouse@12.2.3 axe-core@4.10.2)

log() { printf '==> %s\n' "$*" >&2; }

apt_install_missing() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

find_python() {
  local candidate
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  log "Python 3.11 or newer is required"
  return 1
}

setup() {
  local python
  python=$(find_python)
  if [ ${#APT_PACKAGES[@]} -gt 0 ]; then apt_install_missing "${APT_PACKAGES[@]}"; fi
  # Debian's own Python ships venv without ensurepip; python3-venv adds it.
  if ! "$python" -c 'import ensurepip' >/dev/null 2>&1; then
    apt_install_missing "python3-venv"
  fi
  if [ ! -x .venv/bin/python ]; then
    log "creating .venv"
    "$python" -m venv .venv
  fi
  # Reinstall only when the dependency definition changed.
  local stamp
  stamp=$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)
  if [ "$(cat .venv/.installed 2>/dev/null)" != "$stamp" ]; then
    log "installing spikecontent and its pinned dependencies into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check \
      -c constraints.txt -e ".[test]"
    echo "$stamp" >.venv/.installed
  fi
  # JSON Schemas for editors (.vscode/settings.json and .taplo.toml point at them); made
  # from the model and the content, so made again each time.
  .venv/bin/spikecontent schema --content content --out .vscode/schemas >/dev/null
}

install_test_tools() {
  local tools=.venv/tools missing=() tool
  for tool in "${NPM_TEST_TOOLS[@]}"; do
    grep -qs "\"version\": \"${tool##*@}\"" "$tools/node_modules/${tool%@*}/package.json" ||
      missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  # npm from Debian only when none is there (a Node.js from elsewhere brings its own).
  command -v npm >/dev/null 2>&1 || apt_install_missing npm
  log "installing test tools from npm into $tools: ${missing[*]}"
  mkdir -p "$tools"
  # Their install scripts need not run: vnu.jar is in its package, and Lighthouse drives
  # Debian's Chromium (CHROME_PATH), never a downloaded one.
  (cd "$tools" && npm install --silent --no-audit --no-fund --ignore-scripts --save-exact \
    "${NPM_TEST_TOOLS[@]}")
}

run_export() {
  # Checks content/ and exporters/ first; nothing is exported when anything is wrong.
  .venv/bin/spikecontent export --content content --exporters exporters --out dist
}

run_test() {
  log "ruff check"
  .venv/bin/ruff check src tests benchmarks
  log "ruff format --check"
  .venv/bin/ruff format --check src tests benchmarks
  log "mypy --strict src"
  .venv/bin/mypy
  log "pytest"
  # Two processes, each taking whole test files: a file's module-level exports, servers
  # and browsers stay in one process (tests never share fixed ports or folders).
  .venv/bin/pytest --numprocesses 2 --dist loadfile
}

case "${1:-}" in
  export) setup && run_export ;;
  test) setup && apt_install_missing "${TEST_APT_PACKAGES[@]}" && install_test_tools && run_test ;;
  *)
    echo "usage: $0 export|test" >&2
    exit 2
    ;;
esac
