#!/bin/bash
# uv / uvx stand-in for tests (the real uv cannot be downloaded where the tests run).
# Accepts the same command line the litellm unit uses:
#   uvx [--python V] [--with PKG]... [--from PKG] litellm==VERSION --config FILE --port N ...
# and behaves like uv where it matters to a deployer: it needs a writable cache and
# Python directory (UV_CACHE_DIR / UV_PYTHON_INSTALL_DIR, else under $HOME), it can be
# slow on the first run (UV_STANDIN_FIRST_RUN_DELAY seconds, "downloading" Python and
# LiteLLM), then it runs the LiteLLM stand-in in place of `litellm`.
set -euo pipefail
UV_STANDIN_VERSION="0.9.17"
prog=$(basename "$0")

if [ "${1:-}" = "--version" ] || [ "${1:-}" = "-V" ] || [ "${1:-}" = "version" ]; then
  echo "$prog $UV_STANDIN_VERSION (litellm-deploy stand-in)"; exit 0
fi
if [ "$prog" = "uv" ]; then
  if [ "${1:-}" = "tool" ] && [ "${2:-}" = "run" ]; then shift 2
  else echo "error: this uv stand-in only supports 'uv --version' and 'uv tool run' / 'uvx'" >&2; exit 2; fi
fi

python="3.11"; spec=""
while [ $# -gt 0 ]; do
  case "$1" in
    --python|-p) python="$2"; shift 2 ;;
    --with|--from|--index-url|--extra-index-url|--default-index|--index) shift 2 ;;
    --python=*) python="${1#*=}"; shift ;;
    --*=*|-q|--quiet|--offline|--no-progress|--isolated|--refresh|-v|--verbose) shift ;;
    -*) echo "error: unexpected argument '$1' (uv stand-in)" >&2; exit 2 ;;
    *) spec="$1"; shift; break ;;
  esac
done
[ -n "$spec" ] || { echo "error: the following required arguments were not provided: <COMMAND>" >&2; exit 2; }
tool="${spec%%[=\[]*}"; version=""
case "$spec" in *==*) version="${spec##*==}" ;; esac
[ "$tool" = "litellm" ] || { echo "error: the uv stand-in can only run litellm, not '$tool'" >&2; exit 2; }

cache="${UV_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/uv}"
pydir="${UV_PYTHON_INSTALL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/uv/python}"
for d in "$cache" "$pydir"; do
  mkdir -p "$d" 2>/dev/null && [ -w "$d" ] || {
    echo "error: failed to create directory \`$d\`: Permission denied (os error 13)" >&2; exit 2; }
done
marker="$cache/litellm-standin-${version:-latest}-py$python"
if [ ! -e "$marker" ]; then
  delay="${UV_STANDIN_FIRST_RUN_DELAY:-0}"
  echo "Downloading cpython-$python (stand-in)" >&2
  echo "Resolving litellm${version:+==$version} (stand-in)" >&2
  [ "$delay" = 0 ] || sleep "$delay"
  echo "Installed 1 package in ${delay}s (stand-in)" >&2
  : >"$marker"
fi
export LITELLM_STANDIN_VERSION="${version:-0.0.0-standin}"
exec python3 /usr/local/lib/litellm-standin/litellm_standin.py "$@"
