#!/usr/bin/env bash
# Set up and run API Workbench from a fresh clone: `bash packaging/dev.sh app [WORKSPACE]` launches
# the window; `bash packaging/dev.sh test [PYTEST ARGS]` runs the whole test suite (what CI runs).
# Needs only python3 (3.11+), node/npm and the Debian/PyPI/npm registries. Installs what is missing:
# the system libraries Qt needs (offscreen and on a desktop), a venv in .venv, the test peers.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
mode=${1:-app}; shift || true

SYSTEM_PACKAGES=(libegl1 libgl1 libglib2.0-0 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 fonts-dejavu-core
                 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0
                 libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-xkb1 python3-venv)
[[ $mode == test ]] && SYSTEM_PACKAGES+=(make g++ curl)

install_system_packages() {
  command -v dpkg >/dev/null || return 0          # not Debian: assume the libraries are there
  local missing=()
  for p in "${SYSTEM_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  (( ${#missing[@]} )) || return 0
  local sudo=""; [[ $(id -u) == 0 ]] || sudo="sudo"
  echo "installing system packages: ${missing[*]}" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

install_python() {
  local py=${PYTHON:-python3}
  [[ -x .venv/bin/python ]] || "$py" -m venv .venv
  local extra=""; [[ $mode == test ]] && extra="[test]"
  local stamp=".venv/.installed$extra"
  if [[ ! -f $stamp ]] || ! cmp -s pyproject.toml "$stamp"; then
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >&2
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$extra" >&2
    cp pyproject.toml "$stamp"
  fi
}

install_system_packages
[[ $mode == system-packages ]] && exit 0   # packaging/build.sh: the same libraries, no venv
install_python

case $mode in
  app)
    exec .venv/bin/workbench "$@"
    ;;
  test)
    export QT_QPA_PLATFORM=offscreen PYTHONDONTWRITEBYTECODE=1
    .venv/bin/python tests/servers/peers.py install >/dev/null
    set +e
    .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
    code=$?
    set -e
    if [[ $code == 5 ]]; then echo "pytest collected no tests" >&2; exit 1; fi
    exit $code
    ;;
  *)
    echo "usage: bash packaging/dev.sh app [WORKSPACE] | test [PYTEST ARGS]" >&2; exit 2 ;;
esac
