/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: wb_net_udp() on arbitrary frames; the first input byte
 * picks the link type. An accepted frame's payload must lie inside it.
 * The same frame through wb_arp_parse(): its addresses must lie inside it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wb_arp.h"
#include "wb_net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t links[] = {1, 113, 276, 228, 101};
	struct wb_udp_view v;
	struct wb_arp_view a;
	uint8_t *buf;

	if (size < 1)
		return 0;
	buf = malloc(size - 1 ? size - 1 : 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 1, size - 1);
	if (wb_net_udp(buf, size - 1, links[data[0] % 5], &v) == 0 &&
	    (v.payload < buf || v.payload + v.len > buf + size - 1))
		abort();
	if (wb_arp_parse(buf, size - 1, &a) == 0 &&
	    (a.sha < buf || a.tha + 10 > buf + size - 1 || (a.op != 1 && a.op != 2)))
		abort();
	free(buf);
	return 0;
}
