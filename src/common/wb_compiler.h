/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Compiler hints and unaligned big-endian loads shared by every module.
 *
 * The loads use memcpy so that they are legal on any alignment and let the
 * compiler emit a single load + bswap.
 */
#ifndef WB_COMPILER_H
#define WB_COMPILER_H

#include <stdint.h>
#include <string.h>

#define WB_CACHE_LINE 64

#define wb_likely(x)   __builtin_expect(!!(x), 1)
#define wb_unlikely(x) __builtin_expect(!!(x), 0)
#define wb_aligned(n)  __attribute__((aligned(n)))
#define wb_cache_aligned wb_aligned(WB_CACHE_LINE)
#define wb_unused      __attribute__((unused))
#define wb_printf(a, b) __attribute__((format(printf, a, b)))
#define wb_warn_unused __attribute__((warn_unused_result))

/*
 * Prefetches as volatile asm on x86-64, as DPDK does: GCC treats
 * __builtin_prefetch as free of side effects, and dead-code elimination
 * removed a whole pass of them (the book's burst prefetch compiled to `ret`).
 * wb_prefetchw marks a line the caller will write; it is PREFETCHT0 too:
 * PREFETCHW measured slower on the book benchmark here (AMD EPYC guest,
 * 11.9 vs 14.6 M msgs/s on the 10M-message day, docs/benchmarks.md).
 */
#if defined(__x86_64__)
static inline void
wb_prefetch0(const volatile void *p)
{
	__asm__ volatile("prefetcht0 %[p]" : : [p] "m"(*(const volatile char *)p));
}
#define wb_prefetchw(p) wb_prefetch0(p)
/*
 * A line to own before writing it while other cores hold copies: PREFETCHW
 * invalidates them (x86-64 CPUs without PRFCHW, Intel's before Broadwell,
 * execute it as a NOP).
 */
static inline void
wb_prefetch_own(const volatile void *p)
{
	__asm__ volatile("prefetchw %[p]" : : [p] "m"(*(const volatile char *)p));
}
#else
#define wb_prefetch0(p) __builtin_prefetch((const void *)(p), 0, 3)
#define wb_prefetchw(p) __builtin_prefetch((const void *)(p), 1, 3)
#define wb_prefetch_own(p) __builtin_prefetch((const void *)(p), 1, 3)
#endif

#define WB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline uint16_t
wb_be16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return __builtin_bswap16(v);
}

static inline uint32_t
wb_be32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return __builtin_bswap32(v);
}

static inline uint64_t
wb_be64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return __builtin_bswap64(v);
}

/* ITCH timestamps: 6 bytes, nanoseconds since midnight. */
static inline uint64_t
wb_be48(const uint8_t *p)
{
	return ((uint64_t)wb_be16(p) << 32) | wb_be32(p + 2);
}

static inline void
wb_put_be16(uint8_t *p, uint16_t v)
{
	v = __builtin_bswap16(v);
	memcpy(p, &v, sizeof(v));
}

static inline void
wb_put_be32(uint8_t *p, uint32_t v)
{
	v = __builtin_bswap32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void
wb_put_be64(uint8_t *p, uint64_t v)
{
	v = __builtin_bswap64(v);
	memcpy(p, &v, sizeof(v));
}

static inline void
wb_put_be48(uint8_t *p, uint64_t v)
{
	wb_put_be16(p, (uint16_t)(v >> 32));
	wb_put_be32(p + 2, (uint32_t)v);
}

/* A macro's value as a string literal: WB_STR(WB_FEED_HOLD_US) is "300". */
#define WB_STR_(x) #x
#define WB_STR(x) WB_STR_(x)

#endif /* WB_COMPILER_H */
