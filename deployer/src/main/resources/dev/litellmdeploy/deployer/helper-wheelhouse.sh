# shellcheck shell=bash

# ---- wheelhouses: the wheels uv installs LiteLLM from on a server without PyPI (docs/offline.md) ----
# A wheelhouse is kept at $LD_STATE/wheelhouses/<first 12 of DIGEST>, root:root, dirs 0755 and files
# 0644 (the service user reads it; the unit's ProtectSystem=strict leaves /var/lib readable), with
# its checksum list as SHA256SUMS: DIGEST is the sha256 of that list, so the name tells the content.
# Its files are hard links into the wheel store, $LD_STATE/wheels/<sha256 of the file> (root:root,
# 0644; a file enters it only after root checked its digest on root's own copy), so a wheel two
# wheelhouses share is uploaded and stored once.
wh_root() { printf '%s/wheelhouses' "$LD_STATE"; }
wh_store() { printf '%s/wheels' "$LD_STATE"; }

# Two lines for the state verb: the full digests of the complete wheelhouses on this host, and the
# digests of the files it holds (the store, and the files still there of wheelhouses made before the store).
wheelhouse_state() {
  local d out="" have="" sha name
  for d in "$(wh_root)"/*; do
    { [ -d "$d" ] && [ ! -L "$d" ] && [ -f "$d/SHA256SUMS" ] && [[ ${d##*/} =~ ^[0-9a-f]{12}$ ]]; } || continue
    out+="$(sha256sum < "$d/SHA256SUMS" | cut -d' ' -f1) "
    while read -r sha name; do
      if [ -f "$d/$name" ] && [ ! -L "$d/$name" ]; then have+="$sha"$'\n'; fi
    done < "$d/SHA256SUMS"
  done
  [ -d "$(wh_store)" ] && [ ! -L "$(wh_store)" ] && have+="$(find "$(wh_store)" -mindepth 1 -maxdepth 1 -type f -printf '%f\n')"
  echo "wheelhouses=${out% }"
  echo "wheels=$(grep -xE '[0-9a-f]{64}' <<< "$have" | sort -u | tr '\n' ' ' | sed 's/ $//' || true)"
}

# A file of a complete wheelhouse made before the store that lists this digest (printed), or nothing.
wh_legacy() {
  local d name
  for d in "$(wh_root)"/*; do
    { [ -d "$d" ] && [ ! -L "$d" ] && [[ ${d##*/} =~ ^[0-9a-f]{12}$ ]] && [ -f "$d/SHA256SUMS" ]; } || continue
    name=$(grep -m1 -E "^$1  " "$d/SHA256SUMS" | cut -d' ' -f3- || true)
    if [ -n "$name" ] && [ -f "$d/$name" ] && [ ! -L "$d/$name" ]; then printf '%s/%s' "$d" "$name"; return 0; fi
  done
}

