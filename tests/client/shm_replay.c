/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test helper: `shm_replay FILE NAME DIR` runs a capture or BinaryFILE
 * through a feed into a shared-memory publisher, then stops it (the region
 * stays, state STOPPED), the way `wirebookd --replay` leaves one behind.
 */
#include <stdio.h>
#include <stdlib.h>

#include "wb_err.h"
#include "wb_input.h"
#include "wb_publish.h"

int
main(int argc, char **argv)
{
	struct wb_publish_params pp;
	struct wb_feed_params fp;
	struct wb_publisher *pub;
	struct wb_input *in;
	struct wb_feed *f;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: shm_replay FILE NAME DIR\n");
		return 2;
	}
	in = wb_input_open(argv[1]);
	wb_feed_params_default(&fp);
	fp.book.max_orders = 1u << 22;
	f = in != NULL ? wb_feed_create(&fp) : NULL;
	wb_publish_params_default(&pp);
	pp.name = argv[2];
	pp.dir = argv[3];
	pub = f != NULL ? wb_publisher_create(&pp) : NULL;
	if (pub == NULL) {
		fprintf(stderr, "shm_replay: %s\n", wb_err_msg());
		return 1;
	}
	if (wb_publisher_attach(pub, f) != 0) {
		fprintf(stderr, "shm_replay: %s\n", wb_err_msg());
		return 1;
	}
	wb_publisher_set_state(pub, WB_SHM_STATE_LIVE);
	rc = wb_input_run(in, f, 32);
	if (rc != 0)
		fprintf(stderr, "shm_replay: %s\n", wb_err_msg());
	wb_publisher_destroy(pub);
	wb_feed_destroy(f);
	wb_input_close(in);
	return rc != 0;
}
