# shellcheck shell=bash

# ---- adopting a service litellm-deploy did not make (the seed's, or any hand-made one) ----
# A first deploy on a host that already runs the configured unit saves what it is about to change
# as release 0-adopted, before it changes anything: the files it overwrites or removes (the unit at
# LD_UNIT_PATH, the config, the env file) byte for byte with mode and owner, or that they were
# absent; the mode and owner of the config directory and the service home; whether the unit was
# enabled and active. restore-adopted puts exactly that back, verbatim: these are the admin's own
# files, restored as they were, not units to check (no allow-list: nothing in them came from a
# caller). Only regular files are adopted; a symlink is refused before anything changes.
ADOPTED_ID=0-adopted

# Lines for `state` (only when no release is recorded): adopt_unit= when the unit exists and is not
# one litellm-deploy installed (an earlier deploy that failed or was interrupted before it recorded
# its release left its own unit: that is not adopted).
adopt_state() { # CURRENT
  [ -z "$1" ] || return 0
  local load frag have f
  load=$(systemctl show -p LoadState --value "$LD_UNIT" 2>/dev/null || true)
  [ "$load" = loaded ] || [ "$load" = masked ] || [ -e "$LD_UNIT_PATH" ] || [ -L "$LD_UNIT_PATH" ] || return 0
  if [ -f "$LD_UNIT_PATH" ] && [ ! -L "$LD_UNIT_PATH" ] && [ -d "$LD_STATE/releases" ]; then
    have=$(sha256sum < "$LD_UNIT_PATH" | cut -d' ' -f1)
    for f in "$LD_STATE"/releases/*/litellm.service; do
      [ -f "$f" ] && [ "$(sha256sum < "$f" | cut -d' ' -f1)" = "$have" ] && return 0
    done
  fi
  frag=$(systemctl show -p FragmentPath --value "$LD_UNIT" 2>/dev/null || true)
  echo "adopt_unit=${frag:-$LD_UNIT_PATH}"
  echo "adopt_dropins=$(systemctl show -p DropInPaths --value "$LD_UNIT" 2>/dev/null || true)"
}

# NAME PATH -> a line of the adopted list; the file copied (cp -P: a link stays a link, and is refused).
adopt_file() {
  local d=$1.partial name=$2 path=$3
  if [ -L "$path" ] && [ "$(readlink -- "$path")" = /dev/null ]; then
    fail 3 "$LD_UNIT is masked ($path -> /dev/null): unmask it (systemctl unmask $LD_UNIT) to deploy here. Nothing was changed."
  elif [ -L "$path" ]; then
    fail 3 "$path is a symbolic link; litellm-deploy adopts only regular files. Replace the link with the file it points to, then deploy again. Nothing was changed."
  elif [ -e "$path" ]; then
    [ -f "$path" ] || fail 3 "$path is not a regular file; litellm-deploy adopts only regular files. Nothing was changed."
    cp -P -- "$path" "$d/$name"
    { [ -f "$d/$name" ] && [ ! -L "$d/$name" ]; } || fail 3 "$path changed into something other than a regular file while it was copied. Nothing was changed."
    chown root:root "$d/$name"; chmod 0600 "$d/$name"
    printf 'file %s %s %s\n' "$name" "$(stat -c '%a %u %g' -- "$path")" "$(sha256sum < "$d/$name" | cut -d' ' -f1)"
  else
    printf 'absent %s\n' "$name"
  fi
}

# The directories adopted files live in must be real directories: through a link, root would read and write elsewhere.
adopt_dirs_real() {
  local dir
  for dir in "$LD_CONFIG_DIR" "$(dirname "$LD_CONFIG")" "$(dirname "$LD_ENV")" "$(dirname "$LD_UNIT_PATH")"; do
    [ ! -L "$dir" ] || fail "$1" "$dir is a symbolic link; litellm-deploy adopts and restores only files in real directories. $2"
  done
}

adopt_dir() { # NAME PATH
  if [ -d "$2" ] && [ ! -L "$2" ]; then printf 'dir %s %s\n' "$1" "$(stat -c '%a %u %g' -- "$2")"; else printf 'nodir %s\n' "$1"; fi
}

cmd_adopt() {
  local d cur
  d=$(release_dir "$ADOPTED_ID")
  cur=$(readlink "$LD_STATE/current" 2>/dev/null || true)
  [ -z "$cur" ] || fail 3 "this host already has a release recorded (${cur##*/}); there is nothing to adopt"
  adopt_dirs_real 3 "Nothing was changed."
  rm -rf "$d.partial"; install -d -m 0700 -o root -g root "$d.partial"
  ADOPT_PARTIAL="$d.partial"; trap 'rm -rf "$ADOPT_PARTIAL"' EXIT
  { # a refusal (fail) or any error ends the helper here: nothing has been changed yet
    adopt_file "$d" unit "$LD_UNIT_PATH"
    adopt_file "$d" config "$LD_CONFIG"
    adopt_file "$d" env "$LD_ENV"
    adopt_dir config-dir "$LD_CONFIG_DIR"
    adopt_dir home "$LD_HOME"
    printf 'enabled %s\n' "$(systemctl is-enabled "$LD_UNIT" 2>/dev/null || echo none)"
    printf 'active %s\n' "$(systemctl is-active "$LD_UNIT" 2>/dev/null || echo inactive)"
  } > "$d.partial/adopted"
  chmod 0600 "$d.partial/adopted"
  sync "$d.partial"
  rm -rf "$d"; mv -T "$d.partial" "$d"
  ln -sfn "releases/$ADOPTED_ID" "$LD_STATE/current.new" && mv -Tf "$LD_STATE/current.new" "$LD_STATE/current"
  printf '%s\n' "$ADOPTED_ID" >> "$LD_STATE/history"; chmod 0600 "$LD_STATE/history"
  audit "adopted the existing $LD_UNIT" "$ADOPTED_ID" ""
  awk '$1 == "file" {f = f sep $2; sep = ", "} $1 == "enabled" {e = $2} $1 == "active" {a = $2}
    END {print "saved " (f == "" ? "no files" : f) "; the service was " e ", " a}' "$d/adopted"
}

