# shellcheck shell=bash

# ---- drift: what is installed against the RECORDED release ----
# On a host with a release recorded (not the adopted setup), `state` reports facts about every file
# the deployer installs: the digest of the installed copy and of the release's, its mode and owner,
# and how many lines their diff adds and removes (never a line itself: the files hold secrets), and
# every file in the managed units' drop-in directories (litellm-deploy installs none). The deployer
# decides what is drift (Drift.java); repair-drift moves drop-ins aside, and reinstalls a color.

# The drop-in directories of the managed units (the single service and both colors), into the array
# DROPIN_DIRS: the ones systemd reads (and the unit's own directory). Plain bash, no child
# processes: the state read runs this on every deploy.
dropin_dirs() {
  local u
  DROPIN_DIRS=()
  for u in "$LD_UNIT" litellm-blue.service litellm-green.service; do
    DROPIN_DIRS+=("/etc/systemd/system/$u.d" "/run/systemd/system/$u.d")
    case "${LD_UNIT_PATH%/*}" in /etc/systemd/system|/run/systemd/system) ;; *) DROPIN_DIRS+=("${LD_UNIT_PATH%/*}/$u.d") ;; esac
  done
}

is_file() { [ -f "$1" ] && [ ! -L "$1" ]; }

# KIND COLOR INSTALLED RECORDED: one fact line, drift_file=KIND|COLOR|PATH|INSTALLED_SHA|RECORDED_SHA|MODE|ADDED|REMOVED
# (- for an absent file, link for a symbolic link; the diff is counted here and never leaves the host).
drift_fact() {
  local have=- want=- mode=- added=0 removed=0 d sums
  if [ -L "$3" ]; then have="link"; elif is_file "$3"; then mode=$(stat -c '%a:%U:%G' -- "$3"); fi
  if is_file "$3" && is_file "$4"; then
    sums=$(sha256sum -- "$3" "$4"); have=${sums%%  *}; want=${sums#*$'\n'}; want=${want%%  *}
  elif is_file "$3"; then sums=$(sha256sum -- "$3"); have=${sums%%  *}
  elif is_file "$4"; then sums=$(sha256sum -- "$4"); want=${sums%%  *}
  fi
  if [ "$have" != "$want" ] && [ "$want" != - ] && [ ${#have} = 64 ]; then
    d=$(diff -- "$4" "$3" || true)
    added=$(grep -c '^>' <<< "$d" || true); removed=$(grep -c '^<' <<< "$d" || true)
  fi
  echo "drift_file=$1|$2|$3|$have|$want|$mode|$added|$removed"
}

drift_state() { # CURRENT
  { [ -n "$1" ] && [ "$1" != "$ADOPTED_ID" ]; } || return 0
  local live c r rel unit d f
  live=$(cat "$BG_DIR/live" 2>/dev/null || true)
  if [ -n "$live" ]; then
    for c in blue green; do
      r=$(cat "$BG_DIR/$c.release" 2>/dev/null || true)
      { [ -n "$r" ] && [ -d "$LD_STATE/releases/$r" ] && [ -f "$LD_STATE/releases/$r/unit.$c" ]; } || continue
      rel=$(release_dir "$r")
      drift_fact config.yaml "$c" "$LD_CONFIG_DIR/$c/config.yaml" "$rel/config.yaml"
      drift_fact litellm.env "$c" "$LD_CONFIG_DIR/$c/litellm.env" "$rel/litellm.env"
      drift_fact litellm.service "$c" "/etc/systemd/system/litellm-$c.service" "$rel/unit.$c"
    done
  else
    rel=$(release_dir "$1"); unit="$rel/litellm.service"
    if [ "$LD_RESTRICTED" = 1 ] && [ -f "$rel/unit.rendered" ]; then unit="$rel/unit.rendered"; fi
    drift_fact config.yaml - "$LD_CONFIG" "$rel/config.yaml"
    drift_fact litellm.env - "$LD_ENV" "$rel/litellm.env"
    drift_fact litellm.service - "$LD_UNIT_PATH" "$unit"
  fi
  dropin_dirs
  for d in "${DROPIN_DIRS[@]}"; do
    if [ -L "$d" ]; then echo "drift_dropin=$d"; continue; fi
    for f in "$d"/*; do if [ -e "$f" ] || [ -L "$f" ]; then echo "drift_dropin=$f"; fi; done
  done
}

# RELEASE COLOR...: every drop-in of the managed units is moved aside into the release's folder
# (drift-aside/TIME/, nothing is lost; the name is the old path with / as _), each COLOR (blue,
# green; - for none) gets its files again from its recorded release (nothing restarts), then
# daemon-reload. Prints moved=FROM TO and reinstalled=COLOR RELEASE lines.
cmd_repair_drift() {
  release_id "$1"
  local dest d f c r rel
  [ -d "$(release_dir "$1")" ] || fail 3 "release $1 is not on this host"
  for c in "${@:2}"; do # every argument checked before anything moves
    [ "$c" = - ] && continue
    color "$c"; r=$(cat "$BG_DIR/$c.release" 2>/dev/null || true); release_id "${r:-?}"
    [ -f "$(release_dir "$r")/unit.$c" ] || fail 3 "release $r has no unit for $c (never started there)"
  done
  local base i=1
  base="$(release_dir "$1")/drift-aside/$(date -u +%Y%m%dT%H%M%SZ)"; dest=$base
  while [ -e "$dest" ]; do dest="$base.$i"; i=$((i + 1)); done # a second repair within the second keeps the first's files
  dropin_dirs
  for d in "${DROPIN_DIRS[@]}"; do
    if [ -L "$d" ]; then install -d -m 0700 "$dest"; mv -T -- "$d" "$dest/${d//\//_}"; echo "moved=$d $dest/${d//\//_}"; continue; fi
    for f in "$d"/*; do
      { [ -e "$f" ] || [ -L "$f" ]; } || continue
      install -d -m 0700 "$dest"
      mv -T -- "$f" "$dest/${f//\//_}"
      echo "moved=$f $dest/${f//\//_}"
    done
    if [ -d "$d" ]; then rmdir -- "$d" 2>/dev/null || true; fi
  done
  shift
  for c in "$@"; do
    [ "$c" = - ] && continue
    r=$(cat "$BG_DIR/$c.release"); rel=$(release_dir "$r")
    install_set "$rel" "$LD_CONFIG_DIR/$c/config.yaml" "$LD_CONFIG_DIR/$c/litellm.env" "$rel/unit.$c" "/etc/systemd/system/litellm-$c.service"
    echo "reinstalled=$c $r"
  done
  systemctl daemon-reload
}
