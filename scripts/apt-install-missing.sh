# Sourced by the install scripts: `apt_install_missing TAG PKG…` installs the
# Debian packages among PKG… that are not installed yet, quietly; when all
# are there it costs one dpkg-query. Services the packages would start are
# kept from starting (nnfleet runs private instances of what it needs).
apt_install_missing() {
  local tag="$1"; shift
  local installed missing=() p
  # One dpkg-query for all: packages it does not know come back on stderr, not as lines.
  installed="$(dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null | awk '/install ok installed/ {print $1}' || true)"
  for p in "$@"; do
    grep -qx "$p" <<<"$installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  echo "$tag: installing ${missing[*]}" >&2
  local SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes
  local made_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ -n "$made_policy" ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi
}
