#!/usr/bin/env bash
# All set-up on a fresh machine, idempotent: a virtualenv (.venv) with the project and its
# Python dependencies. With --test, also the test extras and Debian's chromium (browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
want_test=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    *) echo "setup.sh: unknown option $arg (known: --test)" >&2; exit 2 ;;
  esac
done

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PYTHON --version)" >&2
  "$PYTHON" -m venv .venv
fi
extras=""
[ "$want_test" = 1 ] && extras="[test]"
echo "setup: installing the project and its dependencies${extras:+ (with test extras)}" >&2
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}" 2>&1 \
  | grep -v "^WARNING: Location .* is ignored" || true
.venv/bin/python -c "import whoosh, pyvi, bs4, httpx, flask" \
  || { echo "setup: the Python dependencies did not install" >&2; exit 1; }

if [ "$want_test" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  echo "setup: installing Debian's chromium for the browser tests" >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
    chromium fonts-noto-core >/dev/null
fi
echo "setup: done" >&2
