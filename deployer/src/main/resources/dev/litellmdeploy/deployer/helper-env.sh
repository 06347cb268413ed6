# shellcheck shell=bash

# ---- Python environments: one per lock (a release's requirements.lock), docs/python-env.md ----
# $LD_STATE/envs/<LOCK_SHA256>/ is root's (0755) and holds root's copy of the lock (requirements.lock, 0644), venv/ (the
# environment, made by uv AS THE SERVICE USER and owned by it) and READY, which root writes only after uv succeeded. Root
# never runs anything in venv/, nor the uv binary (the deploy user may have uploaded it): uv runs as the service user, who
# runs venv/bin/litellm anyway; what it may install is only what the lock's hashes allow (--require-hashes --no-deps).
# At run time the unit's ProtectSystem=strict makes /var/lib read-only to the service, so the environment a release was
# proven with is the one a later rollback finds. uv copies files (--link-mode copy): a hard link into the uv cache in the
# service's writable home would let the running service change the environment through the cache.
env_root() { printf '%s/envs' "$LD_STATE"; }
lock_sha() { [[ $1 =~ ^[0-9a-f]{64}$ ]] || fail 3 "not a lock digest (a sha256): '$1'"; }
env_ready() { local d; d="$(env_root)/$1"; [ -d "$d" ] && [ ! -L "$d" ] && [ -f "$d/READY" ] && [ -f "$d/requirements.lock" ]; }

# One line for the state verb: the environments that are complete on this host (their lock digests).
env_state() {
  local d n out=""
  for d in "$(env_root)"/*; do
    n=${d##*/}
    if [[ $n =~ ^[0-9a-f]{64}$ ]] && env_ready "$n"; then
      out+="$n "
      if [ -f "$d/SOURCE" ]; then echo "env_source=$n $(head -c 600 "$d/SOURCE" | tr -c '[:print:]' ' ')"; fi
    fi
  done
  echo "envs=${out% }"
}

# The service user, with no other groups, a clean environment and its home as the working and temporary directory.
as_service_user() {
  (cd "$LD_HOME" && setpriv --reuid="$(id -u "$LD_USER")" --regid="$(id -g "$LD_USER")" --clear-groups -- \
    env -i HOME="$LD_HOME" PATH=/usr/local/bin:/usr/bin:/bin LC_ALL=C.UTF-8 TMPDIR="$LD_HOME" SOURCE_DATE_EPOCH=0 UV_NO_CONFIG=1 \
      UV_PYTHON_INSTALL_DIR="$LD_HOME/.local/share/uv/python" "$@")
}

# An index or Python install mirror URL without credentials (deploy --python-index, --python-install-mirror), or "".
source_url() {
  [ -z "$1" ] || [[ $1 =~ ^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%/+=-]*)?$ ]] || fail 3 "$2 must be an http(s) URL without credentials, query or fragment"
}
# netrc lines for uv (machine HOST login USER password PASSWORD), never echoed.
netrc_lines() {
  local l tok='[^[:space:][:cntrl:]"\\]{1,200}'
  while IFS= read -r l; do
    [ -z "$l" ] || [[ $l =~ ^machine\ [A-Za-z0-9.-]+\ login\ $tok\ password\ $tok$ ]] || fail 3 "the index credentials are not netrc lines (machine HOST login USER password PASSWORD); nothing was installed"
  done <<< "$1"
}

# NETRC: writes it for uv, prints its directory: under /run (memory, not disk), a root-owned 0711 directory nobody can list,
# the file the service user's, 0600, written with umask 077 before it is handed over. Any such directory a killed build
# left goes first (only one env-build runs at a time: the deploy lock).
env_netrc() {
  local d
  rm -rf /run/litellm-deploy-auth.*
  d=$(mktemp -d /run/litellm-deploy-auth.XXXXXXXX)
  (umask 077; printf '%s\n' "$1" > "$d/netrc")
  chown "$LD_USER:" "$d/netrc"; chmod 0711 "$d"
  printf '%s' "$d"
}

