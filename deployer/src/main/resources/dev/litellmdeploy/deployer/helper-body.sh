# shellcheck shell=bash
# ---- litellm-deploy remote helper: everything the deployer does as root, as named verbs ----
# Every root action of a deploy is one verb below, with its arguments checked; nothing runs
# a script given by the caller. The deployer sends this file inline with each call
# (`sudo -n -- bash -c '<this file>' litellm-deploy-helper VERB ARGS`) or, with
# --sudo-helper, calls an installed copy that sudoers allows alone (LD_RESTRICTED=1: then
# the deploy user cannot run installer scripts as root). Read it with docs/security.md.
# Trust boundary of the installed (restricted) form: root never runs a unit text the user wrote
# (it installs only the unit it renders itself from checked parameters, below), never renames or
# follows a path the user controls (uploads are read AS the user into directories root just
# made), writes audit lines from what it knows, and refuses symlinks where it writes.

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
# Anything in the login user's staging folder is read, listed and removed as that user, never as
# root: a symlink, a swapped directory or a descriptor they hold can then reach only what they can.
as_login_user() { local u; u=$(login_user); setpriv --reuid="$(id -u "$u")" --regid="$(id -g "$u")" --clear-groups -- "$@"; }
# One line of "safe" text (actor, result): no quotes, backslashes or control characters, so it can
# go into a JSON audit line as it is.
claim() { [[ $1 =~ ^[A-Za-z0-9\ @._:\;()/+,=-]{0,160}$ ]] || fail 3 "$2 may hold only letters, digits, spaces and @._:;()/+,=- (at most 160)"; }
# Root writes into these: each must be a real directory or file, never a symbolic link.
no_links() {
  local p
  for p in "$LD_STATE" "$LD_STATE/releases" "$LD_STATE/staging" "$LD_CONFIG_DIR" "$LD_HOME" "$LD_CONFIG" "$LD_ENV" "$LD_UNIT_PATH" \
      "$LD_UV_BIN" "$LD_STATE/current" "$LD_CONFIG_DIR/blue" "$LD_CONFIG_DIR/green" "$LD_STATE/blue-green"; do
    if [ -L "$p" ] && [ "$p" != "$LD_STATE/current" ]; then
      fail 3 "$p is a symbolic link; litellm-deploy refuses to write through it. Nothing was changed. Replace it with a real, root-owned directory or file."
    fi
  done
}
release_dir() { printf '%s/releases/%s' "$LD_STATE" "$1"; }
# The files a release may carry: the bundle's own, and extra files (include: files, Python modules the config loads)
# that install puts beside config.yaml: plain names in one folder, never a name of the bundle's or the helper's own.
bundle_file() { case "$1" in config.yaml|config.redacted.yaml|litellm.env|litellm.service|manifest.json|requirements.lock) return 0 ;; esac; extra_file "$1"; }
extra_file() { [[ $1 =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}\.(yaml|yml|py)$ && $1 != config.yaml && $1 != config.redacted.yaml ]]; }
# RELEASE that an upload may fill: not one root gives a meaning of its own. 0-adopted is root's copy of the
# admin's setup (restore-adopted puts it back verbatim, as root, unchecked) and *.partial are root's work folders.
upload_id() { release_id "$1"; [[ $1 != "$ADOPTED_ID" && $1 != *.partial ]] || fail 3 "release id '$1' is the helper's own; an upload cannot use it"; }
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
  echo "protocol=$LD_PROTOCOL"
  echo "current=$cur"
  if [ -n "$cur" ] && [ -f "$LD_STATE/releases/$cur/bundle-id" ]; then echo "bundle=$(cat "$LD_STATE/releases/$cur/bundle-id")"; fi
  if [ -n "$cur" ] && [ -f "$LD_STATE/releases/$cur/config.redacted.yaml" ]; then echo "redacted=$(base64 -w0 "$LD_STATE/releases/$cur/config.redacted.yaml")"; fi
  for r in $(history_order); do
    # never offered as a rollback target: a release that failed its own proof (FAILED), or one a deploy-time problem stopped
    # before it was proven (UNPROVEN: not the release's fault, so not marked bad)
    if [ -f "$LD_STATE/releases/$r/FAILED" ]; then echo "failed_release=$r"
    elif [ -f "$LD_STATE/releases/$r/UNPROVEN" ]; then echo "unproven_release=$r"
    else echo "release=$r"; fi
  done
  echo "active=$(systemctl is-active "$LD_UNIT" 2>/dev/null || true)"
  echo "pid=$(systemctl show -p MainPID --value "$LD_UNIT" 2>/dev/null || echo 0)"
  echo "enabled=$(systemctl is-enabled "$LD_UNIT" 2>/dev/null || true)"
  for f in "$LD_CONFIG" "$LD_ENV" "$LD_UNIT_PATH"; do [ -f "$f" ] && echo "digest=$(sha256sum "$f")"; done
  echo "uv=$( { [ -x "$LD_UVX" ] && as_nobody "$LD_UVX" --version 2>/dev/null | awk '{print $2}'; } || true)"
  id -u "$LD_USER" >/dev/null 2>&1 && echo "user=yes" || echo "user=no"
  wheelhouse_state
  env_state
  drift_state "$cur"
  adopt_state "$cur"
  bg_state
  # the last deploys' audit lines (each one JSON line the helper wrote), for status's history
  if [ -f "$LD_STATE/audit.log" ]; then tail -n 8 "$LD_STATE/audit.log" | while IFS= read -r l; do echo "audit=$(printf '%s' "$l" | base64 -w0)"; done; fi
}

