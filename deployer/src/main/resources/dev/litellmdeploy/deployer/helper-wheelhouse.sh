# shellcheck shell=bash

# ---- wheelhouses: the wheels uvx installs LiteLLM from on a server without PyPI (docs/offline.md) ----
# A wheelhouse is kept at $LD_STATE/wheelhouses/<first 12 of DIGEST>, root:root, dirs 0755 and files
# 0644 (the service user reads it; the unit's ProtectSystem=strict leaves /var/lib readable), with
# its checksum list as SHA256SUMS: DIGEST is the sha256 of that list, so the name tells the content.
wh_root() { printf '%s/wheelhouses' "$LD_STATE"; }

# One line for the state verb: the full digests of the complete wheelhouses on this host.
wheelhouse_state() {
  local d out=""
  for d in "$(wh_root)"/*; do
    { [ -d "$d" ] && [ ! -L "$d" ] && [ -f "$d/SHA256SUMS" ] && [[ ${d##*/} =~ ^[0-9a-f]{12}$ ]]; } || continue
    out+="$(sha256sum < "$d/SHA256SUMS" | cut -d' ' -f1) "
  done
  echo "wheelhouses=${out% }"
}

# DIGEST CHECKSUMS: the wheelhouse uploaded into the login user's staging folder (wheelhouse-<12>/),
# read AS the user into a directory root has just made, each file checked on root's copy, then
# renamed into place. Only plain wheel names and requirements.txt, each once, sorted; the list
# must hash to DIGEST. An existing wheelhouse of that digest is kept (prints present).
cmd_wheelhouse() {
  [[ $1 =~ ^[0-9a-f]{64}$ ]] || fail 3 "not a sha256: '$1'"
  local short=${1:0:12} line name prev="" names=() wheels=0 src dst p list=""
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    [[ $line =~ ^[0-9a-f]{64}\ \ ([A-Za-z0-9][A-Za-z0-9._+-]{0,200})$ ]] || fail 3 "not a checksum line of a wheelhouse: '$line'"
    name=${BASH_REMATCH[1]}
    [[ $name =~ \.whl$ || $name == requirements.txt ]] || fail 3 "$name is not a wheel (*.whl) or requirements.txt"
    [[ -z $prev || $prev < $name ]] || fail 3 "the wheelhouse's files must be listed once each, sorted by name ($name after $prev)"
    prev=$name; names+=("$name"); list+="$line"$'\n'; [[ $name == requirements.txt ]] || wheels=$((wheels + 1))
  done <<< "$2"
  [ "$(printf '%s' "$list" | sha256sum | cut -d' ' -f1)" = "$1" ] || fail 3 "the wheelhouse's checksum list does not hash to $1"
  [ "$wheels" -gt 0 ] || fail 3 "the wheelhouse holds no wheels"
  dst="$(wh_root)/$short"
  for p in "$LD_STATE/wheelhouses" "$dst"; do [ ! -L "$p" ] || fail 3 "$p is a symbolic link; litellm-deploy refuses to write through it. Nothing was changed."; done
  if [ -d "$dst" ] && [ -f "$dst/SHA256SUMS" ]; then
    [ "$(sha256sum < "$dst/SHA256SUMS" | cut -d' ' -f1)" = "$1" ] || fail 3 "$dst holds another wheelhouse (its digest differs from $1); remove it first"
    as_login_user rm -rf -- "$(staging)/wheelhouse-$short" 2>/dev/null || true
    echo "present $dst"; return 0
  fi
  src="$(staging)/wheelhouse-$short"
  install -d -m 0755 -o root -g root "$(wh_root)"
  rm -rf "$dst.partial"; install -d -m 0700 -o root -g root "$dst.partial"
  for name in "${names[@]}"; do
    as_login_user cat -- "$src/$name" > "$dst.partial/$name" 2>/dev/null \
      || { rm -rf "$dst.partial"; fail 4 "the wheelhouse upload lacks $name (or it is not readable by $(login_user)), or the disk is full; nothing was installed"; }
  done
  printf '%s' "$list" > "$dst.partial/SHA256SUMS"
  (cd "$dst.partial" && sha256sum --quiet --strict -c SHA256SUMS) >/dev/null 2>&1 \
    || { rm -rf "$dst.partial"; as_login_user rm -rf -- "$src" 2>/dev/null || true; fail 4 "an uploaded wheelhouse file does not match the digest the deployer sent; nothing was installed"; }
  chmod 0644 "$dst.partial"/*; chmod 0755 "$dst.partial"
  sync "$dst.partial"
  mv -T "$dst.partial" "$dst"
  as_login_user rm -rf -- "$src" 2>/dev/null || true
  echo "installed $dst ${#names[@]} files"
}

# After a release is recorded: keep the wheelhouses a kept release's unit names, and the 2 newest.
wheelhouse_prune() {
  [ -d "$(wh_root)" ] && [ ! -L "$(wh_root)" ] || return 0
  local d keep
  keep=$(grep -rhoE "UV_FIND_LINKS=$LD_STATE/wheelhouses/[0-9a-f]{12}" "$LD_STATE/releases" 2>/dev/null | sed 's|.*/||' | sort -u || true)
  # shellcheck disable=SC2010 # ls -t is the only newest-first order at hand; the grep passes only names of 12 hex digits
  keep+=$'\n'$(ls -1t "$(wh_root)" 2>/dev/null | grep -E '^[0-9a-f]{12}$' | head -2 || true)
  for d in "$(wh_root)"/*; do
    [ -e "$d" ] || continue
    if [[ ${d##*/} == *.partial ]] || ! grep -qxF "${d##*/}" <<< "$keep"; then rm -rf -- "$d"; fi
  done
}
