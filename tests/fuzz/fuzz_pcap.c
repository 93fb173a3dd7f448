/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the pcap/pcapng reader on an arbitrary file (a memfd,
 * so the real mmap path runs). Packets must lie inside the mapping.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "wb_net.h"
#include "wb_pcap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned int sink; /* keeps the reads of every packet byte */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wb_pcap_pkt pkt;
	struct wb_udp_view v;
	struct wb_pcap *p;
	unsigned int n = 0, sum = 0, i;
	char path[64];
	int fd;

	fd = memfd_create("fuzz_pcap", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	p = wb_pcap_open(path);
	if (p != NULL) {
		while (wb_pcap_next(p, &pkt) == 1 && n++ < 100000) {
			/* Plain input: captured bytes cannot exceed the file. */
			if (pkt.caplen > size && !(size >= 2 && data[0] == 0x1f && data[1] == 0x8b))
				abort();
			/* Touch every captured byte: ASan/SEGV on a bad pointer. */
			for (i = 0; i < pkt.caplen; i++)
				sum += pkt.data[i];
			(void)wb_net_udp(pkt.data, pkt.caplen, pkt.linktype, &v);
		}
		wb_pcap_close(p);
	}
	close(fd);
	sink = sum;
	return 0;
}
