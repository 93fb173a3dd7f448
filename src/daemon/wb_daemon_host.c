/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The configuration against this host, before EAL: what `wirebookd --check`
 * can know without starting. EAL would fail on most of these too, but later,
 * after reserving memory, with a message about an lcore or a device rather
 * than about the key that named it; and some (an rx lcore on the far NUMA
 * node of its NIC) it would accept and run slowly. Everything is read from
 * sysfs, procfs and the network stack's names:
 *   [eal] lcores          each CPU exists, is online, is in our affinity mask
 *   [eal] extra           --socket-mem / --socket-limit list no absent node
 *   [eal] hugepages       hugetlbfs is mounted, enough free pages for memory_mb
 *   [book] hugepages      free pages exist
 *   [portN] vdev          iface=/rx_iface=/tx_iface= interfaces exist,
 *                         rx_pcap=/rx_pcap files are readable
 *   [portN] pci           the device exists; its driver and NUMA node
 *   [daemon] user, group  exist, and can be become; [publish] gid exists
 * Errors stop start-up (status 2); what only costs speed is a warning.
 * The sysfs root can be moved (WB_SYSFS, for tests).
 */
#include <ctype.h>
#include <dirent.h>
#include <grp.h>
#include <pwd.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wb_daemon.h"

#define WB_HOST_MAX_CPUS 1024

static const char *
wb_host_sysfs(void)
{
	const char *s = getenv("WB_SYSFS");

	return s != NULL && s[0] != '\0' ? s : "/sys";
}

/* First line of ROOT/rel, without its newline; -1 if unreadable. */
static int
wb_host_read(const char *rel, char *buf, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", wb_host_sysfs(), rel);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	if (fgets(buf, (int)len, f) == NULL) {
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* "0-3,8,10-11" into set; -1 if malformed. */
static int
wb_host_cpulist(const char *s, unsigned char *set, unsigned int max)
{
	memset(set, 0, max);
	while (*s != '\0') {
		char *end;
		unsigned long a = strtoul(s, &end, 10), b = a;

		if (end == s)
			return -1;
		if (*end == '-') {
			s = end + 1;
			b = strtoul(s, &end, 10);
			if (end == s || b < a)
				return -1;
		}
		for (; a <= b && a < max; a++)
			set[a] = 1;
		s = end;
		if (*s == ',')
			s++;
		else if (*s != '\0')
			return -1;
	}
	return 0;
}

/* NUMA node of a CPU (from its nodeN link), -1 if unknown. */
static int
wb_host_cpu_node(unsigned int cpu)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d;
	int node = -1;

	snprintf(path, sizeof(path), "%s/devices/system/cpu/cpu%u", wb_host_sysfs(), cpu);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, "node", 4) == 0 && isdigit((unsigned char)e->d_name[4]))
			node = atoi(e->d_name + 4);
	closedir(d);
	return node;
}

static int
wb_host_node_exists(long node)
{
	char rel[64], buf[64];

	snprintf(rel, sizeof(rel), "devices/system/node/node%ld/cpulist", node);
	return wb_host_read(rel, buf, sizeof(buf)) == 0;
}

static int
wb_host_cpu_exists(const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", wb_host_sysfs(), rel);
	return access(path, F_OK) == 0;
}

static int
wb_host_lcores(const struct wb_daemon_cfg *c, char *err, size_t errlen)
{
	static unsigned char want[WB_HOST_MAX_CPUS], online[WB_HOST_MAX_CPUS];
	char buf[4096];
	cpu_set_t aff;
	unsigned int i;
	int have_aff;

	if (wb_host_cpulist(c->lcores, want, WB_HOST_MAX_CPUS) < 0)
		return 0; /* wb_daemon_cfg_check() names it */
	if (wb_host_read("devices/system/cpu/online", buf, sizeof(buf)) < 0 ||
	    wb_host_cpulist(buf, online, WB_HOST_MAX_CPUS) < 0)
		return 0; /* no sysfs: nothing to say */
	have_aff = getenv("WB_SYSFS") == NULL && sched_getaffinity(0, sizeof(aff), &aff) == 0;
	for (i = 0; i < WB_HOST_MAX_CPUS; i++) {
		char rel[64];

		if (!want[i] || online[i]) {
			if (want[i] && have_aff && !CPU_ISSET(i, &aff)) {
				snprintf(
				    err, errlen,
				    "[eal] lcores: CPU %u is not in this process's CPU affinity "
				    "(taskset, cgroup cpuset or systemd CPUAffinity=)",
				    i);
				return -1;
			}
			continue;
		}
		snprintf(rel, sizeof(rel), "devices/system/cpu/cpu%u", i);
		snprintf(err, errlen, "[eal] lcores: CPU %u %s on this host (online CPUs: %s)", i,
			 wb_host_cpu_exists(rel) ? "is offline" : "does not exist", buf);
		return -1;
	}
	return 0;
}

