/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Book tables are anonymous mappings sized at create: explicit huge pages
 * when asked for (and reserved), else normal pages with transparent huge
 * pages requested, bound to a NUMA node when one is given. Every page is
 * faulted in here (MADV_POPULATE_WRITE, else one write per page): a first
 * touch on the rx loop would be a kernel allocation, and zeroing a 2 MB THP
 * page there costs far more than a message (it was a quarter of the time of
 * a cold benchmark run). The price is paid at create: RSS is the full size.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef WB_HAVE_NUMA
#include <numaif.h>
#endif

#include "wb_book_int.h"
#include "wb_err.h"

#define WB_HUGE_2M (2u << 20)

static void
wb_book_prefault(void *addr, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	if (madvise(addr, len, MADV_POPULATE_WRITE) == 0)
		return;
#endif
	{
		size_t page = (size_t)sysconf(_SC_PAGESIZE), off;
		volatile uint8_t *p = addr;

		for (off = 0; off < len; off += page)
			p[off] = 0;
	}
}

int
wb_book_region_alloc(struct wb_book_region *r, size_t len, const struct wb_book_params *p,
		     const char *what)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *a = MAP_FAILED;

	r->addr = NULL;
	r->len = 0;
	if (len == 0)
		len = page;
#ifdef MAP_HUGETLB
	if (p->hugepages) {
		size_t hlen = (len + WB_HUGE_2M - 1) & ~(size_t)(WB_HUGE_2M - 1);

		a = mmap(NULL, hlen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB,
			 -1, 0);
		if (a != MAP_FAILED)
			len = hlen;
	}
#endif
	if (a == MAP_FAILED) {
		len = (len + page - 1) & ~(page - 1);
		a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (a == MAP_FAILED) {
			int e = errno;

			return wb_err_set(e, "book: mmap %zu bytes for %s: %s", len, what,
					  strerror(e));
		}
#ifdef MADV_HUGEPAGE
		if (len >= WB_HUGE_2M)
			(void)madvise(a, len, MADV_HUGEPAGE); /* a hint: THP may be off */
#endif
	}
	if (p->numa_node >= 0) {
#ifdef WB_HAVE_NUMA
		unsigned long mask[16];
		unsigned int node = (unsigned int)p->numa_node;

		memset(mask, 0, sizeof(mask));
		if (node >= sizeof(mask) * 8) {
			munmap(a, len);
			return wb_err_set(EINVAL, "book: numa node %d out of range", p->numa_node);
		}
		mask[node / (sizeof(mask[0]) * 8)] |= 1ul << (node % (sizeof(mask[0]) * 8));
		if (mbind(a, len, MPOL_BIND, mask, sizeof(mask) * 8, 0) != 0) {
			int e = errno;

			munmap(a, len);
			return wb_err_set(e, "book: mbind %s to numa node %d: %s", what,
					  p->numa_node, strerror(e));
		}
#else
		munmap(a, len);
		return wb_err_set(ENOTSUP, "book: numa node %d asked for, built without libnuma",
				  p->numa_node);
#endif
	}
	wb_book_prefault(a, len);
	r->addr = a;
	r->len = len;
	return 0;
}

void
wb_book_region_free(struct wb_book_region *r)
{
	if (r->addr != NULL)
		munmap(r->addr, r->len);
	r->addr = NULL;
	r->len = 0;
}
