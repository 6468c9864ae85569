# Shared by scripts/run, scripts/test and scripts/bench: make .venv and install the project.
# Usage: ensure_venv "EXTRAS" (comma-separated, may be empty).

find_python() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      echo "$candidate"; return 0
    fi
  done
  echo "Python 3.11 is needed (python3.11 or python3 on PATH)." >&2
  return 1
}

ensure_venv() {
  local extras="$1" python stamp wanted
  if [ ! -x .venv/bin/python ]; then
    python=$(find_python)
    echo "Creating .venv with $python ..."
    "$python" -m venv .venv
  fi
  stamp=.venv/.installed
  wanted="$(cat setup.cfg pyproject.toml | sha256sum | cut -c1-16) [$extras]"
  if [ ! -f "$stamp" ] || ! grep -qxF -- "$wanted" "$stamp"; then
    echo "Installing the portal and its dependencies into .venv ..."
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".${extras:+[$extras]}"
    echo "$wanted" >> "$stamp"
  fi
  .venv/bin/pybabel compile -d app/translations >/dev/null
}