# DIGEST CHECKSUMS: the wheelhouse of that checksum list, assembled from the store. The files the host lacks were
# uploaded into the login user's staging folder (wheelhouse-<12>/NAME); each is read AS the user into a directory root
# has just made and checked against its digest on root's copy, and only when all match do they enter the store. Only
# plain wheel names and requirements.txt, each once, sorted; the list must hash to DIGEST. An existing wheelhouse of
# that digest is kept (prints present).
cmd_wheelhouse() {
  [[ $1 =~ ^[0-9a-f]{64}$ ]] || fail 3 "not a sha256: '$1'"
  local short=${1:0:12} line name sha prev="" names=() shas=() wheels=0 src dst p f list="" incoming i got=0 from bad
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    [[ $line =~ ^([0-9a-f]{64})\ \ ([A-Za-z0-9][A-Za-z0-9._+-]{0,200})$ ]] || fail 3 "not a checksum line of a wheelhouse: '$line'"
    sha=${BASH_REMATCH[1]}; name=${BASH_REMATCH[2]}
    [[ $name =~ \.whl$ || $name == requirements.txt ]] || fail 3 "$name is not a wheel (*.whl) or requirements.txt"
    [[ -z $prev || $prev < $name ]] || fail 3 "the wheelhouse's files must be listed once each, sorted by name ($name after $prev)"
    prev=$name; names+=("$name"); shas+=("$sha"); list+="$line"$'\n'; [[ $name == requirements.txt ]] || wheels=$((wheels + 1))
  done <<< "$2"
  [ "$(printf '%s' "$list" | sha256sum | cut -d' ' -f1)" = "$1" ] || fail 3 "the wheelhouse's checksum list does not hash to $1"
  [ "$wheels" -gt 0 ] || fail 3 "the wheelhouse holds no wheels"
  dst="$(wh_root)/$short"; incoming="$(wh_store)/.incoming-$short"
  for p in "$(wh_root)" "$dst" "$(wh_store)"; do [ ! -L "$p" ] || fail 3 "$p is a symbolic link; litellm-deploy refuses to write through it. Nothing was changed."; done
  src="$(staging)/wheelhouse-$short"
  if [ -d "$dst" ] && [ -f "$dst/SHA256SUMS" ]; then
    [ "$(sha256sum < "$dst/SHA256SUMS" | cut -d' ' -f1)" = "$1" ] || fail 3 "$dst holds another wheelhouse (its digest differs from $1); remove it first"
    as_login_user rm -rf -- "$src" 2>/dev/null || true
    echo "present $dst"; return 0
  fi
  install -d -m 0755 -o root -g root "$(wh_root)" "$(wh_store)"
  # 1. the files the host lacks: root's copies of the user's upload, each checked, then all into the store
  rm -rf "$incoming"; install -d -m 0700 -o root -g root "$incoming"
  for i in "${!names[@]}"; do
    name=${names[$i]}; sha=${shas[$i]}
    if [ -f "$(wh_store)/$sha" ] || [ -e "$incoming/$sha" ]; then continue; fi  # stored, or the same content under two names
    from=$(wh_legacy "$sha")
    if [ -n "$from" ]; then
      ln -- "$from" "$incoming/$sha" 2>/dev/null || cp -- "$from" "$incoming/$sha"
    else
      as_login_user cat -- "$src/$name" > "$incoming/$sha" 2>/dev/null \
        || { rm -rf "$incoming"; as_login_user rm -rf -- "$src" 2>/dev/null || true; fail 4 "the wheelhouse upload lacks $name (or it is not readable by $(login_user)), or the disk is full; nothing was installed"; }
      got=$((got + 1))
    fi
    if [ "$(sha256sum < "$incoming/$sha" | cut -d' ' -f1)" != "$sha" ]; then
      rm -rf "$incoming"; as_login_user rm -rf -- "$src" 2>/dev/null || true
      fail 4 "the uploaded wheelhouse file $name does not match the digest the deployer sent ($sha); nothing was installed"
    fi
  done
  chmod 0644 "$incoming"/* 2>/dev/null || true
  sync "$incoming"
  for f in "$incoming"/*; do if [ -e "$f" ]; then mv -f -- "$f" "$(wh_store)/${f##*/}"; fi; done
  rm -rf "$incoming"
  as_login_user rm -rf -- "$src" 2>/dev/null || true
  # 2. the wheelhouse: a link to each stored file, every digest checked again on what it holds, then renamed into place
  rm -rf "$dst.partial"; install -d -m 0700 -o root -g root "$dst.partial"
  for i in "${!names[@]}"; do
    ln -- "$(wh_store)/${shas[$i]}" "$dst.partial/${names[$i]}" 2>/dev/null \
      || { rm -rf "$dst.partial"; fail 4 "the host has no stored file for ${names[$i]}, or the disk is full; nothing was installed"; }
  done
  printf '%s' "$list" > "$dst.partial/SHA256SUMS"
  if ! bad=$(cd "$dst.partial" && sha256sum --strict -c SHA256SUMS 2>&1); then
    bad=$(sed -n 's/: FAILED.*$//p' <<< "$bad" | tr '\n' ' '); bad=${bad% }
    for i in "${!names[@]}"; do if [[ " $bad " == *" ${names[$i]} "* ]]; then rm -f -- "$(wh_store)/${shas[$i]}"; fi; done
    rm -rf "$dst.partial"; fail 4 "the host's stored ${bad:-files} no longer match their digests (removed: the next deploy uploads them again); nothing was installed"
  fi
  chmod 0644 "$dst.partial/SHA256SUMS"; chmod 0755 "$dst.partial"
  sync "$dst.partial"
  mv -T "$dst.partial" "$dst"
  echo "installed $dst ${#names[@]} files, $got of them uploaded"
}

# After a release is recorded: keep the wheelhouses a kept release's unit names, and the 2 newest; then the stored
# files a kept wheelhouse lists (a wheel goes when no kept wheelhouse needs it).
wheelhouse_prune() {
  [ -d "$(wh_root)" ] && [ ! -L "$(wh_root)" ] || return 0
  local d keep need
  keep=$(grep -rhoE "UV_FIND_LINKS=$LD_STATE/wheelhouses/[0-9a-f]{12}" "$LD_STATE/releases" 2>/dev/null | sed 's|.*/||' | sort -u || true)
  # shellcheck disable=SC2010 # ls -t is the only newest-first order at hand; the grep passes only names of 12 hex digits
  keep+=$'\n'$(ls -1t "$(wh_root)" 2>/dev/null | grep -E '^[0-9a-f]{12}$' | head -2 || true)
  for d in "$(wh_root)"/*; do
    [ -e "$d" ] || continue
    if [[ ${d##*/} == *.partial ]] || ! grep -qxF "${d##*/}" <<< "$keep"; then rm -rf -- "$d"; fi
  done
  [ -d "$(wh_store)" ] && [ ! -L "$(wh_store)" ] || return 0
  need=$(cat "$(wh_root)"/*/SHA256SUMS 2>/dev/null | cut -d' ' -f1 | sort -u || true)
  for d in "$(wh_store)"/* "$(wh_store)"/.incoming-*; do
    [ -e "$d" ] || continue
    grep -qxF "${d##*/}" <<< "$need" || rm -rf -- "$d"
  done
}
