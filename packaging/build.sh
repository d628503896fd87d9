#!/usr/bin/env bash
# Build API Workbench as a one-folder program from a clean clone, and install it for this user.
#
#   bash packaging/build.sh                   build packaging/dist/api-workbench/ (program: workbench)
#   bash packaging/build.sh --install-user    build if needed, then install it under ~/.local (XDG dirs)
#   bash packaging/build.sh --uninstall-user  remove exactly what --install-user installed
#   bash packaging/build.sh --force           rebuild even when the sources have not changed
#
# Needs python3 (3.11+) and the Debian/PyPI registries, like packaging/dev.sh (whose list of system
# libraries it reuses). The build venv (app + PyInstaller) lives in packaging/build/venv, apart
# from the development .venv. The finished folder holds share/ (desktop entry, AppStream metadata,
# hicolor icons) and BUILD-ID, a hash of the sources: an unchanged tree is not built again.
# WORKBENCH_BUILD_DIR (venv, PyInstaller work files) and WORKBENCH_DIST (output) move both
# elsewhere; the test suite keeps its build in ~/.cache/api-workbench-tests/build that way.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PYTHON:-python3}
APP_ID=io.github.apiworkbench.Workbench
BUILD_DIR=${WORKBENCH_BUILD_DIR:-$ROOT/packaging/build}
DIST=${WORKBENCH_DIST:-$ROOT/packaging/dist}
VENV=$BUILD_DIR/venv
APP=$DIST/api-workbench

install_user=0 force=0
for arg in "$@"; do
  case $arg in
    --install-user) install_user=1 ;;
    --uninstall-user) exec "$PY" packaging/user_install.py uninstall ;;
    --force) force=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done

mkdir -p "$BUILD_DIR" "$DIST"
exec 9>"$BUILD_DIR/.lock"
flock 9                                         # one build at a time per build folder

want=$("$PY" packaging/source_hash.py)
if [[ $force == 0 && -f $APP/BUILD-ID && $(cat "$APP/BUILD-ID") == "$want" ]]; then
  echo "build is up to date: $APP (sources $want)" >&2
else
  started=$SECONDS
  bash packaging/dev.sh system-packages
  [[ -x $VENV/bin/python ]] || "$PY" -m venv "$VENV"
  pip=("$VENV/bin/python" -m pip install -q --disable-pip-version-check)
  if [[ ! -f $VENV/.installed ]] || ! cmp -s pyproject.toml "$VENV/.installed"; then
    "${pip[@]}" --upgrade pip "setuptools>=77" wheel >&2
    "${pip[@]}" ".[packaging]" >&2              # the dependencies and PyInstaller
    cp pyproject.toml "$VENV/.installed"
  fi
  # The app itself, as the wheel would install it (not editable: PyInstaller must see real files).
  "${pip[@]}" --no-deps --no-build-isolation --force-reinstall . >&2
  rm -f "$APP/BUILD-ID"
  "$VENV/bin/pyinstaller" --noconfirm --log-level WARN --distpath "$DIST" --workpath "$BUILD_DIR/work" \
    packaging/api-workbench.spec >&2
  mkdir -p "$APP/share/applications" "$APP/share/metainfo" "$APP/share/icons"
  cp "packaging/$APP_ID.desktop" "$APP/share/applications/"
  cp "packaging/$APP_ID.metainfo.xml" "$APP/share/metainfo/"
  QT_QPA_PLATFORM=offscreen "$VENV/bin/python" packaging/render_icons.py "$APP/share/icons" "$APP_ID"
  echo "$want" > "$APP/BUILD-ID"
  echo "built $APP in $((SECONDS - started)) s: $(du -sh "$APP" | cut -f1)" >&2
fi

if [[ $install_user == 1 ]]; then
  "$PY" packaging/user_install.py install "$APP"
fi
