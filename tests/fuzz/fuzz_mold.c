/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: a UDP payload through wb_mold_parse(), then every block
 * through wb_itch_decode(), as the feed does; and the same bytes as a
 * request packet through wb_mold_req_parse(), whose accepted requests must
 * encode back to the same bytes. Exactly-sized heap copy so ASan catches
 * over-reads; blocks of an accepted packet must tile it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wb_itch50.h"
#include "wb_moldudp64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	struct wb_mold_pkt pkt;
	struct wb_mold_req req;
	uint8_t again[WB_MOLD_REQ_LEN];
	struct wb_mold_iter it;
	struct wb_itch_msg m;
	const uint8_t *msg;
	size_t total = WB_MOLD_HDR_LEN;
	unsigned int n = 0;
	uint16_t len;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	if (wb_mold_parse(buf, size, &pkt) == (int)size) {
		wb_mold_iter_init(&it, &pkt);
		while (wb_mold_iter_next(&it, &msg, &len) == 1) {
			if (msg < buf || msg + len > buf + size || len == 0)
				abort();
			(void)wb_itch_decode(msg, len, &m);
			total += 2u + len;
			n++;
		}
		if (n != pkt.nmsgs || (n > 0 && total != size))
			abort();
	}
	if (wb_mold_req_parse(buf, size, &req) == WB_MOLD_REQ_LEN) {
		if (size != WB_MOLD_REQ_LEN || req.session != buf || req.count == 0 ||
		    req.seq == 0 ||
		    wb_mold_req_put(again, sizeof(again), req.session, req.seq, req.count) !=
			WB_MOLD_REQ_LEN ||
		    memcmp(again, buf, WB_MOLD_REQ_LEN) != 0)
			abort();
	}
	free(buf);
	return 0;
}
