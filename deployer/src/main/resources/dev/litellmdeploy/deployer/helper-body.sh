# ---- litellm-deploy remote helper: everything the deployer does as root, as named verbs ----
# Every root action of a deploy is one verb below, with its arguments checked; nothing runs
# a script given by the caller. The deployer sends this file inline with each call
# (`sudo -n -- bash -c '<this file>' litellm-deploy-helper VERB ARGS`) or, with
# --sudo-helper, calls an installed copy that sudoers allows alone (LD_RESTRICTED=1: then
# the deploy user cannot run installer scripts as root). Read it with docs/security.md.

fail() { local code=$1; shift; printf '%s\n' "$*" >&2; exit "$code"; }
release_id() { [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$ ]] || fail 3 "not a release id: '$1'"; }
file_name() { [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9._+~-]{0,127}$ ]] || fail 3 "not a plain file name: '$1'"; }
number() { [[ $1 =~ ^[0-9]{1,12}$ ]] || fail 3 "$2 must be a whole number, not '$1'"; }
one_line() { [[ $1 != *$'\n'* && $1 != *$'\r'* ]] || fail 3 "$2 must be one line"; }
login_user() {
  local u=${SUDO_USER:-$(id -un)}
  [[ $u =~ ^[a-z_][a-z0-9_.-]{0,31}$ ]] || fail 3 "unexpected login user name '$u'"
  printf '%s' "$u"
}
staging() { printf '%s/staging/%s' "$LD_STATE" "$(login_user)"; }
release_dir() { printf '%s/releases/%s' "$LD_STATE" "$1"; }
# uv binaries came from the deploy user: never run them as root.
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }

check_helper() { # expected sha256 of this file when installed, or -
  [ "$1" = - ] && return 0
  local have; have=$(sha256sum < "$0" | cut -d' ' -f1)
  [ "$have" = "$1" ] || fail 3 "HELPER-MISMATCH installed=$have"
}

cmd_preflight() { # NEED_KIB
  number "$1" "space needed"
  [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] || fail 3 "PID 1 is '$(cat /proc/1/comm 2>/dev/null)', not systemd: this host cannot run a systemd service"
  command -v systemctl >/dev/null || fail 3 "systemctl is missing"
  command -v flock >/dev/null || fail 3 "flock (util-linux) is missing"
  command -v sha256sum >/dev/null || fail 3 "sha256sum (coreutils) is missing"
  local free state_free where=$LD_STATE
  free=$(df -Pk / /var/lib /opt 2>/dev/null | awk 'NR>1 {print $4}' | sort -n | head -1)
  [ "${free:-0}" -ge 102400 ] || fail 3 "only ${free:-0} KiB free on / or /var/lib or /opt; need at least 100 MiB (a first start downloads Python and LiteLLM: ~500 MiB)"
  while [ ! -d "$where" ]; do where=$(dirname "$where"); done
  state_free=$(df -Pk "$where" | awk 'NR>1 {print $4}')
  [ "${state_free:-0}" -ge "$1" ] || fail 3 "only ${state_free:-0} KiB free on $where, where releases are written; this release needs $1 KiB. Free some space (old releases: $LD_STATE/releases)"
  echo "free_kib=$free"
}

