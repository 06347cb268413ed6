# shellcheck shell=bash

# ---- blue-green: two colors of the service on loopback ports, nginx in front ----
# Each color has its own unit (litellm-blue.service, litellm-green.service: the release's unit
# with its own config, env file and a loopback port), so installing a release in the idle color
# never touches the definition of the live one. The proxy site is the deployer's file.
BG_DIR="$LD_STATE/blue-green"
PROXY_CONF=/etc/nginx/conf.d/litellm-deploy.conf
color() { [[ $1 == blue || $1 == green ]] || fail 3 "not a color: '$1'"; }

bg_state() {
  local live c r f
  live=$(cat "$BG_DIR/live" 2>/dev/null || true)
  echo "bg_live=$live"
  # a host never deployed blue-green has no colors to ask systemd about (every state read pays for it)
  if [ -d "$BG_DIR" ]; then for c in blue green; do
    echo "bg_${c}_release=$(cat "$BG_DIR/$c.release" 2>/dev/null || true)"
    echo "bg_${c}_active=$(systemctl is-active "litellm-$c.service" 2>/dev/null || true)"
    echo "bg_${c}_retiring=$(systemctl is-active "litellm-deploy-retire-$c.timer" 2>/dev/null || true)"
  done; fi
  if [ -n "$live" ]; then
    r=$(cat "$BG_DIR/$live.release" 2>/dev/null || true)
    if [ -n "$r" ] && [ -f "$LD_STATE/releases/$r/bundle-id" ]; then echo "bg_live_bundle=$(cat "$LD_STATE/releases/$r/bundle-id")"; fi
    for f in config.yaml litellm.env litellm.service; do
      if [ -n "$r" ] && [ -f "$LD_STATE/releases/$r/$f" ]; then echo "bg_digest=$(cd "$LD_STATE/releases/$r" && sha256sum "$f")"; fi
    done
  fi
  if [ -f "$PROXY_CONF" ]; then
    if [ "$(sha256sum < "$PROXY_CONF" | cut -d' ' -f1)" = "$(cat "$BG_DIR/proxy.sha256" 2>/dev/null)" ]; then echo "bg_proxy=ok"; else echo "bg_proxy=drift"; fi
  else
    echo "bg_proxy=missing"
  fi
  echo "bg_nginx=$(command -v nginx >/dev/null && echo yes || echo no)"
}