# RELEASE LOCK_SHA256 [INDEX MIRROR NETRC]: builds the environment of the release's requirements.lock, beside whatever runs (a
# new directory; nothing a unit names changes). From the wheelhouse the release's unit names (offline: no index, no Python
# download), or else INDEX (or the default index), with uv's managed Python, when the system has none of the locked version,
# from MIRROR (or uv's default). NETRC: the credentials for them, which reach this verb only on the lock's channel (never an
# argument list); uv reads them from a 0600 file of the service user's in a private directory under /run, removed after.
# Where the packages came from is written to SOURCE. An environment already READY is kept (prints present). A failure
# removes what it made (exit 6).
cmd_env_build() {
  release_id "$1"; lock_sha "$2"
  local index=${3:-} mirror=${4:-} netrc=${5:-} rel lock dst wh py out t0 src=() pyd=() via=() from auth=""
  source_url "$index" "the index"; source_url "$mirror" "the Python install mirror"; netrc_lines "$netrc"
  rel=$(release_dir "$1"); lock="$rel/requirements.lock"; dst="$(env_root)/$2"
  { [ -f "$lock" ] && [ ! -L "$lock" ]; } || fail 3 "release $1 carries no requirements.lock"
  [ "$(sha256sum < "$lock" | cut -d' ' -f1)" = "$2" ] || fail 3 "the requirements.lock of release $1 does not hash to $2"
  if grep -qE '^litellm==1\.82\.[78]( |$)' "$lock"; then
    fail 3 "the lock pins a known-compromised LiteLLM (1.82.7 and 1.82.8 were malicious uploads to PyPI on 2026-03-24); nothing was installed"
  fi
  for p in "$(env_root)" "$dst"; do [ ! -L "$p" ] || fail 3 "$p is a symbolic link; litellm-deploy refuses to write through it. Nothing was changed."; done
  if env_ready "$2"; then echo "present $dst"; return 0; fi
  [ -x "$LD_UV_BIN/uv" ] || fail 5 "uv is not installed at $LD_UV_BIN/uv; nothing was installed"
  id -u "$LD_USER" >/dev/null 2>&1 || fail 3 "the service user $LD_USER does not exist; nothing was installed"
  py=$(param "$rel/unit.params" python_version 2>/dev/null || true)
  [[ $py =~ ^[0-9]{1,2}(\.[0-9]{1,3}){0,2}$ ]] || fail 3 "release $1 names no Python version (unit.params); nothing was installed"
  wh=$(sed -n "s|^env=UV_FIND_LINKS=\\($LD_STATE/wheelhouses/[0-9a-f]\\{12\\}\\)\$|\\1|p" "$rel/unit.params" 2>/dev/null | head -1 || true)
  if [ -n "$wh" ]; then
    [ -f "$wh/SHA256SUMS" ] || fail 4 "the wheelhouse $wh the release names is not on this host; nothing was installed"
    src=(--offline --no-index --find-links "$wh"); pyd=(--no-python-downloads); from="wheelhouse $wh"
  else
    from="index ${index:-default}"
    [ -z "$index" ] || src=(--default-index "$index")
    [ -z "$mirror" ] || { via=("UV_PYTHON_INSTALL_MIRROR=$mirror"); from+=", Python from mirror $mirror"; }
  fi
  if [ -n "$netrc" ] && [ -z "$wh" ]; then
    auth=$(env_netrc "$netrc"); via+=("NETRC=$auth/netrc")
    # shellcheck disable=SC2064 # the directory is known now; on every way out of this verb (its own process)
    trap "rm -rf -- '$auth'" EXIT
  fi
  install -d -m 0755 -o root -g root "$(env_root)"
  rm -rf -- "$dst"  # an unfinished earlier build (no READY)
  install -d -m 0755 -o root -g root "$dst"
  install -m 0644 -o root -g root "$lock" "$dst/requirements.lock"
  install -d -m 0755 -o "$LD_USER" -g "$LD_USER" "$dst/venv"
  t0=$(date +%s)
  if ! out=$( { as_service_user "${via[@]}" "$LD_UV_BIN/uv" venv -q --allow-existing --python "$py" "${pyd[@]}" "$dst/venv" \
      && as_service_user "${via[@]}" "$LD_UV_BIN/uv" pip install -q --no-cache --python "$dst/venv/bin/python" --require-hashes --no-deps \
           --only-binary :all: --link-mode copy --compile-bytecode "${src[@]}" -r "$dst/requirements.lock"; } 2>&1 ) \
      || [ ! -x "$dst/venv/bin/litellm" ]; then
    rm -rf -- "$dst" ${auth:+"$auth"}
    fail 6 "ENV-NOT-BUILT: uv could not build the environment of requirements.lock ${2:0:12} as $LD_USER (from $from); nothing that runs changed:"$'\n'"$(printf '%s\n' "$out" | tail -n 15)"
  fi
  [ -z "$auth" ] || rm -rf -- "$auth"
  # uv notes the time it unpacked each package (dist-info/uv_cache.json, hashed in RECORD): the only bytes that differ between
  # two builds of one lock. The environment is never installed into again, so the notes go (as the service user).
  if ! as_service_user find "$dst/venv/lib" -path '*.dist-info/uv_cache.json' -delete \
      || ! as_service_user find "$dst/venv/lib" -path '*.dist-info/RECORD' -exec sed -i '/\.dist-info\/uv_cache\.json,/d' -- {} +; then
    rm -rf -- "$dst"; fail 6 "ENV-NOT-BUILT: could not finish the environment of requirements.lock ${2:0:12}; nothing that runs changed"
  fi
  printf '%s\n' "$from" > "$dst/SOURCE"; chmod 0644 "$dst/SOURCE"
  sync  # the environment on disk before READY says it is complete
  printf '%s\n' "$1" > "$dst/READY"; chmod 0644 "$dst/READY"
  sync "$dst/READY"
  echo "built $dst: $(grep -cE '^[A-Za-z0-9]' "$dst/requirements.lock") packages in $(( $(date +%s) - t0 )) s"
}

