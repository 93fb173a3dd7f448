#!/usr/bin/env bash
# Installs everything wirebook needs to build, test and run, from Debian 12's
# packages. Idempotent: when every package is present it changes nothing and
# does not touch the network. Needs root (apt-get).
set -euo pipefail

PKGS=(
	gcc clang libclang-rt-14-dev meson ninja-build pkg-config
	libdpdk-dev dpdk dpdk-dev libnuma-dev zlib1g-dev libpcap-dev libbsd-dev
	libcmocka-dev scdoc
	iproute2 python3 procps tmux
	python3-cffi python3-numpy python3-pytest python3-matplotlib
	gnuplot-nox
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "bootstrap: all ${#PKGS[@]} packages present"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "bootstrap: missing packages: ${missing[*]}; run as root to install them" >&2
	exit 1
fi
echo "bootstrap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
