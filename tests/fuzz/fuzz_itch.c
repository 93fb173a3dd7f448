/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: wb_itch_decode() on arbitrary bytes. The input is copied
 * to an exactly-sized heap block so ASan reports any read past its end;
 * every accepted message must re-encode to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wb_itch50.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1), out[WB_ITCH_MAX_MSG_LEN];
	struct wb_itch_msg m;
	int rc;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	rc = wb_itch_decode(buf, size, &m);
	if (rc > 0) {
		if ((size_t)rc != size || rc != (int)wb_itch_msg_len(buf[0]))
			abort();
		if (wb_itch_encode(&m, out, sizeof(out)) != rc || memcmp(out, buf, size) != 0)
			abort();
		if (wb_itch_stock(&m) != NULL &&
		    (wb_itch_stock(&m) < buf || wb_itch_stock(&m) + WB_ITCH_STOCK_LEN > buf + size))
			abort();
	} else if (rc != WB_PROTO_TRUNCATED && rc != WB_PROTO_MALFORMED && rc != WB_PROTO_UNKNOWN) {
		abort();
	}
	free(buf);
	return 0;
}
