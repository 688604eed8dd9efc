#!/usr/bin/env bash
# Installs OpenStack Swift (all-in-one servers, the python client used by the
# tests to list objects) and memcached (TempAuth keeps its tokens there) from
# Debian. Idempotent and quiet: when all is there it costs one dpkg-query.
# The servers are never run as system services: test/harness/swift-cluster.ts
# starts a private instance from a temp dir.
set -euo pipefail

PACKAGES=(swift swift-proxy swift-account swift-container swift-object
  python3-swiftclient memcached)

installed="$(dpkg-query -W -f='${Package} ${Status}\n' "${PACKAGES[@]}" 2>/dev/null | awk '/install ok installed/ {print $1}' || true)"
missing=()
for p in "${PACKAGES[@]}"; do
  grep -qx "$p" <<<"$installed" || missing+=("$p")
done
((${#missing[@]})) || exit 0

echo "install-swift: installing ${missing[*]}" >&2
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes
# Keep the packages' postinst scripts from starting system services
# (memcached, swift-*): nnfleet starts private instances itself.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