restore_file() { # RELEASE_DIR NAME TARGET: the saved copy with its mode and owner, or the file removed if there was none
  local rel=$1 name=$2 target=$3 kind mode uid gid sum
  read -r kind _ mode uid gid sum < <(awk -v n="$name" '($1 == "file" || $1 == "absent") && $2 == n' "$rel/adopted") || true
  case "$kind" in
    file)
      { [ -f "$rel/$name" ] && [ ! -L "$rel/$name" ]; } || fail 6 "the adopted copy of $target is missing from $rel"
      [ "$(sha256sum < "$rel/$name" | cut -d' ' -f1)" = "$sum" ] || fail 6 "the adopted copy of $target in $rel does not match its digest"
      rm -f "$target.litellm-deploy.new"
      stage "$rel/$name" "$target" "$mode" "$gid" "$uid"; mv -f "$target.litellm-deploy.new" "$target" ;;
    absent) rm -f "$target" ;;
    *) fail 6 "$rel/adopted does not say what $target was" ;;
  esac
}

restore_dir() { # RELEASE_DIR NAME PATH
  local kind mode uid gid
  read -r kind _ mode uid gid < <(awk -v n="$2" '($1 == "dir" || $1 == "nodir") && $2 == n' "$1/adopted") || true
  [ "$kind" = dir ] && [ -d "$3" ] && [ ! -L "$3" ] || return 0
  chown "$uid:$gid" "$3"; chmod "$mode" "$3"
}

# Puts the adopted setup back exactly, then its enabled and active state. Prints was_active=yes|no and
# the port its ExecStart names (LiteLLM's default 4000 if none), for the deployer to prove it ready.
cmd_restore_adopted() {
  local rel enabled active port
  rel=$(release_dir "$ADOPTED_ID")
  { [ -d "$rel" ] && [ ! -L "$rel" ] && [ -f "$rel/adopted" ]; } || fail 6 "there is no adopted setup on this host ($rel)"
  adopt_dirs_real 6 "The adopted setup was not restored."
  enabled=$(awk '$1 == "enabled" {print $2}' "$rel/adopted"); active=$(awk '$1 == "active" {print $2}' "$rel/adopted")
  systemctl stop "$LD_UNIT" 2>/dev/null || true
  restore_file "$rel" unit "$LD_UNIT_PATH"
  restore_file "$rel" config "$LD_CONFIG"
  remove_extras "${LD_CONFIG%/*}" ""  # the admin's setup had none of litellm-deploy's extra files
  restore_file "$rel" env "$LD_ENV"
  restore_dir "$rel" config-dir "$LD_CONFIG_DIR"
  restore_dir "$rel" home "$LD_HOME"
  systemctl daemon-reload
  systemctl reset-failed "$LD_UNIT" 2>/dev/null || true
  # the deploy enabled its own unit (links from its [Install]); the original's state comes back from its own [Install]
  systemctl disable --quiet "$LD_UNIT" 2>/dev/null || true
  case "$enabled" in
    enabled) systemctl enable --quiet "$LD_UNIT" ;;
    enabled-runtime) systemctl enable --runtime --quiet "$LD_UNIT" ;;
  esac
  case "$active" in
    active|activating|reloading|deactivating) systemctl start "$LD_UNIT"; echo "was_active=yes" ;;
    *) echo "was_active=no" ;;
  esac
  port=$(systemctl show -p ExecStart --value "$LD_UNIT" 2>/dev/null | grep -oE -- '--port[= ]+[0-9]{1,5}' | head -1 | grep -oE '[0-9]+$' || true)
  echo "port=${port:-4000}"
  echo "enabled=$enabled"
  echo "active=$active"
}
