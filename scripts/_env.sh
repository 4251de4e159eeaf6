# Shared by scripts/serve and scripts/test: make .venv at the project root and install the
# project into it, again only when pyproject.toml changes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"

ensure_venv() {
  local stamp=".venv/.installed" want
  want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  if [ ! -x .venv/bin/python ]; then
    echo "Tạo môi trường ảo .venv ..."
    "$PY" -m venv .venv
  fi
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Cài đặt các gói Python (lần đầu mất một lúc) ..."
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[test]"
    echo "$want" > "$stamp"
  fi
}

ensure_secret_key() {  # in the instance folder (CONTEST_INSTANCE_PATH, default ./instance)
  local folder="${CONTEST_INSTANCE_PATH:-instance}"
  mkdir -p "$folder"
  if [ ! -f "$folder/config.py" ]; then
    .venv/bin/python -c "import secrets; print(f'SECRET_KEY = {secrets.token_hex(32)!r}')" \
      > "$folder/config.py"
  fi
}

ensure_chromium() {
  if command -v chromium >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Cài đặt Chromium (Debian) cho các bài kiểm thử trên trình duyệt ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
}

ensure_nginx() {  # tests/test_nginx.py serves the app through deploy/nginx.conf
  if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then return 0; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Cài đặt nginx (Debian) cho bài kiểm thử đứng sau nginx ..."
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null 2>&1 \
      || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
    # the package starts a server on port 80: the test starts its own
    (service nginx stop || true) >/dev/null 2>&1
  fi
}
