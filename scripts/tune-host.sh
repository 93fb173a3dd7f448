#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Reports what this host lacks for a low-latency wirebookd deployment
# (docs/deployment.md explains each item and what it costs). Read-only: it
# changes nothing.
#
# usage: scripts/tune-host.sh --check
# Exit status: 0 all good, 1 something is missing, 2 usage.
set -eu

[ "${1:-}" = "--check" ] && [ $# -eq 1 ] || { echo "usage: $0 --check" >&2; exit 2; }

missing=0
ok() { printf '  ok    %s\n' "$*"; }
lack() { printf '  MISS  %s\n' "$*"; missing=$((missing + 1)); }
info() { printf '  info  %s\n' "$*"; }

ncpu=$(getconf _NPROCESSORS_ONLN)
cmdline=$(cat /proc/cmdline)
param() { # the value of a kernel parameter, or empty
	for w in $cmdline; do case "$w" in "$1"=*) echo "${w#*=}"; return;; esac; done
}

echo "host: $(uname -r), $ncpu CPUs"

echo "CPU isolation"
for p in isolcpus nohz_full rcu_nocbs; do
	v=$(param $p)
	if [ -n "$v" ]; then ok "$p=$v"; else lack "$p= not on the kernel command line"; fi
done
v=$(cat /sys/devices/system/cpu/isolated 2>/dev/null || true)
[ -n "$v" ] && ok "isolated CPUs: $v" || lack "no isolated CPUs (/sys/devices/system/cpu/isolated is empty)"
if [ -r /proc/sys/kernel/sched_rt_runtime_us ]; then
	v=$(cat /proc/sys/kernel/sched_rt_runtime_us)
	[ "$v" = -1 ] && ok "RT throttling off" || info "sched_rt_runtime_us=$v (only matters for SCHED_FIFO rx threads)"
fi

echo "CPU frequency and idle"
gov=$(cat /sys/devices/system/cpu/cpu*/cpufreq/scaling_governor 2>/dev/null | sort -u | tr '\n' ' ')
case "$gov" in
"") info "no cpufreq interface (VM or fixed frequency)" ;;
"performance ") ok "governor performance" ;;
*) lack "governor '$gov' (want performance: the rx core must not clock down between bursts)" ;;
esac
v=$(param intel_idle.max_cstate)$(param processor.max_cstate)$(param idle)
[ -n "$v" ] && ok "C-state limit on the command line" || lack "deep C-states allowed (processor.max_cstate=1 / intel_idle.max_cstate=0 or idle=poll)"
v=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || true)
case "$v" in *"[never]"*|*"[madvise]"*) ok "THP: $v" ;; "") ;; *) lack "THP always (khugepaged compaction stalls): $v" ;; esac

echo "Hugepages"
n2=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages 2>/dev/null || echo 0)
n1=$(cat /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages 2>/dev/null || echo 0)
[ "$n2" -gt 0 ] || [ "$n1" -gt 0 ] && ok "reserved: $n2 x 2 MB, $n1 x 1 GB" || lack "no hugepages reserved (hugepages= / dpdk-hugepages.py --setup 4G)"
if grep -q ' hugetlbfs ' /proc/mounts; then ok "hugetlbfs mounted: $(awk '$3 == "hugetlbfs" { print $2 }' /proc/mounts | tr '\n' ' ')"
else lack "hugetlbfs not mounted (mount -t hugetlbfs nodev /dev/hugepages)"; fi
v=$(ulimit -l)
[ "$v" = unlimited ] && ok "memlock unlimited" || lack "memlock limit $v KB (LimitMEMLOCK=infinity in the unit)"

echo "NIC access"
if [ -e /dev/vfio/vfio ]; then ok "/dev/vfio present"; else lack "/dev/vfio missing (modprobe vfio-pci)"; fi
if [ -d /sys/kernel/iommu_groups ] && [ -n "$(ls /sys/kernel/iommu_groups 2>/dev/null)" ]; then ok "IOMMU on"
else lack "IOMMU off (intel_iommu=on / amd_iommu=on iommu=pt), or vfio no-IOMMU mode"; fi
bound=$(ls /sys/bus/pci/drivers/vfio-pci 2>/dev/null | grep -c '^0000:' || true)
[ "$bound" -gt 0 ] && ok "$bound device(s) bound to vfio-pci" || info "no device bound to vfio-pci (dpdk-devbind.py -b vfio-pci ADDR)"

echo "Interrupts and kernel noise on the rx cores"
v=$(cat /proc/irq/default_smp_affinity 2>/dev/null || true)
iso=$(cat /sys/devices/system/cpu/isolated 2>/dev/null || true)
if [ -n "$iso" ]; then
	# Any IRQ allowed onto an isolated core interrupts its busy loop.
	bad=0
	for f in /proc/irq/[0-9]*/effective_affinity_list; do
		l=$(cat "$f" 2>/dev/null) || continue
		case ",$l," in *",$iso,"*) bad=$((bad + 1)) ;; esac
	done
	[ $bad -eq 0 ] && ok "no IRQ effective on isolated CPUs $iso (exact-list check)" ||
		lack "$bad IRQ(s) effective on isolated CPUs $iso (echo MASK > /proc/irq/N/smp_affinity)"
fi
info "default IRQ affinity mask: $v (keep the rx cores out of it)"
if pgrep -x irqbalance >/dev/null 2>&1; then lack "irqbalance running (it moves IRQs onto isolated cores unless banned)"
else ok "irqbalance not running"; fi
v=$(cat /proc/sys/kernel/watchdog 2>/dev/null || true)
[ "$v" = 0 ] && ok "soft lockup watchdog off" || lack "watchdog on (nowatchdog / kernel.watchdog=0: it interrupts busy cores)"
v=$(cat /proc/sys/vm/stat_interval 2>/dev/null || true)
[ -n "$v" ] && [ "$v" -ge 10 ] && ok "vm.stat_interval=$v" || lack "vm.stat_interval=${v:-?} (raise to 10+ to cut vmstat work on busy cores)"

echo "Kernel busy polling (AF_XDP / socket paths only)"
v=$(cat /proc/sys/net/core/busy_poll 2>/dev/null || echo 0)
[ "$v" -gt 0 ] && ok "net.core.busy_poll=$v" || info "net.core.busy_poll=0 (only the AF_XDP/AF_PACKET paths use it)"

echo
if [ $missing -eq 0 ]; then echo "tune-host: nothing missing"; else echo "tune-host: $missing item(s) missing"; fi
[ $missing -eq 0 ]
