/* SPDX-License-Identifier: BSD-3-Clause */
/* The 1.x structs' sizes, from the frozen header (README.md), for test_sdk. */
#include "abi1_sizes.h"

#include "wirebook/wirebook.h"

const unsigned int abi1_book_size = sizeof(struct wb_client_book);
const unsigned int abi1_channel_size = sizeof(struct wb_client_channel);
