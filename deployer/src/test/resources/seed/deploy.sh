#!/usr/bin/env bash
# The seed's deploy.sh, step by step as ../shared/BASELINE.md describes it, for the benchmark only.
set -euo pipefail
CONFIG_SRC="$1"
DEPLOY_DIR="$(dirname "$0")"
[ "$(id -u)" -eq 0 ] || { echo "must run as root" >&2; exit 1; }
export PATH="$HOME/.local/bin:$PATH"
if ! command -v uvx >/dev/null 2>&1; then
  curl -LsSf https://gitee.com/wangnov/uv-custom/releases/download/0.9.17/uv-installer-custom.sh | sh
  command -v uvx >/dev/null 2>&1 || { echo "uv install failed" >&2; exit 1; }
fi
for b in uv uvx; do p=$(command -v "$b"); [ "$p" = "/usr/local/bin/$b" ] || install -m 755 "$p" "/usr/local/bin/$b"; done
uvx --version
id litellm >/dev/null 2>&1 || useradd --system --home-dir /opt/litellm --create-home --shell /usr/sbin/nologin litellm
mkdir -p /etc/litellm /opt/litellm
chown litellm:litellm /opt/litellm
install -m 600 -o litellm -g litellm "$CONFIG_SRC" /etc/litellm/config.yaml
if [ -f "$DEPLOY_DIR/litellm.service" ]; then
  cp "$DEPLOY_DIR/litellm.service" /etc/systemd/system/litellm.service
  systemctl daemon-reload
fi
systemctl enable litellm || true
systemctl restart litellm
sleep 5
systemctl is-active --quiet litellm || exit 1
echo "deployed"