# Preflight, the deploy lock and the state in one call; holds the lock until stdin closes, and meanwhile runs the
# deploy's further verbs itself (serve_requests, helper-main.sh).
cmd_lock() { # EXPECTED_HELPER_SHA OWNER TIMEOUT_S NEED_KIB
  check_helper "$1"; one_line "$2" owner; number "$3" timeout
  cmd_preflight "$4" </dev/null # stdin is the deployer's requests, which it may send before the state (serve_requests)
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
  cmd_state </dev/null
  echo "requests=1"
  echo STATE-END
  serve_requests
}

# Takes an uploaded release out of the login user's reach: each listed file is read AS the user
# (so a link or a swapped folder reaches only what they could read) into a directory root has
# just made, and every digest is checked on root's copy. The unit parameters are checked and kept
# with it; the restricted helper accepts only a release whose unit is the one it renders itself.
cmd_commit() { # RELEASE BUNDLE_ID CHECKSUMS UNIT_PARAMS
  upload_id "$1"; release_id "$2"
  local src dst line name names=()
  src="$(staging)/$1"; dst=$(release_dir "$1")
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    [[ $line =~ ^[0-9a-f]{64}\ \ ([A-Za-z0-9][A-Za-z0-9._-]*)$ ]] || fail 3 "not a checksum line: '$line'"
    name=${BASH_REMATCH[1]}
    bundle_file "$name" || fail 3 "$name is not a bundle file (a release carries config.yaml, litellm.env, litellm.service, config.redacted.yaml, manifest.json and plain *.yaml, *.yml, *.py files)"
    [[ " ${names[*]} " != *" $name "* ]] || fail 3 "$name is listed twice"
    names+=("$name")
  done <<< "$3"
  [ "${#names[@]}" -gt 0 ] || fail 3 "no files to commit"
  rm -rf "$dst.partial"; install -d -m 0700 "$dst.partial"
  for name in "${names[@]}"; do
    as_login_user cat -- "$src/$name" > "$dst.partial/$name" 2>/dev/null || { rm -rf "$dst.partial"; fail 4 "the upload lacks $name (or it is not readable by $(login_user))"; }
  done
  (cd "$dst.partial" && printf '%s' "$3" | sha256sum --quiet --strict -c -) || { rm -rf "$dst.partial"; fail 4 "an uploaded file does not match the bundle's digest"; }
  if [ -n "$4" ]; then
    (unit_params "$4" > "$dst.partial/unit.params") || { rm -rf "$dst.partial"; exit 3; }
  fi
  if [ "$LD_RESTRICTED" = 1 ]; then
    { [ -n "$4" ] && [ -f "$dst.partial/litellm.service" ]; } || { rm -rf "$dst.partial"; fail 3 "this helper installs only the unit it renders itself, and this release carries no unit parameters (a custom litellm.service.mustache?)"; }
    if ! is_own_unit "$dst.partial"; then
      rm -rf "$dst.partial"
      fail 3 "the unit in this release is not the one this helper renders from its parameters (a custom litellm.service.mustache, or a bundle built by another litellm-deploy version). The restricted helper installs only its own unit; deploy with full sudo to use a custom unit (docs/security.md)"
    fi
  fi
  printf '%s\n' "$2" > "$dst.partial/bundle-id"
  sync "$dst.partial"
  rm -rf "$dst"; mv -T "$dst.partial" "$dst"
  as_login_user find "$(staging)" -mindepth 1 -delete 2>/dev/null || true
}

