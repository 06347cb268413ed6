# shellcheck shell=bash
# ---- litellm-deploy remote helper: readiness and /v1/models from the server's own side (the `probe` verb) ----
# The deployer's wait-ready and verify-models ask this on the lock's channel: one round trip where a port-forward
# costs a channel and an HTTP exchange per poll. HTTP is bash's own /dev/tcp (no curl on the server needed, and the
# master key goes from this process's memory to the socket with the printf builtin: no argument, no environment
# variable, no file, so no process list shows it). Only LiteLLM's free endpoints: never /health (it calls every model).

LD_PROBE_MAX=1048576 # bytes of a /v1/models body the reply carries at most
LD_SERVING=0 # set by serve_requests only

# PORT PATH [KEY]: one HTTP/1.0 GET to 127.0.0.1:PORT; sets HTTP_STATUS (0: nothing answered) and, with BODY=1 in
# the caller's scope, HTTP_BODY (at most LD_PROBE_MAX bytes; HTTP_CUT=yes when there was more).
http_get() {
  local fd response auth=""
  HTTP_STATUS=0; HTTP_BODY=""; HTTP_CUT=no
  { exec {fd}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 0
  [ -z "${3:-}" ] || auth="Authorization: Bearer $3"$'\r\n'
  { printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\n%sConnection: close\r\n\r\n' "$2" "$1" "$auth" >&"$fd"; } 2>/dev/null || { exec {fd}>&-; return 0; }
  if [ "${BODY:-0}" = 1 ]; then
    response=$(timeout 10 head -c "$((LD_PROBE_MAX + 65536))" <&"$fd" 2>/dev/null | tr -d '\0') || true
  else
    IFS= read -r -t 5 response <&"$fd" 2>/dev/null || true
    while IFS= read -r -t 5 _ <&"$fd" 2>/dev/null; do :; done # the rest, so the server's write is not cut off
  fi
  exec {fd}>&-
  [[ $response =~ ^HTTP/[0-9.]+\ ([0-9]{3}) ]] && HTTP_STATUS=${BASH_REMATCH[1]}
  if [ "${BODY:-0}" = 1 ] && [[ $response == *$'\r\n\r\n'* ]]; then
    HTTP_BODY=${response#*$'\r\n\r\n'}
    if [ "${#HTTP_BODY}" -gt "$LD_PROBE_MAX" ]; then HTTP_BODY=${HTTP_BODY:0:LD_PROBE_MAX}; HTTP_CUT=yes; fi
  fi
}

millis() { local t=${EPOCHREALTIME/./}; printf '%s' "$((10#$t / 1000))"; }

# PORT WAIT_MS COLOR RESTARTS_BEFORE [KEY]: polls /health/readiness for up to WAIT_MS (0: once) and stops early when
# systemd says the unit (the single service for COLOR -, else the color's) failed, stopped, waits to restart, or has
# restarted more often than RESTARTS_BEFORE (- : no baseline). Prints ready=STATUS; when not ready live=STATUS and the
# unit's ActiveState, SubState, NRestarts and MainPID (stopped=yes when it stopped early); when ready and a KEY is
# given: /v1/models with the key (models=STATUS, models_body=base64, models_cut=yes|no) and without it (open=STATUS).
# A key is taken only on the lock's channel (serve_requests), where arguments never reach a command line.
cmd_probe() {
  number "$1" port; number "$2" "the wait"
  [ "$4" = - ] || number "$4" "the restart count"
  [ $# -lt 5 ] || [ "${LD_SERVING:-0}" = 1 ] || fail 2 "probe takes a key only on the lock's channel (an argument would show in the process list)"
  local unit=$LD_UNIT end now check=0 ready stopped=no line restarts
  local -A props=()
  if [ "$3" != - ]; then color "$3"; unit="litellm-$3.service"; fi
  end=$(( $(millis) + $2 ))
  while :; do
    http_get "$1" /health/readiness; ready=$HTTP_STATUS
    [ "$ready" = 200 ] && break
    now=$(millis)
    if [ "$now" -ge "$check" ]; then
      while IFS= read -r line; do props[${line%%=*}]=${line#*=}; done < <(systemctl show -p ActiveState -p SubState -p NRestarts -p MainPID "$unit" 2>/dev/null)
      restarts=${props[NRestarts]:-0}
      case "${props[ActiveState]:-}/${props[SubState]:-}" in failed/*|inactive/*|*/auto-restart) stopped=yes ;; esac
      if [ "$4" != - ] && [[ $restarts =~ ^[0-9]+$ ]] && [ "$restarts" -gt "$4" ]; then stopped=yes; fi
      [ "$stopped" = no ] || break
      check=$((now + 1000))
    fi
    [ "$now" -lt "$end" ] || break
    sleep 0.1
  done
  echo "ready=$ready"
  if [ "$ready" != 200 ]; then
    http_get "$1" /health/liveliness
    echo "live=$HTTP_STATUS"; echo "stopped=$stopped"
    for line in ActiveState SubState NRestarts MainPID; do echo "$line=${props[$line]:-}"; done
    return 0
  fi
  [ $# -ge 5 ] || return 0
  BODY=1 http_get "$1" /v1/models "$5"
  echo "models=$HTTP_STATUS"; echo "models_cut=$HTTP_CUT"
  echo "models_body=$(printf '%s' "$HTTP_BODY" | base64 -w0)"
  http_get "$1" /v1/models
  echo "open=$HTTP_STATUS"
}
