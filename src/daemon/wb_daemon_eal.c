/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cross-key checks of the configuration and the EAL command line built from
 * it. Everything that can be checked before rte_eal_init() is checked here,
 * so a bad file stops start-up with exit status 2 before DPDK prints
 * anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wb_daemon.h"
#include "wb_err.h"
#include "wb_shm.h"

/* Parses "0-3,5" into a bitmap of 1024 lcores. 0 or -1. */
static int
wb_cfg_corelist(const char *s, uint64_t set[16])
{
	char *end;
	unsigned long a, b;

	memset(set, 0, 16 * sizeof(uint64_t));
	while (*s != '\0') {
		errno = 0;
		a = strtoul(s, &end, 10);
		if (errno != 0 || end == s || a >= 1024)
			return -1;
		b = a;
		s = end;
		if (*s == '-') {
			b = strtoul(s + 1, &end, 10);
			if (end == s + 1 || b >= 1024 || b < a)
				return -1;
			s = end;
		}
		for (; a <= b; a++)
			set[a / 64] |= 1ull << (a % 64);
		if (*s == ',')
			s++;
		else if (*s != '\0')
			return -1;
	}
	return 0;
}

static int
wb_cfg_has(const uint64_t set[16], unsigned int l)
{
	return l < 1024 && (set[l / 64] >> (l % 64)) & 1;
}

/* Copies n bytes of src (fewer if it is shorter) and a NUL, truncating to cap. */
static void
wb_cfg_copy(char *dst, size_t cap, const char *src, size_t n)
{
	size_t l = strnlen(src, n);

	if (l >= cap)
		l = cap - 1;
	memmove(dst, src, l);
	dst[l] = '\0';
}

/*
 * A channel or feed name (it names dump files and telemetry keys; --replay
 * names its channels GROUP:PORT), or with colon 0 an EAL file prefix.
 */
static int
wb_cfg_name_ok(const char *s, int colon)
{
	size_t i;

	if (s[0] == '\0' || s[0] == '.')
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-' || s[i] == '.' ||
		      (colon && s[i] == ':')))
			return 0;
	return 1;
}

/*
 * Every name rule, once, before EAL: --check and start-up both come here.
 * The region names are [daemon] name for the first feed and NAME.K for
 * feed K (wirebookd.c): the longest must pass the region rule wb_shm_create
 * applies.
 */
static int
wb_cfg_check_names(const struct wb_daemon_cfg *c, char *err, size_t errlen)
{
	unsigned int i, j, nfeeds = 0;
	char why[160], longest[WB_DAEMON_NAME_LEN + 16];

	if (wb_shm_name_check(c->name, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "[daemon] name: %s", why);
		return -1;
	}
	for (i = 0; i < c->nchan; i++) {
		const struct wb_daemon_chan_cfg *ch = &c->chan[i];

		for (j = 0; j < i && strcmp(c->chan[j].feed, ch->feed) != 0; j++)
			;
		nfeeds += j == i;
		if (!wb_cfg_name_ok(ch->name, 1)) {
			snprintf(err, errlen,
				 "[channel %s]: not a channel name (letters, digits, _ - . :, not "
				 "starting with '.')",
				 ch->name);
			return -1;
		}
		if (!wb_cfg_name_ok(ch->feed, 1)) {
			snprintf(err, errlen,
				 "[channel %s] feed: '%s' is not a feed name (letters, digits, "
				 "_ - . :, not starting with '.')",
				 ch->name, ch->feed);
			return -1;
		}
	}
	if (c->publish && nfeeds > 1) {
		snprintf(longest, sizeof(longest), "%s.%u", c->name, nfeeds - 1);
		if (wb_shm_name_check(longest, why, sizeof(why)) < 0) {
			snprintf(err, errlen,
				 "[daemon] name: the region of feed %u would be %s; shorten the "
				 "name",
				 nfeeds, why);
			return -1;
		}
	}
	if (!wb_cfg_name_ok(c->file_prefix, 0)) {
		snprintf(err, errlen,
			 "[eal] file_prefix: '%s' is not a prefix (letters, digits, _ - ., not "
			 "starting with '.')",
			 c->file_prefix);
		return -1;
	}
	return 0;
}

