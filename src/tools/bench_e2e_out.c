/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What `wirebook bench e2e` reports: per receiver the totals of sent, seen
 * and lost over every round, and each latency figure as the median of the
 * rounds' figures (with the spread of p50 and p99 over the rounds); the
 * .hgrm files and plots are of all rounds merged.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench_e2e.h"

#ifndef WB_DPDK_VERSION
#define WB_DPDK_VERSION "unknown"
#endif

/* The percentiles reported, and their JSON names. */
static const struct {
	double pct;
	const char *key, *label;
} e2e_pcts[] = {
    {50.0, "p50_ns", "p50"},	     {90.0, "p90_ns", "p90"},	     {99.0, "p99_ns", "p99"},
    {99.9, "p999_ns", "p99.9"}, {99.99, "p9999_ns", "p99.99"},
};
#define E2E_NPCT (sizeof(e2e_pcts) / sizeof(e2e_pcts[0]))

/* Summary of one histogram kind over the rounds of one receiver. */
struct e2e_sum {
	unsigned int nok;
	uint64_t sent, seen, lost, count, send_errors;
	double min, max, mean, pct[E2E_NPCT];
	double p50_lo, p50_hi, p99_lo, p99_hi;
	double rate_sent; /* median */
	double cpu_ms_per_mmsg; /* median; < 0 unknown */
	double sender_ns_per_msg; /* median: the measuring thread's CPU per message sent */
	struct wb_histo merged;
};