cmd_ensure_proxy() { # [PACKAGE_FILE...]: uploaded .deb files, for servers without a package mirror
  if command -v nginx >/dev/null; then nginx -v 2>&1; return 0; fi
  local f debs=() dir="$LD_STATE/proxy-packages"
  if [ $# -gt 0 ]; then
    [ "$LD_RESTRICTED" = 0 ] || fail 5 "this helper does not install uploaded packages as root; install nginx on the host (apt-get install nginx)"
    rm -rf "$dir"; install -d -m 0700 "$dir"
    for f in "$@"; do
      file_name "$f"; [[ $f == *.deb ]] || fail 3 "not a .deb: $f"
      { [ -f "$(staging)/$f" ] && [ ! -L "$(staging)/$f" ]; } || fail 5 "the uploaded package $f is missing"
      mv -T "$(staging)/$f" "$dir/$f"; chown root:root "$dir/$f"; debs+=("$dir/$f")
    done
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${debs[@]}" >&2 \
      || fail 5 "installing nginx from the uploaded packages failed (missing dependencies?)"
    rm -rf "$dir"
  else
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx >&2 \
      || fail 5 "cannot install nginx with apt-get (no package mirror? upload the packages with --proxy-package)"
  fi
  nginx -v 2>&1
}

# RELEASE COLOR PORT: the release's files for COLOR, its own unit on 127.0.0.1:PORT, (re)started.
# The color's unit is rendered by the helper from the release's unit parameters (a custom unit
# cannot be moved to a loopback port safely, so it is refused here). Prints the color's NRestarts
# before the start and the clock, like restart.
cmd_bg_start() {
  release_id "$1"; color "$2"; number "$3" port
  local rel dir unit public
  rel=$(release_dir "$1"); dir="$LD_CONFIG_DIR/$2"; unit="/etc/systemd/system/litellm-$2.service"
  { [ -d "$rel" ] && [ ! -L "$rel" ]; } || fail 3 "release $1 is not on this host"
  [ -f "$rel/unit.params" ] || fail 3 "release $1 has no unit parameters: blue-green renders each color's unit itself, so it needs the project's own unit (no custom litellm.service.mustache)"
  if [ "$LD_RESTRICTED" = 0 ] && ! is_own_unit "$rel"; then
    fail 3 "release $1 has a custom unit: blue-green renders each color's unit from the project's template and cannot run a custom one"
  fi
  public=$(param "$rel/unit.params" port)
  { [ "$3" -ge 1024 ] && [ "$3" -le 65535 ] && [ "$3" != "$public" ]; } || fail 3 "a color's port must be 1024-65535 and not the public port $public: '$3'"
  cmd_ensure_user
  install -d -m 0750 -o root -g "$LD_USER" "$dir"
  render_unit "$rel/unit.params" "litellm-$2.service" "$dir/config.yaml" "$dir/litellm.env" 127.0.0.1 "$3" \
    | sed -E "s/^Description=(.*)\$/Description=\\1 [$2]/" > "$rel/unit.$2"
  install_set "$rel" "$dir/config.yaml" "$dir/litellm.env" "$rel/unit.$2" "$unit"
  systemctl stop "litellm-deploy-retire-$2.timer" 2>/dev/null || true
  systemctl daemon-reload
  install -d -m 0700 "$BG_DIR"; printf '%s\n' "$1" > "$BG_DIR/$2.release"; printf '%s\n' "$3" > "$BG_DIR/$2.port"
  echo "restarts=$(systemctl show -p NRestarts --value "litellm-$2.service")"
  echo "since=$(date +%s)"
  fresh_start "litellm-$2.service"
}

# COLOR: the port the color serves on, from the helper's own state (written by bg-start).
color_port() { local p; p=$(cat "$BG_DIR/$1.port" 2>/dev/null || true); number "${p:-x}" "the $1 color's port (never started?)"; printf '%s' "$p"; }

# PORT COLOR: every socket listening on PORT must belong to the color's own service (the socket's
# cgroup, or its process's when the kernel does not report one).
listener_is_color() {
  local lines l re='cgroup:([^ ]+)'
  lines=$(ss -Hltnep "( sport = :$1 )" 2>/dev/null || true)
  [ -n "$lines" ] || return 1
  while IFS= read -r l; do
    if [[ $l =~ $re ]]; then [[ ${BASH_REMATCH[1]} == */litellm-$2.service ]] || return 1
    elif [[ $l =~ pid=([0-9]+) ]]; then grep -q "/litellm-$2.service\$" "/proc/${BASH_REMATCH[1]}/cgroup" 2>/dev/null || return 1
    else return 1; fi
  done <<< "$lines"
}

# COLOR: the proxy sends new requests to COLOR; a graceful reload lets requests in flight finish on
# the old color. The color's port comes from the helper's state and must be served by the color's
# own service; the public address and port are the color's release's. The restart-mode service,
# if any, is stopped first (it holds the public port).
cmd_bg_switch() {
  color "$1"
  local port rel laddr lport
  port=$(color_port "$1")
  rel=$(release_dir "$(cat "$BG_DIR/$1.release")")
  laddr=$(param "$rel/unit.params" host); lport=$(param "$rel/unit.params" port)
  listener_is_color "$port" "$1" || fail 5 "127.0.0.1:$port is not served by litellm-$1.service; not switching"
  set -- "$1" "$port" "$laddr" "$lport"
  command -v nginx >/dev/null || fail 5 "nginx is not installed (the ensure-proxy step installs it)"
  local listen="$3:$4" other=green backup="" check
  # nginx runs before its site moves in, so the switch itself is a reload (tens of ms), not a start
  if ! systemctl is-active --quiet nginx; then systemctl enable --quiet nginx; systemctl start nginx; fi
  [[ $3 == *:* ]] && listen="[$3]:$4"
  [ "$1" = green ] && other=blue
  {
    echo "# Managed by litellm-deploy: the public port in front of the blue/green LiteLLM services."
    echo "# Rewritten on every switch; an edit shows as drift in \`litellm-deploy status\`. Live: $1 (127.0.0.1:$2)."
    echo "upstream litellm_deploy_live {"
    echo "    server 127.0.0.1:$2;"
    echo "    keepalive 16;"
    echo "    # Close idle connections to LiteLLM before it does (uvicorn: after 5 s), so a request is never"
    echo "    # sent on a connection LiteLLM is closing."
    echo "    keepalive_timeout 4s;"
    echo "}"
    echo "server {"
    echo "    listen $listen;"
    echo "    client_max_body_size 64m;"
    echo "    # No client keep-alive: a graceful reload closes idle keep-alive connections, and a client that"
    echo "    # sends a request on one at that moment gets a reset (POSTs are not retried). Fresh connections"
    echo "    # are always accepted by the current workers."
    echo "    keepalive_timeout 0;"
    echo "    location / {"
    echo "        proxy_pass http://litellm_deploy_live;"
    echo "        proxy_http_version 1.1;"
    echo "        proxy_set_header Connection \"\";"
    echo "        proxy_set_header Host \$host;"
    echo "        proxy_set_header X-Real-IP \$remote_addr;"
    echo "        proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;"
    echo "        proxy_set_header X-Forwarded-Proto \$scheme;"
    echo "        # Server-sent events go through as they are produced; long completions are not cut."
    echo "        proxy_buffering off;"
    echo "        proxy_request_buffering off;"
    echo "        proxy_cache off;"
    echo "        proxy_connect_timeout 5s;"
    echo "        proxy_read_timeout 3600s;"
    echo "        proxy_send_timeout 3600s;"
    echo "        send_timeout 3600s;"
    echo "    }"
    echo "}"
  } > "$PROXY_CONF.litellm-deploy.new"
  if [ -f "$PROXY_CONF" ]; then backup="$PROXY_CONF.litellm-deploy.old"; cp -p "$PROXY_CONF" "$backup"; fi
  mv -f "$PROXY_CONF.litellm-deploy.new" "$PROXY_CONF"
  if ! check=$(nginx -t -q 2>&1); then
    if [ -n "$backup" ]; then mv -f "$backup" "$PROXY_CONF"; else rm -f "$PROXY_CONF"; fi
    fail 5 "nginx refused the new site, the old one is back: $check"
  fi
  rm -f "$backup"
  if systemctl is-active --quiet "$LD_UNIT"; then
    # Moving from restart: the single service holds the public port. Stop it without waiting for its
    # requests in flight (it closes its listening socket first, then finishes them) and start the
    # proxy as soon as the port is free: the gap is that moment, not the whole drain.
    systemctl stop --no-block "$LD_UNIT"
    local waited=0
    while ss -Hltn "( sport = :$4 )" | grep -q . && [ "$waited" -lt 300 ]; do sleep 0.05; waited=$((waited + 1)); done
  fi
  systemctl disable --quiet "$LD_UNIT" 2>/dev/null || true
  systemctl reload nginx
  install -d -m 0700 "$BG_DIR"
  printf '%s\n' "$1" > "$BG_DIR/live"
  sha256sum < "$PROXY_CONF" | cut -d' ' -f1 > "$BG_DIR/proxy.sha256"
  systemctl enable --quiet "litellm-$1.service"
  systemctl disable --quiet "litellm-$other.service" 2>/dev/null || true
}

# COLOR TIMEOUT_S: waits until no connection to the old color's port is open (nginx's old workers
# finish their requests, then close), at most TIMEOUT_S; prints what was left.
cmd_bg_drain() {
  color "$1"; number "$2" timeout
  local end open port
  port=$(color_port "$1") # its own statement, so a color without a port fails here (inside "set --" it would not)
  set -- "$port" "$2"
  end=$(( $(date +%s) + $2 ))
  while :; do
    open=$(ss -Htn state established "( sport = :$1 )" 2>/dev/null | wc -l)
    if [ "$open" = 0 ]; then echo "drained=yes"; return 0; fi
    if [ "$(date +%s)" -ge "$end" ]; then echo "drained=no"; echo "open=$open"; return 0; fi
    sleep 0.2
  done
}

# TIMEOUT_S: after a move from restart, waits until the single service has finished its requests
# in flight and stopped, at most TIMEOUT_S (then it is stopped hard).
cmd_bg_wait_stopped() {
  number "$1" timeout
  local end state
  end=$(( $(date +%s) + $1 ))
  while state=$(systemctl is-active "$LD_UNIT" 2>/dev/null); [ "$state" = active ] || [ "$state" = deactivating ]; do
    if [ "$(date +%s)" -ge "$end" ]; then systemctl kill --signal=SIGKILL "$LD_UNIT" || true; echo "stopped=killed"; return 0; fi
    sleep 0.2
  done
  echo "stopped=yes"
}

# COLOR GRACE_S: stops COLOR now (0) or after GRACE_S seconds (a transient timer), so a rollback
# within the grace period is a switch back to a running process.
cmd_bg_retire() {
  color "$1"; number "$2" grace
  systemctl stop "litellm-deploy-retire-$1.timer" 2>/dev/null || true
  systemctl reset-failed "litellm-deploy-retire-$1.timer" "litellm-deploy-retire-$1.service" 2>/dev/null || true
  if [ "$2" = 0 ]; then
    # a color whose unit is gone (bg-leave removed it) is stopped too
    systemctl stop "litellm-$1.service" 2>/dev/null || ! systemctl is-active --quiet "litellm-$1.service"
  else
    systemd-run --quiet --unit "litellm-deploy-retire-$1" --on-active="$2s" --timer-property=AccuracySec=1s \
      /bin/systemctl stop "litellm-$1.service"
  fi
}

# Back to the restart strategy: the proxy site goes (nginx stops listening on the public port) and
# the colors stop. The caller then installs and restarts the single service.
cmd_bg_leave() {
  local c
  if [ -f "$PROXY_CONF" ]; then
    rm -f "$PROXY_CONF"
    if systemctl is-active --quiet nginx; then systemctl reload nginx; fi
  fi
  for c in blue green; do
    systemctl stop "litellm-deploy-retire-$c.timer" 2>/dev/null || true
    systemctl stop "litellm-$c.service" 2>/dev/null || true
    systemctl disable --quiet "litellm-$c.service" 2>/dev/null || true
    rm -f "/etc/systemd/system/litellm-$c.service"; rm -rf "${LD_CONFIG_DIR:?}/$c"
  done
  systemctl daemon-reload
  rm -rf "$BG_DIR"
}

cmd_bg_show() { color "$1"; systemctl show -p ActiveState -p SubState -p NRestarts -p MainPID "litellm-$1.service"; }
cmd_bg_journal() { color "$1"; journal_tail "litellm-$1.service" "$2" "$3"; }