# UNIT_PARAMS (lines KEY=VALUE): checked one by one; prints them back, normalized.
unit_params() {
  local line k v seen=""
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    one_line "$line" "a unit parameter"
    k=${line%%=*}; v=${line#*=}
    case "$k" in
      litellm_version) [[ $v =~ ^[0-9][0-9A-Za-z.+!_-]{0,39}$ ]] || fail 3 "not a LiteLLM version: '$v'" ;;
      python_version) [[ $v =~ ^[0-9]{1,2}(\.[0-9]{1,3}){0,2}$ ]] || fail 3 "not a Python version: '$v'" ;;
      host) [[ $v =~ ^[0-9A-Za-z.:_-]{1,253}$ ]] || fail 3 "not a listen address: '$v'" ;;
      port) { [[ $v =~ ^[0-9]{1,5}$ ]] && [ "$v" -ge 1 ] && [ "$v" -le 65535 ]; } || fail 3 "not a port: '$v'" ;;
      env_file) [[ $v == yes || $v == no ]] || fail 3 "env_file must be yes or no" ;;
      lock) [[ $v =~ ^[0-9a-f]{64}$ ]] || fail 3 "not a lock digest (a sha256): '$v'" ;;
      env) [[ $v =~ ^[A-Za-z_][A-Za-z0-9_]{0,63}=[A-Za-z0-9_./:,@+=-]{0,512}$ ]] \
             || fail 3 "unit environment entries for the restricted helper are NAME=value with letters, digits and _./:,@+=- only: '${v%%=*}'" ;;
      *) fail 3 "unknown unit parameter '$k'" ;;
    esac
    [[ $k == env ]] || { [[ " $seen " != *" $k "* ]] || fail 3 "unit parameter $k given twice"; seen="$seen $k"; }
    printf '%s=%s\n' "$k" "$v"
  done <<< "$1"
  for k in litellm_version python_version host port env_file; do [[ " $seen " == *" $k "* ]] || fail 3 "unit parameter $k is missing"; done
}

param() { sed -n "s/^$2=//p" "$1" | head -1; }

# RELEASE_DIR: its litellm.service is byte for byte the helper's own rendering of its unit parameters.
is_own_unit() { cmp -s <(render_unit "$1/unit.params" "$LD_UNIT" "$LD_CONFIG" "$LD_ENV" "" "") "$1/litellm.service"; }

