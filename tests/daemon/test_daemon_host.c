/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wirebookd --check against the host: a configuration that names a CPU,
 * NUMA node, interface, pcap file or PCI device the host lacks, or more
 * huge pages than are free, must fail naming the key. The host is a fake
 * sysfs tree (WB_SYSFS): four online CPUs, CPU 5 present but offline, one
 * NUMA node, 10 free 2 MB pages, one PCI device.
 */
#include "wb_test.h"

#include <sys/stat.h>

#include "wb_daemon.h"

static char wb_root[64];

static void
wb_put(const char *rel, const char *text)
{
	char path[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", wb_root, rel);
	for (slash = path + strlen(wb_root) + 1; (slash = strchr(slash, '/')) != NULL; slash++) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	if (text == NULL) {
		assert_int_equal(mkdir(path, 0755), 0);
		return;
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int
wb_setup(void **state)
{
	(void)state;
	snprintf(wb_root, sizeof(wb_root), "/tmp/wb-test-sysfs.XXXXXX");
	if (mkdtemp(wb_root) == NULL)
		return -1;
	wb_put("devices/system/cpu/online", "0-3\n");
	wb_put("devices/system/cpu/cpu0/node0", NULL);
	wb_put("devices/system/cpu/cpu1/node0", NULL);
	wb_put("devices/system/cpu/cpu2/node0", NULL);
	wb_put("devices/system/cpu/cpu3/node0", NULL);
	wb_put("devices/system/cpu/cpu5/online", "0\n");
	wb_put("devices/system/node/node0/cpulist", "0-3\n");
	wb_put("kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "10\n");
	wb_put("bus/pci/devices/0000:01:00.0/vendor", "0x8086\n");
	wb_put("bus/pci/devices/0000:01:00.0/numa_node", "0\n");
	setenv("WB_SYSFS", wb_root, 1);
	return 0;
}

static int
wb_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", wb_root);
	unsetenv("WB_SYSFS");
	return system(cmd) == 0 ? 0 : -1;
}

/* A minimal valid configuration: lcores 0-1, one port on lcore 1. */
static void
wb_cfg(struct wb_daemon_cfg *c, const char *lcores, const char *vdev, const char *pci)
{
	wb_daemon_cfg_default(c);
	snprintf(c->lcores, sizeof(c->lcores), "%s", lcores);
	c->nports = 1;
	snprintf(c->port[0].vdev, sizeof(c->port[0].vdev), "%s", vdev);
	snprintf(c->port[0].pci, sizeof(c->port[0].pci), "%s", pci);
	c->port[0].io.rx_queues = 1;
	c->port[0].io.lcore[0] = 1;
}

static void
wb_expect(const struct wb_daemon_cfg *c, const char *want)
{
	char err[512] = "";
	int rc = wb_daemon_host_check(c, err, sizeof(err));

	if (want == NULL) {
		if (rc != 0)
			fail_msg("unexpected error: %s", err);
		return;
	}
	assert_int_equal(rc, -1);
	if (strstr(err, want) == NULL)
		fail_msg("error '%s' does not contain '%s'", err, want);
}

static void
test_lcores(void **state)
{
	static struct wb_daemon_cfg c;

	(void)state;
	wb_cfg(&c, "0-1", "net_null0", "");
	wb_expect(&c, NULL);
	wb_cfg(&c, "0,7", "net_null0", "");
	wb_expect(&c, "[eal] lcores: CPU 7 does not exist on this host (online CPUs: 0-3)");
	wb_cfg(&c, "0-1,5", "net_null0", "");
	wb_expect(&c, "[eal] lcores: CPU 5 is offline");
}

static void
test_numa_hugepages(void **state)
{
	static struct wb_daemon_cfg c;

	(void)state;
	wb_cfg(&c, "0-1", "net_null0", "");
	snprintf(c.eal_extra, sizeof(c.eal_extra), "--socket-mem 512,0");
	wb_expect(&c, NULL);
	snprintf(c.eal_extra, sizeof(c.eal_extra), "--socket-mem=0,512");
	wb_expect(&c, "[eal] extra: --socket-mem asks 512 MB on NUMA node 1");
	c.eal_extra[0] = '\0';
	c.hugepages = 1;
	c.memory_mb = 20;
	wb_expect(&c, NULL);
	c.memory_mb = 256;
	wb_expect(&c, "[eal] hugepages: 20 MB of huge pages free, memory_mb asks 256");
}

static void
test_vdev(void **state)
{
	static struct wb_daemon_cfg c;

	(void)state;
	wb_cfg(&c, "0-1", "net_af_packet0,iface=lo,qpairs=1", "");
	wb_expect(&c, NULL);
	wb_cfg(&c, "0-1", "net_af_packet0,qpairs=1,iface=wb-no-such9", "");
	wb_expect(&c, "[port0] vdev: iface=wb-no-such9: no such network interface");
	wb_cfg(&c, "0-1", "net_pcap0,rx_pcap=/nonexistent/x.pcap", "");
	wb_expect(&c, "[port0] vdev: rx_pcap=/nonexistent/x.pcap: No such file");
}

static void
test_pci(void **state)
{
	static struct wb_daemon_cfg c;

	(void)state;
	wb_cfg(&c, "0-1", "", "01:00.0");
	wb_expect(&c, NULL);
	wb_cfg(&c, "0-1", "", "0000:02:00.0");
	wb_expect(&c, "[port0] pci: no PCI device 0000:02:00.0 on this host");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lcores),
	    cmocka_unit_test(test_numa_hugepages),
	    cmocka_unit_test(test_vdev),
	    cmocka_unit_test(test_pci),
	};

	return cmocka_run_group_tests(tests, wb_setup, wb_teardown);
}