cmd_state() {
  local cur r f
  cur=$(readlink "$LD_STATE/current" 2>/dev/null || true); cur=${cur##*/}
  echo "current=$cur"
  if [ -n "$cur" ] && [ -f "$LD_STATE/releases/$cur/bundle-id" ]; then echo "bundle=$(cat "$LD_STATE/releases/$cur/bundle-id")"; fi
  if [ -n "$cur" ] && [ -f "$LD_STATE/releases/$cur/config.redacted.yaml" ]; then echo "redacted=$(base64 -w0 "$LD_STATE/releases/$cur/config.redacted.yaml")"; fi
  if [ -d "$LD_STATE/releases" ]; then for r in $(ls -1 "$LD_STATE/releases" | grep -v '[.]partial$' | sort); do
    [ -f "$LD_STATE/releases/$r/FAILED" ] || echo "release=$r"; done; fi
  echo "active=$(systemctl is-active "$LD_UNIT" 2>/dev/null || true)"
  echo "pid=$(systemctl show -p MainPID --value "$LD_UNIT" 2>/dev/null || echo 0)"
  echo "enabled=$(systemctl is-enabled "$LD_UNIT" 2>/dev/null || true)"
  for f in "$LD_CONFIG" "$LD_ENV" "$LD_UNIT_PATH"; do [ -f "$f" ] && echo "digest=$(sha256sum "$f")"; done
  echo "uv=$( [ -x "$LD_UVX" ] && as_nobody "$LD_UVX" --version 2>/dev/null | awk '{print $2}' || true)"
  id -u "$LD_USER" >/dev/null 2>&1 && echo "user=yes" || echo "user=no"
  adopt_state "$cur"
  bg_state
}

# Preflight, the deploy lock and the state in one call; holds the lock until stdin closes.
cmd_lock() { # EXPECTED_HELPER_SHA OWNER TIMEOUT_S NEED_KIB
  check_helper "$1"; one_line "$2" owner; number "$3" timeout
  cmd_preflight "$4"
  echo PREFLIGHT-OK
  local u; u=$(login_user)
  install -d -m 0711 "$LD_STATE"; install -d -m 0700 "$LD_STATE/releases"; install -d -m 0711 "$LD_STATE/staging"
  install -d -m 0700 -o "$u" -g "$(id -gn "$u")" "$LD_STATE/staging/$u"
  exec 9>>"$LD_STATE/lock"
  if ! flock -n 9; then
    echo "WAIT $(cat "$LD_STATE/lock.info" 2>/dev/null || echo 'another deploy')"
    flock -w "$3" 9 || { echo "BUSY $(cat "$LD_STATE/lock.info" 2>/dev/null || echo 'another deploy')"; exit 75; }
  fi
  printf '%s\n' "$2" > "$LD_STATE/lock.info"
  echo LOCKED
  cmd_state
  echo STATE-END
  cat >/dev/null
}

# Takes an uploaded release out of the login user's reach (a rename into the root-only releases
# directory), then checks it: regular files only, exactly the listed ones, every digest.
cmd_commit() { # RELEASE BUNDLE_ID CHECKSUMS
  release_id "$1"; release_id "$2"
  local src dst line name names=()
  src="$(staging)/$1"; dst=$(release_dir "$1")
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    [[ $line =~ ^[0-9a-f]{64}\ \ ([A-Za-z0-9][A-Za-z0-9._-]*)$ ]] || fail 3 "not a checksum line: '$line'"
    names+=("${BASH_REMATCH[1]}")
  done <<< "$3"
  [ -d "$src" ] && [ ! -L "$src" ] || fail 4 "the upload $src is missing"
  rm -rf "$dst.partial"
  mv -T "$src" "$dst.partial"
  chown -R root:root "$dst.partial"; chmod 0700 "$dst.partial"
  if [ -n "$(find "$dst.partial" -mindepth 1 ! -type f -print -quit)" ]; then rm -rf "$dst.partial"; fail 4 "the upload holds something other than regular files"; fi
  for name in "${names[@]}"; do [ -f "$dst.partial/$name" ] || { rm -rf "$dst.partial"; fail 4 "the upload lacks $name"; }; done
  find "$dst.partial" -type f -exec chmod 0600 {} +
  (cd "$dst.partial" && printf '%s' "$3" | sha256sum --quiet --strict -c -) || { rm -rf "$dst.partial"; fail 4 "an uploaded file does not match the bundle's digest"; }
  [ ! -f "$dst.partial/litellm.service" ] || (check_unit "$dst.partial/litellm.service") || { rm -rf "$dst.partial"; exit 3; }
  printf '%s\n' "$2" > "$dst.partial/bundle-id"
  sync "$dst.partial"
  rm -rf "$dst"; mv -T "$dst.partial" "$dst"
  find "$(staging)" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
}

cmd_ensure_user() {
  id -u "$LD_USER" >/dev/null 2>&1 || useradd --system --home-dir "$LD_HOME" --create-home --shell /usr/sbin/nologin "$LD_USER"
  install -d -m 0750 -o "$LD_USER" -g "$LD_USER" "$LD_HOME"
  install -d -m 0750 -o root -g "$LD_USER" "$LD_CONFIG_DIR"
}

# A unit is root's to run: only keys on this list are installed, the service must run as the
# service user, no Exec line may ask for root (+ or !), no capabilities, no other env file.
check_unit() { # FILE
  awk -v user="$LD_USER" -v envfile="$LD_ENV" '
    function bad(msg) { printf "the unit (litellm.service line %d) is refused: %s\n", FNR, msg > "/dev/stderr"; failed = 1 }
    /^[ \t]*([#;].*)?$/ { next }
    /\\$/ { bad("line continuations are not accepted"); next }
    /^\[.*\][ \t]*$/ { section = $1; if (section != "[Unit]" && section != "[Service]" && section != "[Install]") bad("section " section " is not accepted"); next }
    {
      eq = index($0, "="); if (eq == 0) { bad("not a Key=value line"); next }
      key = substr($0, 1, eq - 1); gsub(/[ \t]+$/, "", key); val = substr($0, eq + 1); gsub(/^[ \t]+|[ \t]+$/, "", val)
      if (section == "[Unit]") {
        if (key !~ /^(Description|Documentation|After|Before|Wants|Requires|PartOf|StartLimitIntervalSec|StartLimitBurst)$/) bad(key " is not accepted in [Unit]")
      } else if (section == "[Install]") {
        if (key !~ /^(WantedBy|RequiredBy)$/) bad(key " is not accepted in [Install]")
      } else if (section == "[Service]") {
        if (key ~ /^Exec/) {
          if (key !~ /^Exec(Start|StartPre|StartPost|Stop|StopPost|Reload)$/) bad(key " is not accepted")
          else if (val ~ /^[-@:]*[+!]/) bad(key " with a + or ! prefix would run as root")
        } else if (key == "User" || key == "Group") {
          if (val != user) bad(key "=" val ": the service must run as " user); else if (key == "User") hasuser = 1
        } else if (key == "EnvironmentFile") {
          v = val; sub(/^-/, "", v); if (v != envfile) bad("EnvironmentFile must be " envfile)
        } else if (key ~ /^(CapabilityBoundingSet|AmbientCapabilities)$/) {
          if (val != "") bad(key " must be empty")
        } else if (key ~ /^Standard(Output|Error)$/) {
          if (val !~ /^(journal|null|inherit|journal\+console)$/) bad(key "=" val " is not accepted")
        } else if (key !~ /^(Type|Restart|RestartSec|TimeoutSec|TimeoutStartSec|TimeoutStopSec|KillMode|KillSignal|WorkingDirectory|Environment|SyslogIdentifier|Nice|Limit[A-Z]+|MemoryMax|MemoryHigh|CPUQuota|TasksMax|NoNewPrivileges|PrivateTmp|PrivateDevices|PrivateUsers|PrivateIPC|ProtectSystem|ProtectHome|ReadWritePaths|ReadOnlyPaths|InaccessiblePaths|ProtectKernelTunables|ProtectKernelModules|ProtectKernelLogs|ProtectControlGroups|ProtectClock|ProtectHostname|ProtectProc|ProcSubset|RestrictSUIDSGID|RestrictRealtime|RestrictNamespaces|RestrictAddressFamilies|LockPersonality|MemoryDenyWriteExecute|RemoveIPC|UMask|SystemCallFilter|SystemCallArchitectures|SystemCallErrorNumber|DevicePolicy|KeyringMode|IPAddressAllow|IPAddressDeny)$/) {
          bad(key " is not accepted in [Service]")
        }
      } else bad("a key outside any section")
    }
    END { if (!hasuser) bad("it has no User=" user " and would run as root"); exit failed }' "$1" || exit 3
}

# SOURCE TARGET MODE GROUP: write, fsync, rename (a reader sees the old file or the new one).
put() { install -m "$3" -o root -g "$4" "$1" "$2.litellm-deploy.new" && sync "$2.litellm-deploy.new" && mv -f "$2.litellm-deploy.new" "$2"; }

# RELEASE_DIR CONFIG_PATH ENV_PATH: the release's config (root:service 0640) and env file (root 0600, or none).
put_config_and_env() {
  put "$1/config.yaml" "$2" 0640 "$LD_USER"
  if [ -f "$1/litellm.env" ]; then put "$1/litellm.env" "$3" 0600 root; else rm -f "$3"; fi
}

install_files() { # RELEASE_DIR
  local rel=$1
  [ -f "$rel/config.yaml" ] && [ -f "$rel/litellm.service" ] || fail 3 "release $(basename "$rel") is incomplete"
  check_unit "$rel/litellm.service"
  put_config_and_env "$rel" "$LD_CONFIG" "$LD_ENV"
  put "$rel/litellm.service" "$LD_UNIT_PATH" 0644 root
}

cmd_install() { # RELEASE [daemon-reload] [enable]
  release_id "$1"
  local rel; rel=$(release_dir "$1"); shift
  cmd_ensure_user
  install_files "$rel"
  for step in "$@"; do case "$step" in
    daemon-reload) systemctl daemon-reload ;;
    enable) systemctl enable --quiet "$LD_UNIT" ;;
    *) fail 3 "unknown install step '$step'" ;;
  esac; done
}

