/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wirebookd: the kernel-bypass feed handler.
 *
 * Start-up is strictly ordered so that every failure happens before any
 * packet flows: configuration (validated whole, exit 2 naming the key), EAL,
 * ports and mempools (on each port's NUMA node), feeds (books on the node of
 * their port), the publisher, channels, telemetry; then the ports start and
 * one rx loop is launched per rx lcore. The main lcore then only runs
 * control: the publisher heartbeat every heartbeat_us, the one-line log,
 * IGMP reports, the end conditions (signal, duration, end of a replay, idle)
 * and finally an orderly stop: rx lcores joined, IGMP leave, books dumped,
 * summary, ports closed, EAL cleaned up.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>

#include "wb_compiler.h"
#include "wb_daemon.h"
#include "wb_dump.h"
#include "wb_err.h"
#include "wb_io.h"
#include "wb_log.h"
#include "wb_pace.h"
#include "wb_publish.h"
#include "wb_shm.h"
#include "wb_tsc.h"

static volatile sig_atomic_t wb_daemon_signal;

static void
wb_daemon_on_signal(int sig)
{
	wb_daemon_signal = sig;
}

static void
wb_daemon_usage(FILE *out)
{
	fprintf(out,
		"usage: wirebookd --config FILE [OPTIONS]\n"
		"       wirebookd --replay FILE [--pace max|Nx] [--from HH:MM:SS] [OPTIONS]\n"
		"  --config FILE        INI configuration (see --help-config)\n"
		"  --check              validate the configuration and exit\n"
		"  --replay FILE        replay a pcap/pcapng or Nasdaq BinaryFILE (plain or .gz)\n"
		"                       through the replay port, exit at its end\n"
		"  --channel GROUP:PORT with --replay: only these destinations (repeatable)\n"
		"  --pace max|Nx        with --replay: as fast as possible (default) or at N times\n"
		"                       the recorded pace (1x, 10x, 0.5x), from the capture's\n"
		"                       timestamps (a BinaryFILE's ITCH timestamps)\n"
		"  --from HH:MM:SS[.f]  with --replay: build the books up to this ITCH time of day\n"
		"                       without publishing, then replay from it\n"
		"  --name NAME          name of the published region ([daemon] name)\n"
		"  --dump-book FILE     canonical book dump at exit ([daemon] dump_book)\n"
		"  --duration SEC       stop after SEC seconds ([daemon] duration_s)\n"
		"  --stats              print the counter summary to stdout at exit\n"
		"  --wait-readers N     start receiving only once N readers are attached\n"
		"                       (wirebook record from the first event); at most 60 s\n"
		"  --help-config        list every configuration key\n"
		"  --help, --version    this text, the version\n");
}

static int
wb_daemon_dump(struct wb_daemon *d, const char *path)
{
	char name[WB_DAEMON_PATH_LEN + WB_DAEMON_NAME_LEN + 2];
	unsigned int i;
	int rc = 0;

	for (i = 0; i < d->nfeeds; i++) {
		FILE *out;

		if (d->nfeeds == 1)
			snprintf(name, sizeof(name), "%s", path);
		else
			snprintf(name, sizeof(name), "%s.%s", path, d->feed_name[i]);
		out = strcmp(name, "-") == 0 ? stdout : fopen(name, "w");
		if (out == NULL) {
			fprintf(stderr, "wirebookd: %s: %s\n", name, strerror(errno));
			rc = -1;
			continue;
		}
		if (wb_dump_book(out, wb_feed_book(d->feeds[i]), 0) < 0) {
			fprintf(stderr, "wirebookd: %s: %s\n", name, wb_err_msg());
			rc = -1;
		}
		if (out != stdout && fclose(out) != 0) {
			fprintf(stderr, "wirebookd: %s: %s\n", name, strerror(errno));
			rc = -1;
		}
	}
	return rc;
}

