# Sourced by the scripts: defines `uv_cmd`, installing uv with pip when it is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if command -v uv >/dev/null 2>&1 && uv --version >/dev/null 2>&1; then
  uv_cmd() { uv "$@"; }
else
  if ! python3 -m uv --version >/dev/null 2>&1; then
    echo "Installing uv with pip..." >&2
    python3 -m pip install --quiet uv || python3 -m pip install --quiet --user uv
  fi
  uv_cmd() { python3 -m uv "$@"; }
fi
