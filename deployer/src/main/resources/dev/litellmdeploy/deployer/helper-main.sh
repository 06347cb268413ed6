# shellcheck shell=bash
# ---- litellm-deploy remote helper: the verb dispatch, last (HelperScript puts the files in this order: the rendered
# header, helper-body.sh, helper-blue-green.sh, helper-adopt.sh, helper-wheelhouse.sh, helper-drift.sh, helper-env.sh,
# helper-probe.sh, this file) ----
# After cmd_lock's state, the process that holds the lock runs the deploy's further verbs itself, so that each costs
# one round trip on the open channel instead of a new channel, sudo and (for a helper that is not installed) the
# helper's text. A request is one line: CALL, then the verb and each argument in base64 ("-" for an empty one).
# Each verb runs exactly as it would alone: main in its own process (started in the background and waited for,
# not inside an `if`, so errexit stays in force in it), stdin closed, stdout and stderr captured; the reply is one
# line: REPLY STATUS STDOUT STDERR (base64, "-" when empty). `lock` (it would wait for itself) and `logs` (it
# never ends) are refused. The end of stdin ends the loop, the process and the lock. Requests are read one after the
# other, so the deployer may send the next one before the last reply (pipelining) when it does not depend on it;
# THEN instead of CALL runs the verb only if the request before it succeeded (else the reply is 125, nothing run).
# `upload SIZE DIR...` is the loop's own: exactly SIZE bytes of the channel follow the line, a tar stream that the
# login user's tar unpacks (as it does over a channel of its own: the user's rights, the user's staging folder),
# and all SIZE bytes are read whatever fails, so the next request line is where it should be.
# LD_SERVING=1 tells a verb that its arguments came on this channel (no command line shows them: `probe`'s key).
serve_requests() {
  local dir line status=0 verb
  local -a words args
  # shellcheck disable=SC2034 # read by cmd_probe (helper-probe.sh)
  LD_SERVING=1
  dir=$(mktemp -d "$LD_STATE/requests.XXXXXX")
  # shellcheck disable=SC2064 # the directory is known now
  trap "rm -rf '$dir'" EXIT
  while IFS= read -r line; do
    read -r -a words <<< "$line"
    args=()
    if { [ "${words[0]:-}" != CALL ] && [ "${words[0]:-}" != THEN ]; } || [ "${#words[@]}" -lt 2 ] || ! decode_words args "${words[@]:1}"; then
      status=2; printf 'REPLY 2 - %s\n' "$(printf 'not a request line' | base64 -w0)"; continue
    fi
    verb=${args[0]}
    if [ "${words[0]}" = THEN ] && [ "$status" != 0 ]; then
      status=125; printf 'REPLY 125 - %s\n' "$(printf 'not run: the request before it failed' | base64 -w0)"; continue
    fi
    if [ "$verb" = lock ] || [ "$verb" = logs ]; then
      status=2; printf 'REPLY 2 - %s\n' "$(printf '%s is not run on the lock'"'"'s channel' "$verb" | base64 -w0)"; continue
    fi
    status=0
    if [ "$verb" = upload ]; then
      if ! [[ ${args[1]:-} =~ ^[0-9]{1,12}$ ]]; then # where the stream ends is unknown: nothing after it can be read
        printf 'REPLY 2 - %s\n' "$(printf 'upload without its size; the requests end here' | base64 -w0)"; return 0
      fi
      ( upload_stream "${args[@]:1}" ) >"$dir/out" 2>"$dir/err" <&0 &
    else
      ( main "${args[@]}" ) >"$dir/out" 2>"$dir/err" </dev/null &
    fi
    wait "$!" || status=$?
    printf 'REPLY %s %s %s\n' "$status" "$(b64_or_dash "$dir/out")" "$(b64_or_dash "$dir/err")"
  done
}

# SIZE DIR...: the next SIZE bytes of stdin, a tar stream, unpacked by tar as the login user into the folders it makes
# first (umask 077); whatever fails, every one of the SIZE bytes is read.
upload_stream() {
  local size=$1 status=0; shift
  head -c "$size" | { (as_login_user sh -c 'umask 077 && mkdir -p -- "$@" && exec tar -xof - -C /' upload "$@") || status=$?; cat > /dev/null; exit "$status"; }
}

# NAME WORD...: appends each word's base64 decoding ("-": empty) to the array NAME; fails on a word that is not base64.
decode_words() {
  local -n into=$1; shift
  local w v
  for w in "$@"; do
    if [ "$w" = - ]; then into+=(""); continue; fi
    [[ $w =~ ^[A-Za-z0-9+/]+=*$ ]] || return 1
    v=$(printf '%s' "$w" | base64 -d 2>/dev/null && printf x) || return 1
    into+=("${v%x}")
  done
}

b64_or_dash() { if [ -s "$1" ]; then base64 -w0 < "$1"; else printf -- -; fi; }