static int
wb_daemon_feeds(struct wb_daemon *d)
{
	const struct wb_daemon_cfg *c = d->cfg;
	unsigned int i, j;

	for (i = 0; i < c->nchan; i++) {
		const struct wb_daemon_chan_cfg *ch = &c->chan[i];
		struct wb_feed_params fp;

		for (j = 0; j < d->nfeeds; j++)
			if (strcmp(d->feed_name[j], ch->feed) == 0)
				break;
		if (j == d->nfeeds) {
			wb_feed_params_default(&fp);
			/* the rx loop stamps datagrams with the TSC */
			wb_feed_params_clock(&fp, rte_get_tsc_hz());
			wb_daemon_feed_params(&fp, wb_daemon_feed_cfg(c, ch->feed),
					      rte_get_tsc_hz());
			fp.id = j;
			fp.protocol = ch->protocol;
			fp.venue = wb_daemon_venue(ch);
			fp.pitch_flags = ch->pitch_flags;
			fp.book.max_orders = c->max_orders;
			fp.book.ref_window = c->ref_window;
			fp.book.max_levels = c->max_levels;
			fp.book.max_instruments = c->max_instruments;
			fp.book.hugepages = (int)c->book_hugepages;
			fp.book.numa_node = wb_io_port_socket(d->io, ch->io.port);
			d->feeds[j] = wb_feed_create(&fp);
			if (d->feeds[j] == NULL)
				return wb_err_append(ENOMEM, "feed %s", ch->feed);
			snprintf(d->feed_name[j], sizeof(d->feed_name[j]), "%s", ch->feed);
			d->nfeeds++;
		}
		d->chan_feed[i] = (int)j;
		if (wb_io_add_channel(d->io, &ch->io, d->feeds[j]) < 0)
			return wb_err_append(EINVAL, "[channel %s]", ch->name);
	}
	return wb_daemon_requesters(d);
}

/*
 * One region per feed, whatever lcore drives it: a region's directory,
 * snapshots and events are indexed by stock locate, which every feed
 * numbers from 1, and its ring has a single producer (the feed's lcore).
 * The first feed's region is named after [daemon] name, feed K's NAME.K
 * (feeds in the order their first channel appears); the config check made
 * sure the longest of those names is a valid region name.
 */
static int
wb_daemon_publish(struct wb_daemon *d)
{
	const struct wb_daemon_cfg *c = d->cfg;
	unsigned int i, j;
	char name[WB_DAEMON_NAME_LEN + 16];

	if (!c->publish)
		return 0;
	for (i = 0; i < d->nfeeds; i++) {
		struct wb_publish_params pp;
		struct wb_publisher *pub;
		unsigned int port = 0;

		for (j = 0; j < c->nchan; j++)
			if (d->chan_feed[j] == (int)i) {
				port = c->chan[j].io.port;
				break;
			}
		wb_publish_params_default(&pp);
		if (i == 0)
			snprintf(name, sizeof(name), "%s", c->name);
		else
			snprintf(name, sizeof(name), "%s.%u", c->name, i);
		pp.name = name;
		pp.ring_slots = c->ring_slots;
		pp.depth = c->depth;
		pp.max_instruments = c->max_instruments;
		pp.dir = c->shm_dir[0] != '\0' ? c->shm_dir : NULL;
		pp.gid = c->gid;
		pp.numa_node = wb_io_port_socket(d->io, port);
		pp.tsc_ns_per_tick = d->cal.ns_per_tick;
		pub = wb_publisher_create(&pp);
		if (pub == NULL)
			return wb_err_append(errno ? errno : EINVAL, "publish region '%s'", name);
		d->pub[d->npub++] = pub;
		if (wb_publisher_attach(pub, d->feeds[i]) != 0)
			return wb_err_append(EINVAL, "feed %s", d->feed_name[i]);
		/* where it went tells whether it got huge pages */
		printf("wirebookd: publishing '%s' in %s (%.1f MiB): feed '%s'\n", name,
		       wb_publisher_shm(pub)->path,
		       (double)wb_publisher_shm(pub)->map_len / 1048576.0, d->feed_name[i]);
	}
	return 0;
}