/* --socket-mem/--socket-limit A,B,...: one entry per node, each must exist if > 0. */
static int
wb_host_socket_mem(const struct wb_daemon_cfg *c, char *err, size_t errlen)
{
	static const char *const keys[] = {"--socket-mem", "--socket-limit"};
	unsigned int k;

	for (k = 0; k < 2; k++) {
		const char *s = strstr(c->eal_extra, keys[k]);
		long node = 0;

		if (s == NULL)
			continue;
		s += strlen(keys[k]);
		s += strspn(s, " =");
		while (isdigit((unsigned char)*s)) {
			char *end;
			unsigned long mb = strtoul(s, &end, 10);

			if (mb > 0 && !wb_host_node_exists(node)) {
				snprintf(err, errlen,
					 "[eal] extra: %s asks %lu MB on NUMA node %ld, which this "
					 "host does not have",
					 keys[k], mb, node);
				return -1;
			}
			node++;
			s = end;
			if (*s != ',')
				break;
			s++;
		}
	}
	return 0;
}

/* Free huge pages of every size, in MB; -1 without hugetlbfs support. */
static long
wb_host_free_huge_mb(void)
{
	char path[PATH_MAX], rel[PATH_MAX], buf[64];
	struct dirent *e;
	long mb = -1;
	DIR *d;

	snprintf(path, sizeof(path), "%s/kernel/mm/hugepages", wb_host_sysfs());
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		unsigned long kb;

		if (sscanf(e->d_name, "hugepages-%lukB", &kb) != 1)
			continue;
		snprintf(rel, sizeof(rel), "kernel/mm/hugepages/%s/free_hugepages", e->d_name);
		if (wb_host_read(rel, buf, sizeof(buf)) < 0)
			continue;
		mb = (mb < 0 ? 0 : mb) + (long)(strtoul(buf, NULL, 10) * kb / 1024);
	}
	closedir(d);
	return mb;
}

static int
wb_host_hugetlbfs_mounted(void)
{
	char line[512], dev[128], dir[256], type[64];
	FILE *f = fopen("/proc/mounts", "r");
	int found = 0;

	if (f == NULL)
		return 1; /* cannot tell: let EAL say */
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = sscanf(line, "%127s %255s %63s", dev, dir, type) == 3 &&
			strcmp(type, "hugetlbfs") == 0;
	fclose(f);
	return found;
}

static int
wb_host_hugepages(const struct wb_daemon_cfg *c, char *err, size_t errlen)
{
	long free_mb;

	if (!c->hugepages && !c->book_hugepages)
		return 0;
	free_mb = wb_host_free_huge_mb();
	if (free_mb < 0) {
		snprintf(err, errlen, "%s: this kernel has no huge pages (%s/kernel/mm/hugepages)",
			 c->hugepages ? "[eal] hugepages" : "[book] hugepages", wb_host_sysfs());
		return -1;
	}
	if (c->hugepages && getenv("WB_SYSFS") == NULL && !wb_host_hugetlbfs_mounted()) {
		snprintf(err, errlen,
			 "[eal] hugepages: no hugetlbfs is mounted "
			 "(mount -t hugetlbfs nodev /dev/hugepages)");
		return -1;
	}
	if (c->hugepages && free_mb < (long)c->memory_mb) {
		snprintf(err, errlen,
			 "[eal] hugepages: %ld MB of huge pages free, memory_mb asks %u "
			 "(reserve more: docs/deployment.md)",
			 free_mb, c->memory_mb);
		return -1;
	}
	if (c->book_hugepages && free_mb == 0)
		fprintf(stderr, "wirebookd: [book] hugepages: no huge page is free; "
				"the books will use normal pages\n");
	return 0;
}

/* The value of KEY= in a vdev argument string, into val; 0 if present. */
static int
wb_host_vdev_arg(const char *vdev, const char *key, size_t from, char *val, size_t len,
		 size_t *next)
{
	size_t klen = strlen(key);
	const char *s = vdev + from;

	while ((s = strchr(s, ',')) != NULL) {
		s++;
		if (strncmp(s, key, klen) == 0 && s[klen] == '=') {
			size_t n = strcspn(s + klen + 1, ",");

			snprintf(val, len, "%.*s", (int)n, s + klen + 1);
			*next = (size_t)(s - vdev) + klen;
			return 0;
		}
	}
	return -1;
}

static int
wb_host_vdev(unsigned int i, const char *vdev, char *err, size_t errlen)
{
	static const char *const ifkeys[] = {"iface", "rx_iface", "tx_iface", "rx_iface_in"};
	static const char *const filekeys[] = {"rx_pcap"};
	char val[PATH_MAX];
	unsigned int k;
	size_t pos;

	for (k = 0; k < sizeof(ifkeys) / sizeof(ifkeys[0]); k++)
		for (pos = 0; wb_host_vdev_arg(vdev, ifkeys[k], pos, val, sizeof(val), &pos) == 0;)
			if (if_nametoindex(val) == 0) {
				snprintf(err, errlen,
					 "[port%u] vdev: %s=%s: no such network interface here%s",
					 i, ifkeys[k], val,
					 geteuid() == 0 ? ""
							: " (or in another network namespace)");
				return -1;
			}
	for (k = 0; k < sizeof(filekeys) / sizeof(filekeys[0]); k++)
		for (pos = 0;
		     wb_host_vdev_arg(vdev, filekeys[k], pos, val, sizeof(val), &pos) == 0;)
			if (access(val, R_OK) != 0) {
				snprintf(err, errlen, "[port%u] vdev: %s=%s: %s", i, filekeys[k],
					 val, strerror(errno));
				return -1;
			}
	return 0;
}