int
wb_daemon_cfg_check(struct wb_daemon_cfg *c, char *err, size_t errlen)
{
	uint64_t eal[16];
	unsigned int i, j, q;

	if (wb_cfg_corelist(c->lcores, eal) < 0) {
		snprintf(err, errlen, "[eal] lcores: '%s' is not a core list (e.g. 0-1 or 0,2)",
			 c->lcores);
		return -1;
	}
	if (!wb_cfg_has(eal, c->main_lcore)) {
		snprintf(err, errlen, "[eal] main_lcore: %u is not in lcores '%s'", c->main_lcore,
			 c->lcores);
		return -1;
	}
	if ((c->ref_window & (c->ref_window - 1)) != 0) {
		snprintf(err, errlen, "[book] ref_window: %u is not a power of two", c->ref_window);
		return -1;
	}
	if ((c->ring_slots & (c->ring_slots - 1)) != 0) {
		snprintf(err, errlen, "[publish] ring_slots: %u is not a power of two",
			 c->ring_slots);
		return -1;
	}
	if (c->publish) {
		struct wb_shm_params sp = {.ring_slots = c->ring_slots, .depth = c->depth,
					   .max_instruments = c->max_instruments};
		struct wb_shm_layout l;

		/* the region's size, before start-up: each instrument has its
		 * directory entry and snapshot (huge page rounding: the larger) */
		if (wb_shm_layout(&sp, 2u << 20, &l) != 0) {
			const char *why = wb_err_msg();

			if (strncmp(why, "shm: ", 5) == 0)
				why += 5;
			snprintf(err, errlen, "[book] max_instruments: %s (lower it, or [publish] "
					      "depth or ring_slots)",
				 why);
			return -1;
		}
	}
	if (c->nports == 0) {
		snprintf(err, errlen, "no [portN] section: at least [port0] is needed");
		return -1;
	}
	for (i = 0; i < c->nports; i++) {
		struct wb_daemon_port_cfg *p = &c->port[i];
		const char *comma;
		char *s, *end, buf[64];

		if (p->io.kernel) {
			if (p->vdev[0] != '\0' || p->pci[0] != '\0' || p->io.iface[0] == '\0') {
				snprintf(err, errlen, "[port%u] type = kernel: needs iface, and "
						      "neither vdev nor pci",
					 i);
				return -1;
			}
			if (p->io.rx_queues != 1 || p->io.poll_mode == WB_IO_POLL_ADAPTIVE) {
				snprintf(err, errlen, "[port%u] type = kernel: %s", i,
					 p->io.rx_queues != 1
					     ? "rx_queues must be 1 (one socket per channel)"
					     : "poll_mode is busy or blocking (adaptive is for dpdk)");
				return -1;
			}
		} else if ((p->vdev[0] == '\0') == (p->pci[0] == '\0')) {
			snprintf(err, errlen, "[port%u] vdev/pci: exactly one of them is needed%s",
				 i, p->vdev[0] == '\0' ? " (is the section missing?)" : "");
			return -1;
		} else if (p->io.poll_mode == WB_IO_POLL_BLOCKING) {
			snprintf(err, errlen, "[port%u] poll_mode: blocking is for type = kernel "
					      "(busy or adaptive)",
				 i);
			return -1;
		}
		if (p->io.kernel) {
			char ifn[sizeof(p->io.iface)];

			memcpy(ifn, p->io.iface, sizeof(ifn));
			ifn[sizeof(ifn) - 1] = '\0';
			snprintf(p->io.device, sizeof(p->io.device), "kernel:%s", ifn);
		} else if (p->vdev[0] != '\0') {
			comma = strchr(p->vdev, ',');
			wb_cfg_copy(p->io.device, sizeof(p->io.device), p->vdev,
				    comma ? (size_t)(comma - p->vdev) : strlen(p->vdev));
		} else {
			wb_cfg_copy(p->io.device, sizeof(p->io.device), p->pci, strlen(p->pci));
		}
		for (j = 0; j < i; j++)
			if (strcmp(c->port[j].io.device, p->io.device) == 0) {
				snprintf(err, errlen, "[port%u] %s: device '%s' is also [port%u]",
					 i, p->vdev[0] ? "vdev" : "pci", p->io.device, j);
				return -1;
			}
		p->io.capture_ring = 0;
		if (p->capture[0] != '\0') {
			if ((p->capture_ring & (p->capture_ring - 1)) != 0 ||
			    p->capture_ring >= p->io.mbufs) {
				snprintf(err, errlen,
					 "[port%u] capture_ring: %u must be a power of two below "
					 "mbufs (%u)",
					 i, p->capture_ring, p->io.mbufs);
				return -1;
			}
			p->io.capture_ring = p->capture_ring;
		}
		snprintf(buf, sizeof(buf), "%s", p->lcores);
		s = buf;
		for (q = 0; q < p->io.rx_queues; q++) {
			unsigned long l = strtoul(s, &end, 10);

			if (end == s || l >= 1024 || (*end != ',' && *end != '\0')) {
				snprintf(
				    err, errlen,
				    "[port%u] lcores: '%s' must list one lcore per rx queue (%u)",
				    i, p->lcores, p->io.rx_queues);
				return -1;
			}
			if (!wb_cfg_has(eal, (unsigned int)l) || l == c->main_lcore) {
				snprintf(err, errlen, "[port%u] lcores: %lu is %s", i, l,
					 l == c->main_lcore
					     ? "the main lcore, which runs control only"
					     : "not in [eal] lcores");
				return -1;
			}
			p->io.lcore[q] = (unsigned int)l;
			s = *end == ',' ? end + 1 : end;
		}
		if (*s != '\0') {
			snprintf(err, errlen,
				 "[port%u] lcores: '%s' lists more lcores than rx_queues (%u)", i,
				 p->lcores, p->io.rx_queues);
			return -1;
		}
	}
	if (c->nchan == 0) {
		snprintf(err, errlen, "no [channel NAME] section: at least one channel is needed");
		return -1;
	}
	for (i = 0; i < c->nchan; i++) {
		struct wb_daemon_chan_cfg *ch = &c->chan[i];

		if (ch->io.port >= c->nports) {
			snprintf(err, errlen, "[channel %s] port: %u has no [port%u] section",
				 ch->name, ch->io.port, ch->io.port);
			return -1;
		}
		if (ch->io.queue >= c->port[ch->io.port].io.rx_queues) {
			snprintf(err, errlen, "[channel %s] queue: port %u has %u rx queue(s)",
				 ch->name, ch->io.port, c->port[ch->io.port].io.rx_queues);
			return -1;
		}
		if (ch->feed[0] == '\0')
			wb_cfg_copy(ch->feed, sizeof(ch->feed), ch->name, strlen(ch->name));
		for (j = 0; j < i; j++) {
			const struct wb_io_chan_conf *o = &c->chan[j].io;

			if (strcmp(c->chan[j].name, ch->name) == 0) {
				snprintf(err, errlen, "[channel %s]: defined twice", ch->name);
				return -1;
			}
			/* An rx lcore matches a port's channels whatever the queue:
			 * the second of two identical ones on one lcore is dead. */
			if (o->port == ch->io.port && o->group == ch->io.group &&
			    o->udp_port == ch->io.udp_port && o->vlan == ch->io.vlan &&
			    c->port[o->port].io.lcore[o->queue] ==
				c->port[ch->io.port].io.lcore[ch->io.queue]) {
				snprintf(
				    err, errlen,
				    "[channel %s] group/udp_port: same traffic as [channel %s] "
				    "on the same lcore",
				    ch->name, c->chan[j].name);
				return -1;
			}
		}
	}
	if (wb_daemon_cfg_check_feeds(c, err, errlen) < 0)
		return -1;
	return wb_cfg_check_names(c, err, errlen);
}