static void
wb_daemon_publish_state(struct wb_daemon *d, int state)
{
	unsigned int i;

	for (i = 0; i < d->npub; i++)
		wb_publisher_set_state(d->pub[i], state);
}

/* Readers registered on every published region. */
static unsigned int
wb_daemon_readers(const struct wb_daemon *d)
{
	unsigned int i, j, min = UINT32_MAX;

	for (i = 0; i < d->npub; i++) {
		const struct wb_shm *shm = wb_publisher_shm(d->pub[i]);
		unsigned int n = 0;

		for (j = 0; shm->chdr != NULL && j < shm->chdr->max_clients; j++)
			if (atomic_load_explicit(&shm->clients[j].pid, memory_order_relaxed) != 0)
				n++;
		if (n < min)
			min = n;
	}
	return d->npub != 0 ? min : 0;
}

/* --wait-readers: nothing is received until n readers attached (60 s at most). */
static int
wb_daemon_wait_readers(struct wb_daemon *d, unsigned int n)
{
	struct timespec ts = {0, 1000000};
	uint64_t t0 = wb_mono_ns();
	unsigned int i;

	fprintf(stderr, "wirebookd: waiting for %u reader(s)\n", n);
	while (wb_daemon_readers(d) < n) {
		for (i = 0; i < d->npub; i++)
			wb_publisher_heartbeat(d->pub[i]);
		if (wb_daemon_signal != 0 || wb_mono_ns() - t0 > 60000000000ull) {
			fprintf(stderr, "wirebookd: --wait-readers: %s\n",
				wb_daemon_signal != 0 ? "interrupted" : "no reader within 60 s");
			return -1;
		}
		nanosleep(&ts, NULL);
	}
	return 0;
}