cmd_restart() { # prints NRestarts before, the clock, then restarts
  systemctl show -p NRestarts --value "$LD_UNIT"
  date +%s
  systemctl restart "$LD_UNIT"
}

cmd_switch() { # RELEASE: its files, daemon-reload, restart (rollbacks)
  release_id "$1"
  local rel; rel=$(release_dir "$1")
  [ -d "$rel" ] || fail 3 "release $1 is not on this host"
  install_files "$rel"
  systemctl daemon-reload
  systemctl restart "$LD_UNIT"
}

cmd_stop() { systemctl stop "$LD_UNIT" || true; systemctl disable --quiet "$LD_UNIT" || true; }
cmd_show() { systemctl show -p ActiveState -p SubState -p NRestarts -p MainPID "$LD_UNIT"; }
cmd_now() { date +%s; }
cmd_journal() { # SINCE_EPOCH LINES
  number "$1" since; number "$2" lines
  journalctl -u "$LD_UNIT" --no-pager -o cat -n "$2" --since "@$1" || true
}
cmd_logs() { # LINES follow|once
  number "$1" lines
  if [ "${2:-once}" = follow ]; then
    journalctl -u "$LD_UNIT" --no-pager -o short-iso -n "$1" -f & local pid=$!
    cat >/dev/null; kill "$pid"
  else
    journalctl -u "$LD_UNIT" --no-pager -o short-iso -n "$1"
  fi
}