main() {
  [ "$(id -u)" = 0 ] || fail 3 "the litellm-deploy helper must run as root (through sudo)"
  local verb=${1:-}; shift || true
  [ "$verb" = version ] || no_links
  case "$verb" in
    preflight) [ $# = 2 ] || fail 2 "usage: preflight EXPECTED_SHA NEED_KIB"; check_helper "$1"; cmd_preflight "$2" ;;
    lock) [ $# = 4 ] || fail 2 "usage: lock EXPECTED_SHA OWNER TIMEOUT NEED_KIB"; cmd_lock "$@" ;;
    state) cmd_state ;;
    commit) [ $# = 4 ] || fail 2 "usage: commit RELEASE BUNDLE_ID CHECKSUMS UNIT_PARAMS"; cmd_commit "$@" ;;
    ensure-user) cmd_ensure_user ;;
    install) [ $# -ge 1 ] || fail 2 "usage: install RELEASE [daemon-reload] [enable]"; cmd_install "$@" ;;
    restart) cmd_restart ;;
    probe) [ $# = 4 ] || [ $# = 5 ] || fail 2 "usage: probe PORT WAIT_MS COLOR|- RESTARTS_BEFORE|- [KEY]"; cmd_probe "$@" ;;
    switch) [ $# = 1 ] || fail 2 "usage: switch RELEASE"; cmd_switch "$1" ;;
    stop) cmd_stop ;;
    show) cmd_show ;;
    now) cmd_now ;;
    journal) [ $# = 2 ] || fail 2 "usage: journal SINCE LINES"; cmd_journal "$@" ;;
    logs) [ $# -ge 1 ] || fail 2 "usage: logs LINES [follow]"; cmd_logs "$@" ;;
    mark-failed) [ $# = 2 ] || fail 2 "usage: mark-failed RELEASE CAUSE"; cmd_mark_failed "$1" "$2" ;;
    audit) [ $# = 3 ] || fail 2 "usage: audit RESULT RELEASE ACTOR"; cmd_audit "$@" ;;
    record) [ $# = 4 ] || fail 2 "usage: record RELEASE KEEP RESULT ACTOR"; cmd_record "$@" ;;
    read-release) [ $# = 1 ] || fail 2 "usage: read-release RELEASE"; cmd_read_release "$1" ;;
    install-uv) [ $# = 2 ] || fail 2 "usage: install-uv FILE_NAME SHA256"; cmd_install_uv "$@" ;;
    wheelhouse) [ $# = 2 ] || fail 2 "usage: wheelhouse DIGEST CHECKSUMS"; cmd_wheelhouse "$@" ;;
    env-build) [ $# = 2 ] || [ $# = 5 ] || fail 2 "usage: env-build RELEASE LOCK_SHA256 [INDEX MIRROR NETRC]"; cmd_env_build "$@" ;;
    env-drop) [ $# = 2 ] || fail 2 "usage: env-drop LOCK_SHA256 RELEASE"; cmd_env_drop "$@" ;;
    install-uv-url) [ $# = 1 ] || fail 2 "usage: install-uv-url URL"; cmd_install_uv_url "$1" ;;
    ensure-proxy) cmd_ensure_proxy "$@" ;;
    bg-start) [ $# = 3 ] || fail 2 "usage: bg-start RELEASE COLOR PORT"; cmd_bg_start "$@" ;;
    bg-switch) [ $# = 1 ] || fail 2 "usage: bg-switch COLOR"; cmd_bg_switch "$@" ;;
    bg-drain) [ $# = 2 ] || fail 2 "usage: bg-drain COLOR TIMEOUT"; cmd_bg_drain "$@" ;;
    bg-retire) [ $# = 2 ] || fail 2 "usage: bg-retire COLOR GRACE"; cmd_bg_retire "$@" ;;
    bg-leave) cmd_bg_leave ;;
    bg-wait-stopped) [ $# = 1 ] || fail 2 "usage: bg-wait-stopped TIMEOUT"; cmd_bg_wait_stopped "$1" ;;
    bg-show) [ $# = 1 ] || fail 2 "usage: bg-show COLOR"; cmd_bg_show "$1" ;;
    bg-journal) [ $# = 3 ] || fail 2 "usage: bg-journal COLOR SINCE LINES"; cmd_bg_journal "$@" ;;
    repair-drift) [ $# -ge 2 ] || fail 2 "usage: repair-drift RELEASE COLOR..."; cmd_repair_drift "$@" ;;
    adopt) cmd_adopt ;;
    restore-adopted) cmd_restore_adopted ;;
    version) echo "$LD_VERSION" ;;
    *) fail 2 "usage: litellm-deploy-helper VERB [ARGS] (verbs: preflight lock state commit ensure-user install restart switch stop show probe now journal logs mark-failed audit record read-release install-uv install-uv-url wheelhouse env-build env-drop ensure-proxy bg-start bg-switch bg-drain bg-retire bg-leave bg-wait-stopped bg-show bg-journal repair-drift adopt restore-adopted version)" ;;
  esac
}
main "$@"