/* The control loop; returns why it stopped. */
static const char *
wb_daemon_control(struct wb_daemon *d)
{
	const struct wb_daemon_cfg *c = d->cfg;
	const uint64_t hb_ns = (uint64_t)c->heartbeat_us * 1000u;
	uint64_t now, next_log, next_igmp, last_rx_ns, last_rx = 0, rx;
	/* Requests wait for this loop: poll every 50 us when a feed has a server. */
	struct timespec ts = {0, (long)(wb_io_nrequesters(d->io) != 0 && hb_ns > 50000 ? 50000
										      : hb_ns)};
	unsigned int i;

	now = wb_mono_ns();
	next_log = now + (uint64_t)c->stats_interval_ms * 1000000u;
	next_igmp = now + (uint64_t)c->igmp_interval_s * 1000000000u;
	last_rx_ns = now;
	for (;;) {
		nanosleep(&ts, NULL);
		now = wb_mono_ns();
		if (wb_io_nrequesters(d->io) != 0)
			wb_io_control_poll(d->io, now);
		for (i = 0; i < d->npub; i++)
			wb_publisher_heartbeat(d->pub[i]);
		wb_daemon_statfile_update(d, now, 0);
		wb_io_hwclock_sync(d->io);
		if (wb_daemon_signal != 0)
			return wb_daemon_signal == SIGINT ? "SIGINT" : "SIGTERM";
		rx = wb_io_rx_packets(d->io);
		if (rx != last_rx) {
			last_rx = rx;
			last_rx_ns = now;
		}
		if (c->expect_packets != 0 && rx >= c->expect_packets)
			return "end of input";
		if (d->src != NULL) {
			uint64_t frames;

			/* a paced replay may be quiet for long: idle counts after the end only */
			if (!wb_daemon_src_done(d->src, &frames))
				last_rx_ns = now;
			else if (rx >= frames)
				return "end of input";
		}
		if (c->idle_exit_ms != 0 &&
		    now - last_rx_ns >= (uint64_t)c->idle_exit_ms * 1000000u)
			return c->expect_packets != 0 ? "end of input (idle)" : "idle";
		if (c->duration_s != 0 &&
		    now - d->start_ns >= (uint64_t)c->duration_s * 1000000000u)
			return "duration reached";
		if (c->stats_interval_ms != 0 && now >= next_log) {
			wb_daemon_log_line(d, stderr, (double)c->stats_interval_ms / 1e3);
			next_log += (uint64_t)c->stats_interval_ms * 1000000u;
		}
		if (now >= next_igmp) {
			wb_io_igmp_send(d->io, 0);
			next_igmp += (uint64_t)c->igmp_interval_s * 1000000000u;
		}
	}
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"check", no_argument, NULL, 'k'},
	    {"replay", required_argument, NULL, 'r'},
	    {"channel", required_argument, NULL, 'C'},
	    {"name", required_argument, NULL, 'n'},
	    {"dump-book", required_argument, NULL, 'd'},
	    {"duration", required_argument, NULL, 'D'},
	    {"stats", no_argument, NULL, 's'},
	    {"pace", required_argument, NULL, 'p'},
	    {"wait-readers", required_argument, NULL, 'W'},
	    {"from", required_argument, NULL, 'f'},
	    {"help-config", no_argument, NULL, 'H'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	static struct wb_daemon_cfg cfg;
	static struct wb_daemon d;
	const char *config = NULL, *replay = NULL, *name = NULL, *dump = NULL, *duration = NULL;
	const char *pace = NULL, *from = NULL;
	double speed = 0;
	unsigned long wait_readers = 0;
	uint64_t from_tod = 0;
	const char *channels[WB_IO_MAX_CHANNELS], *why;
	char err[512], *eal_argv[96];
	unsigned int nchan = 0, i;
	int c, check = 0, stats = 0, eal_argc, status = 0;
	struct sigaction sa;
	struct wb_daemon_cap *cap = NULL;
	uint64_t t_end;

	/* a redirected stdout (a log file, the journal) sees each line as it
	 * happens, not when the buffer fills or the daemon exits */
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 'k':
			check = 1;
			break;
		case 'r':
			replay = optarg;
			break;
		case 'C':
			if (nchan == WB_IO_MAX_CHANNELS) {
				fprintf(stderr, "wirebookd: too many --channel\n");
				return 2;
			}
			channels[nchan++] = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'd':
			dump = optarg;
			break;
		case 'D':
			duration = optarg;
			break;
		case 's':
			stats = 1;
			break;
		case 'p':
			pace = optarg;
			break;
		case 'f':
			from = optarg;
			break;
		case 'W': {
			char *end;

			wait_readers = strtoul(optarg, &end, 10);
			if (end == optarg || *end != '\0' || wait_readers == 0 || wait_readers > 64) {
				fprintf(stderr, "wirebookd: --wait-readers: '%s' is not 1..64\n",
					optarg);
				return 2;
			}
			break;
		}
		case 'H':
			wb_daemon_cfg_help(stdout);
			return 0;
		case 'h':
			wb_daemon_usage(stdout);
			return 0;
		case 'V':
			printf("wirebookd %s\n", WB_VERSION);
			return 0;
		default:
			wb_daemon_usage(stderr);
			return 2;
		}
	}
	if (optind != argc || (config == NULL) == (replay == NULL) ||
	    ((nchan || pace || from) && replay == NULL)) {
		wb_daemon_usage(stderr);
		return 2;
	}
	if ((pace != NULL && wb_pace_parse(pace, &speed) < 0) ||
	    (from != NULL && wb_tod_parse(from, &from_tod) < 0)) {
		fprintf(stderr, "wirebookd: %s\n", wb_err_msg());
		return 2;
	}
	wb_daemon_cfg_default(&cfg);
	if (config != NULL && wb_daemon_cfg_load(&cfg, config, err, sizeof(err)) < 0) {
		fprintf(stderr, "wirebookd: %s\n", err);
		return 2;
	}
	if (replay != NULL) {
		d.src = wb_daemon_src_open(replay, speed, from_tod, err, sizeof(err));
		if (d.src == NULL ||
		    wb_daemon_replay_cfg(&cfg, wb_daemon_src_linktype(d.src), channels, nchan, err,
					 sizeof(err)) < 0 ||
		    wb_daemon_replay_protocol(&cfg, replay, from != NULL, err, sizeof(err)) < 0) {
			fprintf(stderr, "wirebookd: --replay: %s\n", err);
			wb_daemon_src_close(d.src);
			return 2;
		}
	}
	if (name != NULL)
		snprintf(cfg.name, sizeof(cfg.name), "%s", name);
	if (dump != NULL)
		snprintf(cfg.dump_book, sizeof(cfg.dump_book), "%s", dump);
	if (duration != NULL) {
		char *end;
		unsigned long v = strtoul(duration, &end, 10);

		if (end == duration || *end != '\0' || v == 0 || v > 31536000) {
			fprintf(stderr, "wirebookd: --duration: '%s' is not 1..31536000\n",
				duration);
			return 2;
		}
		cfg.duration_s = (uint32_t)v;
	}
	if (wb_daemon_cfg_check(&cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "wirebookd: %s%s%s\n", config ? config : "", config ? ": " : "",
			err);
		return 2;
	}
	if (wb_daemon_host_check(&cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "wirebookd: %s%s%s\n", config ? config : "", config ? ": " : "",
			err);
		return 2;
	}
	if (check) {
		printf("%s: ok (%u ports, %u channels)\n", config ? config : replay, cfg.nports,
		       cfg.nchan);
		return 0;
	}
	eal_argc = wb_daemon_eal_args(&cfg, argv[0], eal_argv, (int)WB_ARRAY_SIZE(eal_argv));
	if (eal_argc < 0) {
		fprintf(stderr, "wirebookd: EAL arguments too long\n");
		return 2;
	}

	/* Both would otherwise fail later and less clearly: EAL says "Success". */
	if (wb_daemon_prefix_in_use(&cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "wirebookd: %s\n", err);
		return 1;
	}
	if (cfg.publish &&
	    wb_shm_name_free(cfg.shm_dir[0] != '\0' ? cfg.shm_dir : NULL, cfg.name) < 0) {
		fprintf(stderr, "wirebookd: [daemon] name: %s\n", wb_err_msg());
		return 1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = wb_daemon_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	/* src/io's start-up notes (link state, degraded features) go to stderr. */
	wb_log_set_sink(wb_log_stderr, (void *)"wirebookd");
	if (wb_io_eal_init(eal_argc, eal_argv) < 0) {
		fprintf(stderr, "wirebookd: %s\n", wb_err_msg());
		return 1;
	}
	d.cfg = &cfg;
	wb_tsc_calibrate(&d.cal, 50);
	for (i = 0; i < WB_ARRAY_SIZE(d.chan_feed); i++)
		d.chan_feed[i] = -1;
	for (i = 0; i < WB_ARRAY_SIZE(d.feed_req); i++)
		d.feed_req[i] = -1;
	{
		struct wb_io_params iop;

		memset(&iop, 0, sizeof(iop));
		iop.nports = cfg.nports;
		iop.flush_us = cfg.flush_us;
		iop.latency = (int)cfg.latency;
		for (i = 0; i < cfg.nports; i++)
			iop.port[i] = cfg.port[i].io;
		d.io = wb_io_create(&iop);
	}
	if (d.io == NULL || wb_daemon_feeds(&d) < 0 ||
	    (d.src != NULL && wb_daemon_src_preroll(d.src, &d) < 0) || wb_daemon_publish(&d) < 0 ||
	    wb_daemon_requesters_attach(&d) < 0) {
		fprintf(stderr, "wirebookd: %s\n", wb_err_msg());
		status = 1;
		goto out;
	}
	if (from_tod != 0)
		for (i = 0; i < d.npub; i++)
			wb_publisher_sync(d.pub[i]);
	if (wb_daemon_telemetry_init(&d) < 0)
		fprintf(stderr, "wirebookd: telemetry commands not registered\n");
	if (wb_daemon_statfile_open(&d) < 0)
		fprintf(stderr, "wirebookd: no stats file for wirebook top: %s\n", wb_err_msg());
	if (wait_readers != 0 && wb_daemon_wait_readers(&d, (unsigned int)wait_readers) < 0) {
		status = 1;
		goto out;
	}
	d.start_ns = wb_mono_ns();
	if (wb_io_start(d.io) < 0 || (d.src != NULL && wb_daemon_src_start(d.src) < 0)) {
		fprintf(stderr, "wirebookd: %s\n", wb_err_msg());
		status = 1;
		goto out;
	}
	cap = wb_daemon_capture_start(&d);
	fprintf(stderr,
		"wirebookd: running: %u port(s), %u rx lcore(s), %u channel(s), %u feed(s)\n",
		cfg.nports, wb_io_nlcores(d.io), cfg.nchan, d.nfeeds);
	if (wb_daemon_priv_drop(&cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "wirebookd: %s\n", err);
		status = 1;
		wb_io_stop(d.io);
		goto out;
	}
	if (!cfg.hugepages)
		/* DPDK shares no configuration without huge pages: the tools
		 * that attach as secondary processes fail (proc-info panics) */
		fprintf(stderr, "wirebookd: no huge pages: dpdk-proc-info and dpdk-dumpcap cannot "
				"attach; dpdk-telemetry.py -f %s can\n",
			cfg.file_prefix);
	wb_daemon_publish_state(&d, WB_SHM_STATE_LIVE);
	wb_io_igmp_send(d.io, 0);
	why = wb_daemon_control(&d);
	/* the reader first: it may wait on a ring the rx lcore no longer drains */
	if (d.src != NULL && wb_daemon_src_stop(d.src) < 0)
		status = 1;
	wb_io_stop(d.io);
	/* the end of a replay's input: what a feed still holds waits for nothing
	 * more (the rx lcores are joined: this thread is the feeds' writer now) */
	if (d.src != NULL && strcmp(why, "end of input") == 0)
		for (i = 0; i < d.nfeeds; i++)
			wb_feed_expire(d.feeds[i], rte_rdtsc());
	t_end = wb_mono_ns();
	wb_daemon_capture_stop(cap, stats ? stdout : stderr); /* drains what the rx lcores left */
	cap = NULL;
	wb_daemon_publish_state(&d, WB_SHM_STATE_STOPPED);
	wb_io_igmp_send(d.io, 1);
	fprintf(stderr, "wirebookd: stopping: %s\n", why);
	if (cfg.dump_book[0] != '\0' && wb_daemon_dump(&d, cfg.dump_book) < 0)
		status = 1;
	wb_daemon_summary(&d, stats ? stdout : stderr, (double)(t_end - d.start_ns) / 1e9);
	if (d.src != NULL)
		wb_daemon_src_summary(d.src, stats ? stdout : stderr);
out:
	wb_daemon_statfile_close();
	/* The regions stay readable (STOPPED) for `wirebook book`. */
	for (i = 0; i < d.npub; i++)
		wb_publisher_destroy(d.pub[i]);
	if (d.src != NULL)
		wb_daemon_src_stop(d.src);
	if (d.io != NULL)
		wb_io_destroy(d.io);
	wb_daemon_src_close(d.src); /* its mempool, after the port that held its mbufs */
	for (i = 0; i < d.nfeeds; i++)
		wb_feed_destroy(d.feeds[i]);
	wb_io_eal_cleanup();
	return status;
}
