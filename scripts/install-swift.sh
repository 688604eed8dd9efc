#!/usr/bin/env bash
# Installs OpenStack Swift (all-in-one servers, the python client used by the
# tests to list objects) and memcached (TempAuth keeps its tokens there) from
# Debian, and Keystone with the Swift proxy's keystonemiddleware (the test of
# Keystone v3 auth starts a private one). Idempotent and quiet: when all is there it costs one dpkg-query.
# The servers are never run as system services: test/harness/swift-cluster.ts
# starts a private instance from a temp dir.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt-install-missing.sh"
apt_install_missing install-swift swift swift-proxy swift-account swift-container swift-object python3-swiftclient memcached \
  keystone python3-keystonemiddleware
