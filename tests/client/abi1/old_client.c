/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A strategy as it was written against the 1.x SDK (the frozen header in
 * this directory): opens a region, reads the daemon's status and one book.
 * test_abi1.sh expects the dynamic loader to refuse to start it against
 * the current library; reaching main() is the failure it guards against.
 */
#include <stdio.h>

#include "wirebook/wirebook.h"

int
main(int argc, char **argv)
{
	struct wb_client_opts o;
	struct wb_client_status st;
	struct wb_client_book b;
	struct wb_client *c;

	printf("old_client: started against libwirebook %s\n", wb_client_version());
	wb_client_opts_default(&o);
	o.dir = argc > 2 ? argv[2] : NULL;
	c = wb_client_open(argc > 1 ? argv[1] : WB_CLIENT_DEFAULT_NAME, &o);
	if (c == NULL)
		return 1;
	wb_client_status(c, &st);
	wb_client_book(c, 1, &b);
	printf("old_client: state %d, book %s\n", st.state, b.symbol);
	wb_client_close(c);
	return 0;
}