cmd_mark_failed() { release_id "$1"; local d; d=$(release_dir "$1"); [ ! -d "$d" ] || touch "$d/FAILED"; }

audit() { one_line "$1" "an audit line"; printf '%s\n' "$1" >> "$LD_STATE/audit.log"; chmod 0600 "$LD_STATE/audit.log"; }
cmd_audit() { audit "$1"; }

cmd_record() { # RELEASE PREVIOUS KEEP AUDIT_LINE
  release_id "$1"; [ -z "$2" ] || release_id "$2"; number "$3" keep
  [ -d "$(release_dir "$1")" ] || fail 3 "release $1 is not on this host"
  ln -sfn "releases/$1" "$LD_STATE/current.new" && mv -Tf "$LD_STATE/current.new" "$LD_STATE/current"
  ls -1 "$LD_STATE/releases" | grep -v '[.]partial$' | grep -vx "$ADOPTED_ID" | sort | head -n "-$3" | while read -r r; do
    [ "$r" = "$1" ] || [ "$r" = "$2" ] || rm -rf "$LD_STATE/releases/$r"; done
  audit "$4"
}

cmd_read_release() { # RELEASE: every file, base64
  release_id "$1"
  local d f; d=$(release_dir "$1")
  [ -f "$d/manifest.json" ] || fail 3 "release $1 does not exist or has no manifest"
  for f in "$d"/*; do [ -f "$f" ] && printf '%s %s\n' "$(basename "$f")" "$(base64 -w0 "$f")"; done
}

install_uv_binaries() { # ARCHIVE
  local d uv uvx
  d=$(mktemp -d "$LD_STATE/uv.XXXXXX")
  tar --no-same-owner --no-same-permissions -xzf "$1" -C "$d"
  uv=$(find "$d" -type f -name uv | head -1); uvx=$(find "$d" -type f -name uvx | head -1)
  [ -n "$uv" ] && [ -n "$uvx" ] || { rm -rf "$d"; fail 5 "the uv archive holds no uv and uvx binaries"; }
  install -d "$LD_UV_BIN"; install -m 0755 -o root -g root "$uv" "$LD_UV_BIN/uv"; install -m 0755 -o root -g root "$uvx" "$LD_UV_BIN/uvx"
  rm -rf "$d"
}

cmd_install_uv() { # FILE_NAME (uploaded into the staging directory: an archive, or the installer script)
  file_name "$1"
  local f="$LD_STATE/uv-upload.$$"
  [ -f "$(staging)/$1" ] && [ ! -L "$(staging)/$1" ] || fail 5 "the uploaded uv file is missing"
  mv -T "$(staging)/$1" "$f"; chown root:root "$f"
  case "$1" in
    *.tar.gz|*.tgz) install_uv_binaries "$f" ;;
    *) [ "$LD_RESTRICTED" = 0 ] || { rm -f "$f"; fail 5 "this helper does not run uv installer scripts as root; upload a uv release archive (uv-<arch>.tar.gz) or install uv on the host"; }
       env UV_INSTALL_DIR="$LD_UV_BIN" UV_NO_MODIFY_PATH=1 INSTALLER_NO_MODIFY_PATH=1 sh "$f" ;;
  esac
  rm -f "$f"
  as_nobody "$LD_UV_BIN/uvx" --version
}

cmd_install_uv_url() { # URL of the installer script
  [ "$LD_RESTRICTED" = 0 ] || fail 5 "this helper does not download and run uv installer scripts as root; upload a uv release archive (--uv-archive) or install uv on the host"
  [[ $1 =~ ^https://[A-Za-z0-9./_:%~+-]+$ ]] || fail 5 "not an https URL: $1"
  install -d -m 0700 "$LD_STATE/uv-download"
  local f="$LD_STATE/uv-download/uv-installer.sh"
  curl --proto '=https' --tlsv1.2 -fLsS --retry 3 "$1" -o "$f" || fail 5 "cannot download the uv installer from $1"
  env UV_INSTALL_DIR="$LD_UV_BIN" UV_NO_MODIFY_PATH=1 INSTALLER_NO_MODIFY_PATH=1 sh "$f"
  rm -f "$f"
  as_nobody "$LD_UV_BIN/uvx" --version
}

main() {
  [ "$(id -u)" = 0 ] || fail 3 "the litellm-deploy helper must run as root (through sudo)"
  local verb=${1:-}; shift || true
  case "$verb" in
    preflight) [ $# = 2 ] || fail 2 "usage: preflight EXPECTED_SHA NEED_KIB"; check_helper "$1"; cmd_preflight "$2" ;;
    lock) [ $# = 4 ] || fail 2 "usage: lock EXPECTED_SHA OWNER TIMEOUT NEED_KIB"; cmd_lock "$@" ;;
    state) cmd_state ;;
    commit) [ $# = 3 ] || fail 2 "usage: commit RELEASE BUNDLE_ID CHECKSUMS"; cmd_commit "$@" ;;
    ensure-user) cmd_ensure_user ;;
    install) [ $# -ge 1 ] || fail 2 "usage: install RELEASE [daemon-reload] [enable]"; cmd_install "$@" ;;
    restart) cmd_restart ;;
    switch) [ $# = 1 ] || fail 2 "usage: switch RELEASE"; cmd_switch "$1" ;;
    stop) cmd_stop ;;
    show) cmd_show ;;
    now) cmd_now ;;
    journal) [ $# = 2 ] || fail 2 "usage: journal SINCE LINES"; cmd_journal "$@" ;;
    logs) [ $# -ge 1 ] || fail 2 "usage: logs LINES [follow]"; cmd_logs "$@" ;;
    mark-failed) [ $# = 1 ] || fail 2 "usage: mark-failed RELEASE"; cmd_mark_failed "$1" ;;
    audit) [ $# = 1 ] || fail 2 "usage: audit LINE"; cmd_audit "$1" ;;
    record) [ $# = 4 ] || fail 2 "usage: record RELEASE PREVIOUS KEEP AUDIT_LINE"; cmd_record "$@" ;;
    read-release) [ $# = 1 ] || fail 2 "usage: read-release RELEASE"; cmd_read_release "$1" ;;
    install-uv) [ $# = 1 ] || fail 2 "usage: install-uv FILE_NAME"; cmd_install_uv "$1" ;;
    install-uv-url) [ $# = 1 ] || fail 2 "usage: install-uv-url URL"; cmd_install_uv_url "$1" ;;
    ensure-proxy) cmd_ensure_proxy "$@" ;;
    bg-start) [ $# = 3 ] || fail 2 "usage: bg-start RELEASE COLOR PORT"; cmd_bg_start "$@" ;;
    bg-switch) [ $# = 4 ] || fail 2 "usage: bg-switch COLOR PORT LISTEN_ADDR LISTEN_PORT"; cmd_bg_switch "$@" ;;
    bg-drain) [ $# = 2 ] || fail 2 "usage: bg-drain PORT TIMEOUT"; cmd_bg_drain "$@" ;;
    bg-retire) [ $# = 2 ] || fail 2 "usage: bg-retire COLOR GRACE"; cmd_bg_retire "$@" ;;
    bg-leave) cmd_bg_leave ;;
    bg-wait-stopped) [ $# = 1 ] || fail 2 "usage: bg-wait-stopped TIMEOUT"; cmd_bg_wait_stopped "$1" ;;
    bg-show) [ $# = 1 ] || fail 2 "usage: bg-show COLOR"; cmd_bg_show "$1" ;;
    bg-journal) [ $# = 3 ] || fail 2 "usage: bg-journal COLOR SINCE LINES"; cmd_bg_journal "$@" ;;
    adopt) cmd_adopt ;;
    restore-adopted) cmd_restore_adopted ;;
    version) echo "$LD_VERSION" ;;
    *) fail 2 "usage: litellm-deploy-helper VERB [ARGS] (verbs: preflight lock state commit ensure-user install restart switch stop show now journal logs mark-failed audit record read-release install-uv install-uv-url ensure-proxy bg-start bg-switch bg-drain bg-retire bg-leave bg-wait-stopped bg-show bg-journal adopt restore-adopted version)" ;;
  esac
}
main "$@"