# PARAMS_FILE UNIT_NAME CONFIG ENV_FILE [HOST PORT]: the unit, from the skeleton of the project's
# litellm.service template (in this file, below) and the release's checked parameters.
render_unit() {
  local t envs="" line host=${5:-} port=${6:-}
  [ -n "$host" ] || host=$(param "$1" host); [ -n "$port" ] || port=$(param "$1" port)
  t=$(unit_skeleton "$(param "$1" lock)"; printf x); t=${t%x}; t=${t//@LD_U_LOCK@/"$(param "$1" lock)"}
  while IFS= read -r line; do [ -n "$line" ] && envs+="Environment=\"${line#env=}\""$'\n'; done < <(grep '^env=' "$1" || true)
  t=${t//$'@LD_U_ENVIRONMENT@\n'/"$envs"}
  if [ "$(param "$1" env_file)" = yes ]; then t=${t//@LD_U_ENVFILE@/"$4"}; else t=${t//$'EnvironmentFile=@LD_U_ENVFILE@\n'/}; fi
  t=${t//@LD_U_UNIT@/"$2"}; t=${t//@LD_U_CONFIG@/"$3"}
  t=${t//@LD_U_VERSION@/"$(param "$1" litellm_version)"}; t=${t//@LD_U_PYTHON@/"$(param "$1" python_version)"}
  t=${t//@LD_U_HOST@/"$host"}; t=${t//@LD_U_PORT@/"$port"}
  printf '%s' "$t"
}

cmd_ensure_user() {
  id -u "$LD_USER" >/dev/null 2>&1 || useradd --system --home-dir "$LD_HOME" --create-home --shell /usr/sbin/nologin "$LD_USER"
  install -d -m 0750 -o "$LD_USER" -g "$LD_USER" "$LD_HOME"
  install -d -m 0750 -o root -g "$LD_USER" "$LD_CONFIG_DIR"
}

# SOURCE TARGET MODE GROUP [OWNER]: write and fsync TARGET.litellm-deploy.new (nothing else changes
# yet); renaming it over TARGET is the caller's, so a reader sees the old file or the new one.
stage() { install -m "$3" -o "${5:-root}" -g "$4" "$1" "$2.litellm-deploy.new" && sync "$2.litellm-deploy.new"; }

# RELEASE_DIR UNIT_NAME CONFIG ENV: the unit this release installs as UNIT_NAME, in a file root
# owns: the restricted helper's own rendering, or (full sudo) the release's file as it is.
unit_text_file() {
  if [ "$LD_RESTRICTED" = 1 ]; then
    [ -f "$1/unit.params" ] || fail 3 "release $(basename "$1") has no unit parameters (committed by an older helper); deploy it again"
    render_unit "$1/unit.params" "$2" "$3" "$4" "" "" > "$1/unit.rendered"; printf '%s' "$1/unit.rendered"
  else
    printf '%s' "$1/litellm.service"
  fi
}

# RELEASE_DIR CONFIG ENV UNIT_TEXT_FILE UNIT_PATH: every file is written beside its target first; only
# when all are written (and synced) are they renamed into place. A failure before that (a full
# disk) removes the new files and exits 7: nothing was installed, the running service is untouched.
install_set() {
  local rel=$1 ok=1 f dir=${2%/*} extras
  extras=$(extra_files "$rel")
  rm -f "$2.litellm-deploy.new" "$3.litellm-deploy.new" "$5.litellm-deploy.new"  # left by a deploy that died midway
  for f in $extras; do [ "$ok" = 0 ] || stage "$rel/$f" "$dir/$f" 0640 "$LD_USER" || ok=0; done
  [ "$ok" = 0 ] || stage "$rel/config.yaml" "$2" 0640 "$LD_USER" || ok=0
  if [ "$ok" = 1 ] && [ -f "$rel/litellm.env" ]; then stage "$rel/litellm.env" "$3" 0600 root || ok=0; fi
  # an unchanged unit is left as it is (rewriting it makes systemd warn that it changed on disk)
  if [ "$ok" = 1 ] && ! { cmp -s "$4" "$5" && [ "$(stat -c '%a %U %G' "$5")" = "644 root root" ]; }; then stage "$4" "$5" 0644 root || ok=0; fi
  if [ "$ok" = 0 ]; then
    for f in "$2" "$3" "$5"; do rm -f "$f.litellm-deploy.new"; done
    for f in $extras; do rm -f "$dir/$f.litellm-deploy.new"; done
    fail 7 "NOT-INSTALLED: could not write the new files beside $2 and $5 (disk full?); nothing was installed"
  fi
  for f in $extras; do mv -f "$dir/$f.litellm-deploy.new" "$dir/$f"; done
  remove_extras "$dir" "$extras"
  mv -f "$2.litellm-deploy.new" "$2"
  if [ -f "$rel/litellm.env" ]; then mv -f "$3.litellm-deploy.new" "$3"; else rm -f "$3"; fi
  if [ -f "$5.litellm-deploy.new" ]; then mv -f "$5.litellm-deploy.new" "$5"; fi
}

# RELEASE_DIR: its extra files (names checked again: the release store is root's, but the rule is the gate's), one a line.
extra_files() { local f; for f in "$1"/*; do f=${f##*/}; if [ -f "$1/$f" ] && [ ! -L "$1/$f" ] && extra_file "$f"; then echo "$f"; fi; done; }

# DIR KEEP: the extra files an earlier release installed in DIR (listed in DIR/.litellm-deploy-files) that KEEP does
# not name are removed, so a module a release dropped is not live; files of others in DIR are never touched.
remove_extras() {
  local f
  if [ -f "$1/.litellm-deploy-files" ] && [ ! -L "$1/.litellm-deploy-files" ]; then
    while IFS= read -r f; do
      if extra_file "$f" && ! grep -qxF -- "$f" <<< "$2"; then rm -f -- "${1:?}/$f"; fi
    done < "$1/.litellm-deploy-files"
  fi
  if [ -n "$2" ]; then printf '%s\n' "$2" > "$1/.litellm-deploy-files.new" && mv -f "$1/.litellm-deploy-files.new" "$1/.litellm-deploy-files"; else rm -f "$1/.litellm-deploy-files"; fi
}

install_files() { # RELEASE_DIR
  local rel=$1
  { [ -f "$rel/config.yaml" ] && [ -f "$rel/litellm.service" ] && [ ! -L "$rel" ]; } || fail 3 "release $(basename "$rel") is incomplete"
  install_set "$rel" "$LD_CONFIG" "$LD_ENV" "$(unit_text_file "$rel" "$LD_UNIT" "$LD_CONFIG" "$LD_ENV")" "$LD_UNIT_PATH"
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

# UNIT: systemd refuses a 6th start within 10 s (StartLimitBurst): a deploy's own restart must not
# be refused because of earlier deploys' restarts. Clearing the unit's failed/start-limit state
# before it is what `systemctl reset-failed` does; a crash loop of the new release is still seen
# (the deployer watches NRestarts and auto-restart after this restart).
fresh_start() { systemctl reset-failed "$1" 2>/dev/null || true; systemctl restart "$1"; }

cmd_restart() { # prints restarts=NRestarts before and since=the clock, then restarts
  echo "restarts=$(systemctl show -p NRestarts --value "$LD_UNIT")"
  echo "since=$(date +%s)"
  fresh_start "$LD_UNIT"
}

cmd_switch() { # RELEASE: its files, daemon-reload, enable, restart (rollbacks; a host back from blue-green had it disabled)
  release_id "$1"
  local rel; rel=$(release_dir "$1")
  [ -d "$rel" ] || fail 3 "release $1 is not on this host"
  install_files "$rel"
  systemctl daemon-reload
  systemctl enable --quiet "$LD_UNIT"
  fresh_start "$LD_UNIT"
}

cmd_stop() { systemctl stop "$LD_UNIT" || true; systemctl disable --quiet "$LD_UNIT" || true; }
cmd_show() { systemctl show -p ActiveState -p SubState -p NRestarts -p MainPID "$LD_UNIT"; }
cmd_now() { echo "now=$(date +%s)"; }
# UNIT SINCE_EPOCH LINES: the unit's journal for a failure's tail. Only asked for after a failure:
# what the process wrote as it died (a long traceback) reaches the journal a moment after systemd
# saw it exit.
journal_tail() {
  number "$2" since; number "$3" lines
  sleep 1; journalctl --sync 2>/dev/null || true
  journalctl -u "$1" --no-pager -o cat -n "$3" --since "@$2" || true
}
cmd_journal() { journal_tail "$LD_UNIT" "$@"; } # SINCE_EPOCH LINES
cmd_logs() { # LINES follow|once
  number "$1" lines
  if [ "${2:-once}" = follow ]; then
    journalctl -u "$LD_UNIT" --no-pager -o short-iso -n "$1" -f & local pid=$!
    cat >/dev/null; kill "$pid"
  else
    journalctl -u "$LD_UNIT" --no-pager -o short-iso -n "$1"
  fi
}

# RELEASE CAUSE: "release" (it failed its own proof: FAILED, a bad release) or "deploy" (a deploy-time problem stopped it
# before it was proven: UNPROVEN, not a bad release). Either way it is no rollback target.
cmd_mark_failed() {
  release_id "$1"; [[ $2 == release || $2 == deploy ]] || fail 3 "the cause must be release or deploy, not '$2'"
  local d; d=$(release_dir "$1")
  if [ -d "$d" ]; then if [ "$2" = release ]; then touch "$d/FAILED"; else touch "$d/UNPROVEN"; fi; fi
}

# RESULT RELEASE ACTOR: one JSON line written from what the helper knows (time, login user, the
# release, its bundle and source revision, the current release); the deployer's words (actor,
# result) are restricted to plain text and marked as its claims.
audit() {
  claim "$1" result; [ -z "$2" ] || release_id "$2"; claim "$3" actor
  local rel="" bundle="" rev="" cur
  [ -z "$2" ] || rel=$(release_dir "$2")
  if [ -n "$rel" ] && [ -f "$rel/bundle-id" ]; then bundle=$(cat "$rel/bundle-id"); fi
  if [ -n "$rel" ] && [ -f "$rel/manifest.json" ]; then
    rev=$(grep -oE '"source_revision" *: *"[A-Za-z0-9._/-]{0,80}"' "$rel/manifest.json" | head -1 | sed -E 's/.*"([^"]*)"$/\1/' || true)
  fi
  cur=$(readlink "$LD_STATE/current" 2>/dev/null || true); cur=${cur##*/}
  printf '{"time":"%s","login_user":"%s","release":"%s","bundle":"%s","revision":"%s","current":"%s","actor":"%s","result":"%s"}\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(login_user)" "$2" "$bundle" "$rev" "$cur" "$3" "$1" >> "$LD_STATE/audit.log"
  chmod 0600 "$LD_STATE/audit.log"
}
cmd_audit() { audit "$@"; }

# The host's own history: release ids in the order they became current (one per line). Rollback
# targets and pruning follow it, never release ids or the deploying machine's clock.
history_order() {
  local r
  # releases from before the history file existed first (in name order), then the history, each once, last time wins
  {
    if [ -d "$LD_STATE/releases" ]; then
      for r in "$LD_STATE"/releases/*; do  # in name order (LC_ALL=C), like ls | sort
        r=${r##*/}
        if [[ $r != *.partial ]] && ! grep -qxF "$r" "$LD_STATE/history" 2>/dev/null; then echo "$r"; fi
      done
    fi
    if [ -f "$LD_STATE/history" ]; then tac "$LD_STATE/history" | awk '!seen[$0]++' | tac; fi
  } | while read -r r; do
    if [ -d "$LD_STATE/releases/$r" ]; then echo "$r"; fi
  done
}

cmd_record() { # RELEASE KEEP RESULT ACTOR
  release_id "$1"; number "$2" keep; claim "$3" result; claim "$4" actor
  [ -d "$(release_dir "$1")" ] || fail 3 "release $1 is not on this host"
  local prev r kept order
  prev=$(readlink "$LD_STATE/current" 2>/dev/null || true); prev=${prev##*/}
  ln -sfn "releases/$1" "$LD_STATE/current.new" && mv -Tf "$LD_STATE/current.new" "$LD_STATE/current"
  printf '%s\n' "$1" >> "$LD_STATE/history"; chmod 0600 "$LD_STATE/history"
  # keep the last KEEP releases of the history, and always the current, the one before it and the adopted setup
  order=$(history_order)
  kept=$(grep -vxF "$1" <<< "$order" | grep -vxF "${prev:-/}" | tail -n "$(( $2 > 2 ? $2 - 2 : 0 ))" || true)
  while read -r r; do
    [ -z "$r" ] || [ "$r" = "$1" ] || [ "$r" = "$prev" ] || [ "$r" = "$ADOPTED_ID" ] || grep -qxF "$r" <<< "$kept" || rm -rf "${LD_STATE:?}/releases/$r"
  done <<< "$order"
  wheelhouse_prune
  env_prune
  audit "$3" "$1" "$4"
}

cmd_read_release() { # RELEASE: every file, base64
  release_id "$1"
  local d f; d=$(release_dir "$1")
  { [ -d "$d" ] && [ ! -L "$d" ] && [ -f "$d/manifest.json" ]; } || fail 3 "release $1 does not exist or has no manifest"
  for f in "$d"/*; do [ -f "$f" ] && [ ! -L "$f" ] && printf '%s %s\n' "$(basename "$f")" "$(base64 -w0 "$f")"; done
}

# ARCHIVE: uv and uvx are taken out of the archive as data (tar -O: nothing is unpacked on disk) and
# installed root:root 0755 into LD_UV_BIN; the helper itself only ever runs them as nobody.
install_uv_binaries() {
  local d m name
  d=$(mktemp -d "$LD_STATE/uv.XXXXXX")
  for name in uv uvx; do
    m=$(tar -tzf "$1" 2>/dev/null | grep -E "(^|/)$name\$" | head -1 || true)
    { [ -n "$m" ] && tar -xzOf "$1" -- "$m" > "$d/$name" 2>/dev/null && [ -s "$d/$name" ]; } || { rm -rf "$d"; fail 5 "the uv archive holds no $name binary"; }
  done
  install -d -m 0755 "$LD_UV_BIN"; install -m 0755 -o root -g root "$d/uv" "$LD_UV_BIN/uv"; install -m 0755 -o root -g root "$d/uvx" "$LD_UV_BIN/uvx"
  rm -rf "$d"
}

on_roots_path() { [[ ":$PATH:" == *":$1:"* ]]; }

cmd_install_uv() { # FILE_NAME SHA256 (uploaded into the staging directory: an archive, or the installer script)
  file_name "$1"; [[ $2 =~ ^[0-9a-f]{64}$ ]] || fail 3 "not a sha256: '$2'"
  local d f
  if [ "$LD_RESTRICTED" = 1 ] && on_roots_path "$LD_UV_BIN"; then
    fail 5 "this helper does not install uploaded binaries on root's PATH ($LD_UV_BIN); render the helper with a uvx path outside it (the default is /usr/local/lib/litellm-deploy/uv/uvx)"
  fi
  d=$(mktemp -d "$LD_STATE/uv-upload.XXXXXX"); f="$d/$1"
  as_login_user cat -- "$(staging)/$1" > "$f" 2>/dev/null || { rm -rf "$d"; fail 5 "the uploaded uv file is missing"; }
  as_login_user rm -f -- "$(staging)/$1" || true
  [ "$(sha256sum < "$f" | cut -d' ' -f1)" = "$2" ] || { rm -rf "$d"; fail 5 "the uploaded uv file does not match the digest the deployer sent"; }
  case "$1" in
    *.tar.gz|*.tgz) install_uv_binaries "$f" ;;
    *) [ "$LD_RESTRICTED" = 0 ] || { rm -rf "$d"; fail 5 "this helper does not run uv installer scripts as root; upload a uv release archive (uv-<arch>.tar.gz) or install uv on the host"; }
       env UV_INSTALL_DIR="$LD_UV_BIN" UV_NO_MODIFY_PATH=1 INSTALLER_NO_MODIFY_PATH=1 sh "$f" ;;
  esac
  rm -rf "$d"
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

