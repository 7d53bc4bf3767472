#!/usr/bin/env bash
# Installs, from Debian 12 packages only, whatever the build and the tests need and is missing.
# Idempotent: when everything is present it does not touch apt at all (works offline).
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config git
  # libraries (Boost 1.81 explicitly: plain libboost-dev is 1.74)
  libboost1.81-dev libsimdjson-dev libarchive-dev libssl-dev
  # yamldecode/yamlencode: go-cty-yaml is a port of libyaml
  libyaml-dev
  # bcrypt(): libcrypt's crypt_gensalt_rn/crypt_rn
  libcrypt-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  python3 python3-pytest
  # image layer: liblzma for multi-threaded xz decoding (libarchive's reader is single-threaded);
  # tests: a plain web server as a registry, signify keys, xz archives, test certificates, curl
  liblzma-dev nginx-light signify-openbsd xz-utils openssl curl
  # jail layer: a static busybox as the root of test jails; links, addresses, NAT
  busybox-static iproute2 nftables
  # bench/jail compares start latency with crun on the same root
  crun
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: run as root (apt-get needs it)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Packages with services (nginx) must not start them: tests start their own instances.
  policy=/usr/sbin/policy-rc.d
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