int
wb_daemon_prefix_in_use(const struct wb_daemon_cfg *c, char *err, size_t errlen)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	const char *base = getenv("XDG_RUNTIME_DIR");
	char path[512];
	int fd, rc;

	/* where DPDK 22.11 puts it (eal_get_runtime_dir) */
	if (getuid() == 0 || base == NULL)
		base = getuid() == 0 ? "/var/run" : "/tmp";
	snprintf(path, sizeof(path), "%s/dpdk/%s/config", base, c->file_prefix);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	rc = fcntl(fd, F_GETLK, &fl);
	close(fd);
	if (rc != 0 || fl.l_type == F_UNLCK)
		return 0;
	snprintf(err, errlen,
		 "[eal] file_prefix: '%s' is in use by running pid %d (%s is locked); give "
		 "each daemon its own file_prefix",
		 c->file_prefix, (int)fl.l_pid, path);
	return -1;
}

int
wb_daemon_eal_args(const struct wb_daemon_cfg *c, const char *prog, char **argv, int max)
{
	static char buf[4096];
	size_t used = 0;
	int argc = 0;
	unsigned int i, anypci = 0;
	char *tok, *save;

#define ARG(...)                                                                                   \
	do {                                                                                       \
		int n_ = snprintf(buf + used, sizeof(buf) - used, __VA_ARGS__);                    \
		if (n_ < 0 || (size_t)n_ >= sizeof(buf) - used || argc + 1 >= max)                 \
			return -1;                                                                 \
		argv[argc++] = buf + used;                                                         \
		used += (size_t)n_ + 1;                                                            \
	} while (0)

	ARG("%s", prog);
	ARG("-l");
	ARG("%s", c->lcores);
	ARG("--main-lcore");
	ARG("%u", c->main_lcore);
	ARG("--file-prefix");
	ARG("%s", c->file_prefix);
	ARG("-m");
	ARG("%u", c->memory_mb);
	if (!c->hugepages)
		ARG("--no-huge");
	for (i = 0; i < c->nports; i++) {
		if (c->port[i].io.kernel)
			continue; /* sockets, no device */
		if (c->port[i].vdev[0] != '\0') {
			ARG("--vdev");
			ARG("%s", c->port[i].vdev);
		} else {
			ARG("-a");
			ARG("%s", c->port[i].pci);
			anypci = 1;
		}
	}
	if (!anypci)
		ARG("--no-pci");
	if (c->log_level[0] != '\0') {
		ARG("--log-level");
		ARG("%s", c->log_level);
	}
	if (c->eal_extra[0] != '\0') {
		char extra[WB_DAEMON_PATH_LEN];

		snprintf(extra, sizeof(extra), "%s", c->eal_extra);
		for (tok = strtok_r(extra, " \t", &save); tok != NULL;
		     tok = strtok_r(NULL, " \t", &save))
			ARG("%s", tok);
	}
#undef ARG
	argv[argc] = NULL;
	return argc;
}