static int
e2e_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
e2e_median(double *v, unsigned int n)
{
	if (n == 0)
		return 0.0;
	qsort(v, n, sizeof(*v), e2e_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* which: 0 latency, 1 wire, 2 own */
static void
e2e_summarise(const struct e2e_result *res, int which, struct e2e_sum *s)
{
	double v[E2E_MAX_ROUNDS], lo, hi;
	unsigned int i, k, n = 0;

	memset(s, 0, sizeof(*s));
	wb_histo_init(&s->merged);
	for (i = 0; i < res->nrounds; i++) {
		const struct e2e_round *r = &res->round[i];
		const struct wb_histo *h = which == 0 ? r->lat : which == 1 ? r->wire : r->own;

		if (!r->ok || h == NULL)
			continue;
		s->nok++;
		s->sent += r->sent;
		s->seen += r->seen;
		s->lost += r->lost;
		s->send_errors += r->send_errors;
		s->count += h->count;
		wb_histo_merge(&s->merged, h);
	}
#define E2E_MED(expr, out)                                                                         \
	do {                                                                                       \
		n = 0;                                                                             \
		for (i = 0; i < res->nrounds; i++) {                                               \
			const struct e2e_round *r = &res->round[i];                                \
			const struct wb_histo *h = which == 0 ? r->lat : which == 1 ? r->wire : r->own; \
			if (r->ok && h != NULL && h->count != 0)                                   \
				v[n++] = (expr);                                                   \
		}                                                                                  \
		(out) = e2e_median(v, n);                                                          \
	} while (0)
	E2E_MED((double)h->min, s->min);
	E2E_MED((double)h->max, s->max);
	E2E_MED(wb_histo_mean(h), s->mean);
	E2E_MED(r->rate_sent, s->rate_sent);
	for (k = 0; k < E2E_NPCT; k++)
		E2E_MED((double)wb_histo_value_at(h, e2e_pcts[k].pct), s->pct[k]);
	E2E_MED((double)wb_histo_value_at(h, 50.0), lo);
	s->p50_lo = n ? v[0] : 0.0;
	s->p50_hi = n ? v[n - 1] : 0.0;
	E2E_MED((double)wb_histo_value_at(h, 99.0), hi);
	s->p99_lo = n ? v[0] : 0.0;
	s->p99_hi = n ? v[n - 1] : 0.0;
	(void)lo;
	(void)hi;
	n = 0;
	for (i = 0; i < res->nrounds; i++) {
		const struct e2e_round *r = &res->round[i];

		if (r->ok && r->cpu_s >= 0.0 && r->cpu_msgs != 0)
			v[n++] = r->cpu_s * 1e3 / ((double)r->cpu_msgs / 1e6);
	}
	s->cpu_ms_per_mmsg = n ? e2e_median(v, n) : -1.0;
	n = 0;
	for (i = 0; i < res->nrounds; i++) {
		const struct e2e_round *r = &res->round[i];

		if (r->ok && r->cpu_msgs != 0)
			v[n++] = r->sender_cpu_s * 1e9 / (double)r->cpu_msgs;
	}
	s->sender_ns_per_msg = e2e_median(v, n);
#undef E2E_MED
}

/* Median over rounds of wirebookd's own stage s, figure k (count, p50, p99, p99.9); -1: none. */
static double
e2e_dstage(const struct e2e_result *res, unsigned int st, unsigned int k)
{
	double v[E2E_MAX_ROUNDS];
	unsigned int i, n = 0;

	for (i = 0; i < res->nrounds; i++)
		if (res->round[i].ok && res->round[i].dstages)
			v[n++] = res->round[i].dstage[st][k];
	return n ? e2e_median(v, n) : -1.0;
}

static const char *
e2e_why(const struct e2e_result *res)
{
	unsigned int i;

	for (i = 0; i < res->nrounds; i++)
		if (!res->round[i].ok && res->round[i].why[0] != '\0')
			return res->round[i].why;
	return "no round ran";
}

static const char *
e2e_mode_name(const struct e2e_opts *o)
{
	return o->mode == E2E_PING ? "ping" : o->mode == E2E_RATE ? "rate" : "burst";
}

void
e2e_print_table(FILE *out, const struct e2e_opts *o, const struct e2e_result *res, unsigned int n)
{
	struct e2e_sum *s = malloc(sizeof(*s));
	unsigned int i, k;

	if (s == NULL)
		return;
	fprintf(out, "\nwirebook bench e2e: mode %s", e2e_mode_name(o));
	if (o->mode != E2E_PING)
		fprintf(out, ", %" PRIu64 " msgs/s", o->rate);
	fprintf(out, ", %u s x %u rounds; latency in us, scheduled send -> seen by the strategy; "
		     "medians of rounds\n\n",
		o->seconds, o->rounds);
	fprintf(out,
		"| receiver | sent | seen | lost | min | p50 | p90 | p99 | p99.9 | p99.99 | max "
		"| mean | p50 over rounds | p99 over rounds | sent msgs/s | CPU ms / M msgs "
		"| sender CPU us / msg |\n");
	fprintf(out,
		"| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
		"---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (i = 0; i < n; i++) {
		e2e_summarise(&res[i], 0, s);
		if (s->nok == 0) {
			fprintf(out, "| %s | unavailable: %s |\n", e2e_kind_name[res[i].kind],
				e2e_why(&res[i]));
			continue;
		}
		fprintf(out, "| %s | %" PRIu64 " | %" PRIu64 " | %" PRIu64 " | %.1f",
			e2e_kind_name[res[i].kind], s->sent, s->seen, s->lost, s->min / 1e3);
		for (k = 0; k < E2E_NPCT; k++)
			fprintf(out, " | %.1f", s->pct[k] / 1e3);
		fprintf(out, " | %.1f | %.1f | %.1f-%.1f | %.1f-%.1f | %.0f | ", s->max / 1e3,
			s->mean / 1e3, s->p50_lo / 1e3, s->p50_hi / 1e3, s->p99_lo / 1e3,
			s->p99_hi / 1e3, s->rate_sent);
		if (s->cpu_ms_per_mmsg >= 0.0)
			fprintf(out, "%.0f | %.2f |\n", s->cpu_ms_per_mmsg,
				s->sender_ns_per_msg / 1e3);
		else
			fprintf(out, "n/a | %.2f |\n", s->sender_ns_per_msg / 1e3);
	}
	fprintf(out, "\nStages (us, medians of rounds): send -> rx = scheduled send to the "
		     "receiver's rx burst (sender, kernel, veth, PMD); rx -> strategy = rx burst to "
		     "seen by the strategy (the receiver's own work, shared memory, the poll)\n\n");
	fprintf(out, "| receiver | send -> rx p50 | send -> rx p99 | rx -> strategy p50 | "
		     "rx -> strategy p99 | rx -> strategy p99.9 |\n");
	fprintf(out, "| --- | ---: | ---: | ---: | ---: | ---: |\n");
	for (i = 0; i < n; i++) {
		double w50, w99;

		e2e_summarise(&res[i], 1, s);
		if (s->nok == 0)
			continue;
		w50 = s->pct[0];
		w99 = s->pct[2];
		e2e_summarise(&res[i], 2, s);
		fprintf(out, "| %s | %.2f | %.2f | %.3f | %.3f | %.3f |\n", e2e_kind_name[res[i].kind],
			w50 / 1e3, w99 / 1e3, s->pct[0] / 1e3, s->pct[2] / 1e3, s->pct[3] / 1e3);
	}
	fprintf(out, "\nInside wirebookd, per receive burst (/wirebook/latency, ns, medians of "
		     "rounds): rx burst returned -> datagrams queued -> messages decoded, books "
		     "applied, events committed -> snapshots written; rx -> queued and queued -> "
		     "committed from a random 1 in 8 bursts, rx -> committed from the others "
		     "(no TSC read in between)\n\n");
	fprintf(out, "| receiver | bursts | rx -> queued p50 | queued -> committed p50 | "
		     "committed -> snapshots p50 | rx -> committed p50 | p99 | p99.9 |\n");
	fprintf(out, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (i = 0; i < n; i++) {
		if (e2e_dstage(&res[i], 3, 0) < 0.0)
			continue;
		fprintf(out, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |\n",
			e2e_kind_name[res[i].kind], e2e_dstage(&res[i], 2, 0),
			e2e_dstage(&res[i], 0, 1), e2e_dstage(&res[i], 1, 1),
			e2e_dstage(&res[i], 2, 1), e2e_dstage(&res[i], 3, 1),
			e2e_dstage(&res[i], 3, 2), e2e_dstage(&res[i], 3, 3));
	}
	free(s);
}

/* A one-line file, trimmed; "" when absent. */
static void
e2e_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (f == NULL)
		return;
	if (fgets(buf, (int)len, f) == NULL)
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

/* The first /proc/cpuinfo or /proc/meminfo value of a key. */
static void
e2e_proc_value(const char *path, const char *key, char *buf, size_t len)
{
	char line[512];
	FILE *f = fopen(path, "r");
	size_t kl = strlen(key);

	buf[0] = '\0';
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p;

		if (strncmp(line, key, kl) != 0 || (line[kl] != ' ' && line[kl] != '\t' && line[kl] != ':'))
			continue;
		p = strchr(line, ':');
		if (p == NULL)
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		p[strcspn(p, "\n")] = '\0';
		snprintf(buf, len, "%s", p);
		break;
	}
	fclose(f);
}

/* JSON string: escapes quotes, backslashes and control characters. */
static void
e2e_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void
e2e_host_json(FILE *f, const char *load0, const char *load1)
{
	char model[256], iso[256], gov[64], huge[64], hsz[64];
	struct utsname u;

	e2e_proc_value("/proc/cpuinfo", "model name", model, sizeof(model));
	e2e_read_line("/sys/devices/system/cpu/isolated", iso, sizeof(iso));
	e2e_read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", gov, sizeof(gov));
	e2e_proc_value("/proc/meminfo", "HugePages_Total", huge, sizeof(huge));
	e2e_proc_value("/proc/meminfo", "Hugepagesize", hsz, sizeof(hsz));
	if (uname(&u) != 0)
		memset(&u, 0, sizeof(u));
	fprintf(f, "  \"host\": {\n    \"cpu_model\": ");
	e2e_json_str(f, model);
	fprintf(f, ",\n    \"cores\": %ld,\n    \"isolated\": ", sysconf(_SC_NPROCESSORS_ONLN));
	e2e_json_str(f, iso);
	fprintf(f, ",\n    \"governor\": ");
	e2e_json_str(f, gov[0] ? gov : "none (no cpufreq)");
	fprintf(f, ",\n    \"hugepages\": ");
	e2e_json_str(f, huge);
	fprintf(f, ",\n    \"hugepage_size\": ");
	e2e_json_str(f, hsz);
	fprintf(f, ",\n    \"kernel\": ");
	e2e_json_str(f, u.release);
	fprintf(f, ",\n    \"dpdk\": ");
	e2e_json_str(f, WB_DPDK_VERSION);
	fprintf(f, ",\n    \"loadavg_before\": ");
	e2e_json_str(f, load0);
	fprintf(f, ",\n    \"loadavg_after\": ");
	e2e_json_str(f, load1);
	fprintf(f, "\n  },\n");
}

static void
e2e_sum_json(FILE *f, const struct e2e_sum *s)
{
	unsigned int k;

	fprintf(f, "\"count\": %" PRIu64 ", \"min_ns\": %.0f", s->count, s->min);
	for (k = 0; k < E2E_NPCT; k++)
		fprintf(f, ", \"%s\": %.0f", e2e_pcts[k].key, s->pct[k]);
	fprintf(f, ", \"max_ns\": %.0f, \"mean_ns\": %.1f", s->max, s->mean);
}

void
e2e_host_print(FILE *out)
{
	e2e_host_json(out, "", "");
}

int
e2e_write_json(const char *path, const struct e2e_opts *o, const struct e2e_result *res,
	       unsigned int n, const char *load0, const char *load1)
{
	static const char *const stage[3] = {"", "send_to_rx", "rx_to_strategy"};
	struct e2e_sum *s = malloc(sizeof(*s));
	FILE *f = fopen(path, "w");
	unsigned int i, k;
	int first;

	if (f == NULL || s == NULL) {
		free(s);
		if (f != NULL)
			fclose(f);
		return -1;
	}
	fprintf(f, "{\n  \"tool\": \"wirebook bench e2e\",\n  \"config\": {\"mode\": \"%s\", "
		   "\"rate\": %" PRIu64 ", \"seconds\": %u, \"rounds\": %u, \"warmup_ms\": %u, "
		   "\"cpu_measure\": %u, \"cpu_rx\": %u, \"cpu_main\": %u, \"receivers_arg\": \"",
		e2e_mode_name(o), o->mode == E2E_PING ? 0 : o->rate, o->seconds, o->rounds,
		o->warmup_ms, o->cpu_measure, o->cpu_rx, o->cpu_main);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? "," : "", e2e_kind_name[res[i].kind]);
	fprintf(f, "\", \"sender\": \"%s\"},\n", o->sender == E2E_SEND_PACKET ? "packet" : "udp");
	e2e_host_json(f, load0, load1);
	fprintf(f, "  \"receivers\": {");
	for (i = 0; i < n; i++) {
		e2e_summarise(&res[i], 0, s);
		fprintf(f, "%s\n    \"%s\": {", i ? "," : "", e2e_kind_name[res[i].kind]);
		if (s->nok == 0) {
			fprintf(f, "\"available\": false, \"why\": ");
			e2e_json_str(f, e2e_why(&res[i]));
			fprintf(f, ", \"sent\": null, \"seen\": null, \"lost\": null, \"p50_ns\": null, "
				   "\"p90_ns\": null, \"p99_ns\": null, \"p999_ns\": null, "
				   "\"max_ns\": null}");
			continue;
		}
		fprintf(f, "\"available\": true, \"rounds\": %u, \"sent\": %" PRIu64 ", \"seen\": %" PRIu64
			   ", \"lost\": %" PRIu64 ", \"send_errors\": %" PRIu64 ", ",
			s->nok, s->sent, s->seen, s->lost, s->send_errors);
		e2e_sum_json(f, s);
		fprintf(f, ", \"p50_rounds_ns\": [%.0f, %.0f], \"p99_rounds_ns\": [%.0f, %.0f], "
			   "\"sent_msgs_per_s\": %.0f, \"cpu_ms_per_million\": ",
			s->p50_lo, s->p50_hi, s->p99_lo, s->p99_hi, s->rate_sent);
		if (s->cpu_ms_per_mmsg >= 0.0)
			fprintf(f, "%.1f", s->cpu_ms_per_mmsg);
		else
			fprintf(f, "null");
		fprintf(f, ", \"sender_cpu_ns_per_msg\": %.0f}", s->sender_ns_per_msg);
	}
	fprintf(f, "\n  },\n  \"stages\": {");
	first = 1;
	for (i = 0; i < n; i++) {
		for (k = 1; k <= 2; k++) {
			e2e_summarise(&res[i], (int)k, s);
			if (s->nok == 0)
				continue;
			fprintf(f, "%s\n    \"%s.%s\": {", first ? "" : ",", e2e_kind_name[res[i].kind],
				stage[k]);
			e2e_sum_json(f, s);
			fprintf(f, "}");
			first = 0;
		}
		for (k = 0; k < E2E_DSTAGES; k++) {
			if (e2e_dstage(&res[i], k, 0) < 0.0)
				continue;
			fprintf(f,
				"%s\n    \"%s.daemon.%s\": {\"count\": %.0f, \"p50_ns\": %.0f, "
				"\"p99_ns\": %.0f, \"p999_ns\": %.0f}",
				first ? "" : ",", e2e_kind_name[res[i].kind], e2e_dstage_name[k],
				e2e_dstage(&res[i], k, 0), e2e_dstage(&res[i], k, 1),
				e2e_dstage(&res[i], k, 2), e2e_dstage(&res[i], k, 3));
			first = 0;
		}
	}
	fprintf(f, "\n  }\n}\n");
	free(s);
	return fclose(f) == 0 ? 0 : -1;
}

static int
e2e_hgrm_file(const char *dir, const char *name, const struct wb_histo *h)
{
	char path[512];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s.hgrm", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		return -1;
	rc = wb_histo_hgrm(h, f, 1000.0); /* ns recorded, us printed */
	return fclose(f) == 0 ? rc : -1;
}

int
e2e_write_plots(const char *dir, const struct e2e_opts *o, const struct e2e_result *res,
		unsigned int n)
{
	struct e2e_sum *s = malloc(sizeof(*s));
	char path[512], cmd[700], name[64];
	unsigned int i, k, plotted = 0;
	FILE *gp, *dat;
	double stage[3][2];
	int rc = 0;

	if (s == NULL || (mkdir(dir, 0755) != 0 && errno != EEXIST)) {
		fprintf(stderr, "wirebook bench e2e: --plots %s: %s\n", dir, strerror(errno));
		free(s);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/stages.dat", dir);
	dat = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/latency.gp", dir);
	gp = fopen(path, "w");
	if (dat == NULL || gp == NULL) {
		if (dat != NULL)
			fclose(dat);
		if (gp != NULL)
			fclose(gp);
		free(s);
		return -1;
	}
	fprintf(dat, "# receiver send_to_rx_p50 rx_to_strategy_p50 send_to_rx_p99 "
		     "rx_to_strategy_p99 (us)\n");
	fprintf(gp,
		"# wirebook bench e2e, mode %s: percentile distribution of each receiver\n"
		"set terminal pngcairo size 900,560 noenhanced\nset output 'latency.png'\n"
		"set title 'packet sent -> event seen by the strategy (%s%s)'\n"
		"set logscale x\nset logscale y\nset grid\nset key top left\n"
		"set xlabel 'percentile'\nset ylabel 'latency (us)'\n"
		/* tic labels are formats to gnuplot: %%%% here is %% there, a '%' drawn */
		"set xtics ('0%%%%' 1, '90%%%%' 10, '99%%%%' 100, '99.9%%%%' 1000, "
		"'99.99%%%%' 10000, '99.999%%%%' 100000)\nplot ",
		e2e_mode_name(o), e2e_mode_name(o), o->mode == E2E_PING ? "" : " mode");
	for (i = 0; i < n; i++) {
		for (k = 0; k < 3; k++) {
			e2e_summarise(&res[i], (int)k, s);
			if (s->nok == 0)
				break;
			snprintf(name, sizeof(name), "%s%s", e2e_kind_name[res[i].kind],
				 k == 0 ? "" : k == 1 ? ".send_to_rx" : ".rx_to_strategy");
			if (e2e_hgrm_file(dir, name, &s->merged) != 0)
				rc = -1;
			stage[k][0] = s->pct[0] / 1e3;
			stage[k][1] = s->pct[2] / 1e3;
		}
		if (k < 3)
			continue;
		fprintf(gp, "%s'%s.hgrm' using 4:1 with lines lw 2 title '%s'", plotted ? ", " : "",
			e2e_kind_name[res[i].kind], e2e_kind_name[res[i].kind]);
		fprintf(dat, "%s %.3f %.3f %.3f %.3f\n", e2e_kind_name[res[i].kind], stage[1][0],
			stage[2][0], stage[1][1], stage[2][1]);
		plotted++;
	}
	fprintf(gp, "\n");
	fclose(gp);
	fclose(dat);
	snprintf(path, sizeof(path), "%s/stages.gp", dir);
	gp = fopen(path, "w");
	if (gp == NULL) {
		free(s);
		return -1;
	}
	fprintf(gp,
		"# wirebook bench e2e: where the time goes, p50 and p99 of each stage\n"
		"set terminal pngcairo size 900,480 noenhanced\nset output 'stages.png'\n"
		"set style data histograms\nset style histogram rowstacked\n"
		"set style fill solid 0.8 border -1\nset boxwidth 0.7\nset grid y\n"
		"set ylabel 'us'\nset key below\nset multiplot layout 1,2\n"
		"set title 'p50 (%s mode)'\n"
		"plot 'stages.dat' using 2:xtic(1) title 'send -> rx burst', '' using 3 title "
		"'rx burst -> strategy'\n"
		"set title 'p99'\n"
		"plot 'stages.dat' using 4:xtic(1) title 'send -> rx burst', '' using 5 title "
		"'rx burst -> strategy'\nunset multiplot\n",
		e2e_mode_name(o));
	fclose(gp);
	free(s);
	if (plotted == 0)
		return rc;
	if (system("command -v gnuplot >/dev/null 2>&1") != 0) {
		fprintf(stderr, "wirebook bench e2e: gnuplot not found (Debian: gnuplot-nox): "
				"%s has the .hgrm and .gp files, no PNG\n",
			dir);
		return rc;
	}
	snprintf(cmd, sizeof(cmd), "cd '%s' && gnuplot latency.gp && gnuplot stages.gp", dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "wirebook bench e2e: gnuplot failed in %s\n", dir);
		rc = -1;
	}
	return rc;
}