# LOCK_SHA256 [RELEASE]: the releases kept on this host and the installed units that name the environment (RELEASE aside).
env_users() {
  local f r
  for f in "$LD_STATE"/releases/*/litellm.service "$LD_STATE"/releases/*/unit.params "$LD_UNIT_PATH" \
      "${LD_UNIT_PATH%/*}/litellm-blue.service" "${LD_UNIT_PATH%/*}/litellm-green.service"; do
    [ -f "$f" ] || continue
    r=${f#"$LD_STATE"/releases/}; r=${r%%/*}
    if [ -n "${2:-}" ] && [ "$r" = "$2" ]; then continue; fi
    if grep -qF -e "/envs/$1/" -e "lock=$1" "$f"; then echo "$f"; fi
  done
}

# LOCK_SHA256 RELEASE: the undo of env-build: removes the environment unless another kept release or an installed unit needs it.
cmd_env_drop() {
  lock_sha "$1"; release_id "$2"
  if [ -n "$(env_users "$1" "$2")" ]; then echo "kept $(env_root)/$1 (another release or a unit names it)"; return 0; fi
  rm -rf -- "$(env_root)/${1:?}"
  echo "removed $(env_root)/$1"
}

# After a release is recorded: the environments no kept release and no installed unit names go (and unfinished builds).
env_prune() {
  [ -d "$(env_root)" ] && [ ! -L "$(env_root)" ] || return 0
  local d n
  for d in "$(env_root)"/*; do
    [ -e "$d" ] || continue
    n=${d##*/}
    if [[ ! $n =~ ^[0-9a-f]{64}$ ]] || ! env_ready "$n" || [ -z "$(env_users "$n")" ]; then rm -rf -- "$d"; fi
  done
}
