/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef WB_TEST_ABI1_SIZES_H
#define WB_TEST_ABI1_SIZES_H

extern const unsigned int abi1_book_size;
extern const unsigned int abi1_channel_size;

#endif /* WB_TEST_ABI1_SIZES_H */