/* The port's PCI device exists; warns about its driver and NUMA placement. */
static int
wb_host_pci(const struct wb_daemon_cfg *c, unsigned int i, char *err, size_t errlen)
{
	const struct wb_daemon_port_cfg *p = &c->port[i];
	char addr[80], rel[PATH_MAX], buf[64], path[PATH_MAX], link[PATH_MAX];
	const char *drv;
	ssize_t n;
	unsigned int q;
	long node;

	/* "01:00.0" is domain 0000 */
	snprintf(addr, sizeof(addr), "%s%s",
		 strchr(p->pci, ':') == strrchr(p->pci, ':') ? "0000:" : "", p->pci);
	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/vendor", addr);
	if (wb_host_read(rel, buf, sizeof(buf)) < 0) {
		snprintf(err, errlen, "[port%u] pci: no PCI device %s on this host (lspci -D)", i,
			 addr);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver", wb_host_sysfs(), addr);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	drv = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
	if (drv[0] == '\0')
		fprintf(stderr,
			"wirebookd: warning: [port%u] pci: %s has no driver bound "
			"(dpdk-devbind.py -b vfio-pci %s)\n",
			i, addr, addr);
	else if (strcmp(drv, "vfio-pci") != 0 && strcmp(drv, "igb_uio") != 0 &&
		 strcmp(drv, "uio_pci_generic") != 0 && strcmp(drv, "mlx5_core") != 0)
		fprintf(stderr,
			"wirebookd: warning: [port%u] pci: %s is bound to %s, not vfio-pci "
			"(dpdk-devbind.py -b vfio-pci %s)\n",
			i, addr, drv, addr);
	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/numa_node", addr);
	if (wb_host_read(rel, buf, sizeof(buf)) < 0 || (node = strtol(buf, NULL, 10)) < 0)
		return 0;
	for (q = 0; q < p->io.rx_queues; q++) {
		int cn = wb_host_cpu_node(p->io.lcore[q]);

		if (cn >= 0 && cn != node)
			fprintf(stderr,
				"wirebookd: warning: [port%u] lcores: lcore %u is on NUMA "
				"node %d, the NIC %s on node %ld: every packet crosses the "
				"interconnect\n",
				i, p->io.lcore[q], cn, addr, node);
	}
	return 0;
}

/* [daemon] user/group and [publish] gid (wb_daemon.h). */
int
wb_daemon_priv_resolve(const struct wb_daemon_cfg *c, uid_t *uid, gid_t *gid, char *err,
		       size_t errlen)
{
	const struct passwd *pw;
	const struct group *gr;

	if (c->gid >= 0 && getgrgid((gid_t)c->gid) == NULL) {
		snprintf(err, errlen,
			 "[publish] gid: %d is not a group on this host (getent group)", c->gid);
		return -1;
	}
	if (c->user[0] == '\0') {
		if (c->group[0] != '\0') {
			snprintf(err, errlen, "[daemon] group: needs [daemon] user");
			return -1;
		}
		return 0;
	}
	pw = getpwnam(c->user);
	if (pw == NULL) {
		snprintf(err, errlen, "[daemon] user: '%s' is not a user on this host", c->user);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	if (c->group[0] != '\0') {
		gr = getgrnam(c->group);
		if (gr == NULL) {
			snprintf(err, errlen, "[daemon] group: '%s' is not a group on this host",
				 c->group);
			return -1;
		}
		*gid = gr->gr_gid;
	}
	if (geteuid() != 0 && geteuid() != *uid) {
		snprintf(err, errlen,
			 "[daemon] user: becoming '%s' needs root; started as uid %u (with systemd "
			 "User=, leave [daemon] user empty)",
			 c->user, (unsigned int)geteuid());
		return -1;
	}
	return 1;
}

int
wb_daemon_host_check(const struct wb_daemon_cfg *c, char *err, size_t errlen)
{
	unsigned int i;
	uid_t uid;
	gid_t gid;

	if (wb_daemon_priv_resolve(c, &uid, &gid, err, errlen) < 0 ||
	    wb_host_lcores(c, err, errlen) < 0 || wb_host_socket_mem(c, err, errlen) < 0 ||
	    wb_host_hugepages(c, err, errlen) < 0)
		return -1;
	for (i = 0; i < c->nports; i++) {
		if (c->port[i].vdev[0] != '\0' && wb_host_vdev(i, c->port[i].vdev, err, errlen) < 0)
			return -1;
		if (c->port[i].pci[0] != '\0' && wb_host_pci(c, i, err, errlen) < 0)
			return -1;
	}
	return 0;
}
