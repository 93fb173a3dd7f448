#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The veth testbed: a network namespace playing the exchange, joined to the
# host by a veth pair with private addresses, a multicast route so that a
# sender in the namespace ('wirebook sim') puts its groups on the wire, and
# the host end left for wirebookd (net_af_packet or net_af_xdp).
#
#   host: IF   10.77.0.1/30  <--veth-->  IF"p" 10.77.0.2/30 : netns NS
#
# usage: testbed.sh create|destroy|status [NAME]
#   NAME (default wb) names the namespace (NAME-sim), the host interface
#   (NAME0) and the peer (NAME0p). Set WB_NET=10.77.0 to change the /30.
# Idempotent: create replaces a half-made testbed, destroy ignores what is
# already gone. Needs root (CAP_NET_ADMIN).
set -eu

cmd=${1:-}
name=${2:-wb}
net=${WB_NET:-10.77.0}
ns="$name-sim"
ifh="${name}0"
ifp="${name}0p"

die() { echo "testbed: $*" >&2; exit 1; }

[ ${#ifp} -le 15 ] || die "name '$name' too long for an interface name"

destroy() {
	ip link del "$ifh" 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
}

create() {
	destroy
	ip netns add "$ns"
	ip link add "$ifh" type veth peer name "$ifp"
	ip link set "$ifp" netns "$ns"
	# No IPv6 chatter (router solicitations, MLD) on the testbed link.
	sysctl -qw "net.ipv6.conf.$ifh.disable_ipv6=1" 2>/dev/null || true
	ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$ifp.disable_ipv6=1" 2>/dev/null || true
	ip addr add "$net.1/30" dev "$ifh"
	ip link set "$ifh" up
	ip netns exec "$ns" ip addr add "$net.2/30" dev "$ifp"
	ip netns exec "$ns" ip link set lo up
	ip netns exec "$ns" ip link set "$ifp" up
	# Multicast from the namespace leaves through the veth.
	ip netns exec "$ns" ip route add 224.0.0.0/4 dev "$ifp"
	echo "testbed: $ns ($ifp $net.2) <-> $ifh $net.1"
}

status() {
	if ip netns list | grep -qw "$ns" && ip link show "$ifh" >/dev/null 2>&1; then
		ip -br addr show "$ifh"
		ip netns exec "$ns" ip -br addr show "$ifp"
		ip netns exec "$ns" ip route show 224.0.0.0/4
	else
		echo "testbed: $name: not present"
		return 1
	fi
}

case "$cmd" in
create) create ;;
destroy) destroy ;;
status) status ;;
*) echo "usage: $0 create|destroy|status [NAME]" >&2; exit 2 ;;
esac
