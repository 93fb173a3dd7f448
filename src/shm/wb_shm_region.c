/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Region files: layout, creation (temporary name, then rename), read-only
 * attach with full validation, client slot registration.
 *
 * A reader trusts nothing in the header until the magic (stored last, with
 * release) and the ABI version match, and every offset and size has been
 * checked against the file it actually mapped.
 */
#include "wb_shm.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "wb_err.h"
#include "wb_shm_stats.h"
#include "wb_tsc.h"

#define WB_SHM_HUGETLBFS_MAGIC 0x958458f6
#define WB_SHM_HUGE_DIR "/dev/hugepages"
#define WB_SHM_SHM_DIR "/dev/shm"
#define WB_SHM_PAGE 4096u
#define WB_SHM_MPOL_PREFERRED 1

static uint64_t
wb_shm_align(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

static int
wb_shm_is_hugetlbfs(const char *dir)
{
	struct statfs sfs;

	return statfs(dir, &sfs) == 0 && (unsigned long)sfs.f_type == WB_SHM_HUGETLBFS_MAGIC;
}

const char *
wb_shm_default_dir(void)
{
	return wb_shm_is_hugetlbfs(WB_SHM_HUGE_DIR) ? WB_SHM_HUGE_DIR : WB_SHM_SHM_DIR;
}

int
wb_shm_path(char *buf, size_t len, const char *dir, const char *name, int clients)
{
	int n = snprintf(buf, len, "%s/wirebook.%s%s", dir, name, clients ? ".clients" : "");

	if (n < 0 || (size_t)n >= len)
		return wb_err_set(ENAMETOOLONG, "shm: path for '%s' too long", name);
	return 0;
}

int
wb_shm_name_check(const char *name, char *why, size_t whylen)
{
	size_t i, n = name != NULL ? strlen(name) : 0;

	if (n == 0 || n >= sizeof(((struct wb_shm_hdr *)0)->name)) {
		snprintf(why, whylen, "'%s' is not 1 to %zu characters long", name ? name : "",
			 sizeof(((struct wb_shm_hdr *)0)->name) - 1);
		return wb_err_set(EINVAL, "%s", why);
	}
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.') ||
		    (i == 0 && ch == '.')) {
			snprintf(why, whylen,
				 "'%s' is not a region name (letters, digits, _ - ., not "
				 "starting with '.')",
				 name);
			return wb_err_set(EINVAL, "%s", why);
		}
	}
	return 0;
}

static int
wb_shm_name_ok(const char *name)
{
	char why[128];

	return wb_shm_name_check(name, why, sizeof(why)) == 0;
}

uint64_t
wb_shm_heartbeat_age(const struct wb_shm *shm)
{
	uint64_t now = wb_mono_ns();
	uint64_t hb = atomic_load_explicit(&shm->hdr->heartbeat_ns, memory_order_relaxed);

	return now > hb ? now - hb : 0;
}

void
wb_shm_clock_anchor(struct wb_shm *shm)
{
	struct wb_shm_clock *c = &shm->hdr->clock;
	uint32_t s = wb_shm_seq_begin(&c->seq);
	uint64_t n0 = wb_mono_ns(), t = wb_rdtsc(), n1 = wb_mono_ns();

	/* the TSC was read between the two clock reads: take their middle */
	c->tsc = t;
	c->ns = n0 + (n1 - n0) / 2;
	wb_shm_seq_end(&c->seq, s);
}

uint64_t
wb_shm_tsc_ns(const struct wb_shm *shm, uint64_t tsc)
{
	const struct wb_shm_hdr *h = shm->hdr;
	struct wb_shm_clock c;
	double d;

	if (!(h->tsc_ns_per_tick > 0.0) ||
	    wb_shm_seq_copy(&h->clock.seq, (unsigned char *)&c + 4,
			    (const unsigned char *)&h->clock + 4, sizeof(c) - 4, 1000) != 0)
		return 0;
	/* signed: the value may be before or after the anchor */
	d = (double)(int64_t)(tsc - c.tsc) * h->tsc_ns_per_tick;
	if (d < 0.0 && -d > (double)c.ns)
		return 0;
	return (uint64_t)((int64_t)c.ns + (int64_t)d);
}

/* Best effort: prefer the NIC's NUMA node for pages not yet touched. */
static void
wb_shm_bind(void *addr, size_t len, int node)
{
	unsigned long mask[16];

	if (node < 0 || node >= (int)(sizeof(mask) * 8))
		return;
	memset(mask, 0, sizeof(mask));
	mask[node / (8 * sizeof(long))] = 1ul << (node % (8 * sizeof(long)));
	(void)syscall(SYS_mbind, addr, len, WB_SHM_MPOL_PREFERRED, mask, sizeof(mask) * 8, 0);
}

/* Creates, sizes and maps a file under a temporary name. */
static void *
wb_shm_make(const char *tmp, size_t len, mode_t mode, int gid, int node, uint64_t *ino)
{
	struct stat st;
	void *p;
	int fd;

	fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0) {
		wb_err_set(errno, "shm: create %s: %s", tmp, strerror(errno));
		return NULL;
	}
	if (fchmod(fd, mode) != 0 || (gid >= 0 && fchown(fd, (uid_t)-1, (gid_t)gid) != 0) ||
	    ftruncate(fd, (off_t)len) != 0 || fstat(fd, &st) != 0) {
		int e = errno;

		wb_err_set(e, "shm: set up %s: %s", tmp, strerror(e));
		close(fd);
		unlink(tmp);
		errno = e;
		return NULL;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		int e = errno;

		wb_err_set(e, "shm: mmap %s (%zu bytes): %s", tmp, len, strerror(e));
		unlink(tmp);
		errno = e;
		return NULL;
	}
	wb_shm_bind(p, len, node);
	memset(p, 0, len); /* fault every page in now, not on the hot path */
	*ino = (uint64_t)st.st_ino;
	return p;
}

static int
wb_shm_create_clients(struct wb_shm *shm, const char *dir, const char *name, int gid,
		      uint64_t epoch, uint64_t gran)
{
	char path[512], tmp[560];
	size_t len = wb_shm_align(sizeof(struct wb_shm_clients_hdr) +
				      WB_SHM_MAX_CLIENTS * sizeof(struct wb_shm_client),
				  gran);
	uint64_t ino;
	int rc;

	rc = wb_shm_path(path, sizeof(path), dir, name, 1);
	if (rc != 0)
		return rc;
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	unlink(tmp);
	shm->chdr = wb_shm_make(tmp, len, 0660, gid, -1, &ino);
	if (shm->chdr == NULL)
		return -errno;
	shm->cmap_len = len;
	shm->clients = (struct wb_shm_client *)(void *)(shm->chdr + 1);
	shm->chdr->abi_version = WB_SHM_ABI_VERSION;
	shm->chdr->max_clients = WB_SHM_MAX_CLIENTS;
	shm->chdr->epoch_ns = epoch;
	shm->chdr->slot_size = sizeof(struct wb_shm_client);
	/* release: pairs with the acquire magic load in wb_shm_attach_clients() */
	atomic_store_explicit(&shm->chdr->magic, WB_SHM_CLIENTS_MAGIC, memory_order_release);
	if (rename(tmp, path) != 0) {
		rc = wb_err_set(errno, "shm: rename %s: %s", path, strerror(errno));
		unlink(tmp);
		return rc;
	}
	return 0;
}

int
wb_shm_layout(const struct wb_shm_params *p, uint64_t gran, struct wb_shm_layout *l)
{
	/* a 32-bit process could not map more than half its address space */
	uint64_t limit = WB_SHM_MAX_REGION < (uint64_t)SIZE_MAX / 2 ? WB_SHM_MAX_REGION
								    : (uint64_t)SIZE_MAX / 2;

	memset(l, 0, sizeof(*l));
	if (p->ring_slots < 2 || p->ring_slots > (1u << 30) ||
	    (p->ring_slots & (p->ring_slots - 1)) != 0)
		return wb_err_set(EINVAL, "shm: ring_slots %u is not a power of two in [2, 2^30]",
				  p->ring_slots);
	if (p->depth == 0 || p->depth > WB_SHM_MAX_DEPTH)
		return wb_err_set(EINVAL, "shm: depth %u not in [1, %u]", p->depth,
				  WB_SHM_MAX_DEPTH);
	if (p->max_instruments == 0 || p->max_instruments > WB_SHM_MAX_INSTRUMENTS)
		return wb_err_set(EINVAL, "shm: max_instruments %u not in [1, %u]",
				  p->max_instruments, WB_SHM_MAX_INSTRUMENTS);
	/* every term is bounded above (2^24 ids of at most 64 + 3,136 bytes,
	 * 2^30 slots of 64): none of these sums can wrap 64 bits */
	l->snap_stride = wb_shm_snap_stride(p->depth);
	l->chan_off = WB_SHM_HDR_SIZE;
	l->dir_off = wb_shm_align(l->chan_off + WB_SHM_MAX_CHANNELS * sizeof(struct wb_shm_chan),
				  WB_SHM_PAGE);
	l->snap_off = wb_shm_align(l->dir_off + (uint64_t)p->max_instruments *
							  sizeof(struct wb_shm_dir),
				   WB_SHM_PAGE);
	l->ring_off =
	    wb_shm_align(l->snap_off + (uint64_t)p->max_instruments * l->snap_stride, WB_SHM_PAGE);
	l->size =
	    wb_shm_align(l->ring_off + (uint64_t)p->ring_slots * sizeof(struct wb_shm_slot), gran);
	if (l->size > limit)
		return wb_err_set(EFBIG,
				  "shm: max_instruments %u at depth %u (%u bytes each) and %u ring "
				  "slots make a region of %llu MiB, above the %llu MiB limit",
				  p->max_instruments, p->depth,
				  (unsigned int)sizeof(struct wb_shm_dir) + l->snap_stride,
				  p->ring_slots, (unsigned long long)(l->size >> 20),
				  (unsigned long long)(limit >> 20));
	return 0;
}

static int
wb_shm_create_in(struct wb_shm *shm, const struct wb_shm_params *p, const char *dir)
{
	uint64_t chan_off, dir_off, snap_off, ring_off, size, epoch, gran = WB_SHM_PAGE;
	struct wb_shm_layout l;
	uint32_t stride;
	char path[512], tmp[560];
	struct wb_shm_hdr *h;
	struct timespec ts;
	uint32_t i;
	int rc;

	memset(shm, 0, sizeof(*shm));
	if (!wb_shm_name_ok(p->name))
		return wb_err_set(EINVAL, "shm: bad region name '%s'", p->name ? p->name : "");
	if (wb_shm_is_hugetlbfs(dir))
		gran = 2u << 20;
	rc = wb_shm_layout(p, gran, &l);
	if (rc != 0)
		return rc;
	chan_off = l.chan_off;
	dir_off = l.dir_off;
	snap_off = l.snap_off;
	ring_off = l.ring_off;
	size = l.size;
	stride = l.snap_stride;
	rc = wb_shm_path(path, sizeof(path), dir, p->name, 0);
	if (rc != 0)
		return rc;

	clock_gettime(CLOCK_REALTIME, &ts);
	epoch = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	rc = wb_shm_create_clients(shm, dir, p->name, p->gid, epoch, gran);
	if (rc != 0)
		return wb_err_append(rc, "shm: region '%s'", p->name);

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	unlink(tmp);
	h = wb_shm_make(tmp, (size_t)size, 0640, p->gid, p->numa_node, &shm->ino);
	if (h == NULL) {
		rc = -errno;
		wb_shm_detach(shm);
		/* the clients file is already in place: do not leave it behind */
		if (wb_shm_path(path, sizeof(path), dir, p->name, 1) == 0)
			unlink(path);
		return wb_err_append(rc, "shm: region '%s'", p->name);
	}
	shm->hdr = h;
	shm->map_len = (size_t)size;
	shm->writable = 1;
	h->abi_version = WB_SHM_ABI_VERSION;
	h->hdr_size = WB_SHM_HDR_SIZE;
	h->region_size = size;
	h->epoch_ns = epoch;
	h->creator_pid = (uint32_t)getpid();
	h->depth = p->depth;
	h->max_instruments = p->max_instruments;
	h->ring_slots = p->ring_slots;
	h->event_size = sizeof(struct wb_event);
	h->dir_entry_size = sizeof(struct wb_shm_dir);
	h->snap_stride = stride;
	h->max_channels = WB_SHM_MAX_CHANNELS;
	h->chan_off = chan_off;
	h->dir_off = dir_off;
	h->snap_off = snap_off;
	h->ring_off = ring_off;
	h->chan_size = sizeof(struct wb_shm_chan);
	h->level_size = sizeof(struct wb_shm_level);
	snprintf(h->name, sizeof(h->name), "%s", p->name);
	if (p->tsc_ns_per_tick > 0.0) {
		h->tsc_ns_per_tick = p->tsc_ns_per_tick;
		h->tsc_hz = (uint64_t)(1e9 / p->tsc_ns_per_tick + 0.5);
	}
	shm->chan = (struct wb_shm_chan *)(void *)((unsigned char *)h + chan_off);
	shm->dir = (struct wb_shm_dir *)(void *)((unsigned char *)h + dir_off);
	shm->snap = (unsigned char *)h + snap_off;
	shm->ring = (struct wb_shm_slot *)(void *)((unsigned char *)h + ring_off);
	shm->ring_mask = p->ring_slots - 1u;
	shm->snap_stride = stride;
	shm->depth = p->depth;
	shm->max_instruments = p->max_instruments;
	for (i = 0; i < p->max_instruments; i++) {
		shm->dir[i].instrument = i;
		wb_shm_snap_at(shm, i)->instrument = i;
	}
	atomic_store_explicit(&h->state, WB_SHM_STATE_STARTING, memory_order_relaxed);
	atomic_store_explicit(&h->heartbeat_ns, wb_mono_ns(), memory_order_relaxed);
	wb_shm_clock_anchor(shm);
	/* release: pairs with the acquire magic load in wb_shm_attach() */
	atomic_store_explicit(&h->magic, WB_SHM_MAGIC, memory_order_release);
	if (rename(tmp, path) != 0) {
		rc = wb_err_set(errno, "shm: rename %s: %s", path, strerror(errno));
		unlink(tmp);
		wb_shm_detach(shm);
		return rc;
	}
	snprintf(shm->path, sizeof(shm->path), "%s", path);
	return 0;
}

void
wb_shm_unlink(const char *dir, const char *name)
{
	char path[512];

	if (wb_shm_path(path, sizeof(path), dir, name, 0) == 0)
		unlink(path);
	if (wb_shm_path(path, sizeof(path), dir, name, 1) == 0)
		unlink(path);
	if (wb_stats_path(path, sizeof(path), dir, name) == 0)
		unlink(path);
	/* The lock file too, only when nobody holds it: a lock on an unlinked
	 * file would let a second creator take a new one at the same name. */
	if (wb_shm_owner_alive(dir, name) == 0 &&
	    wb_shm_lock_path(path, sizeof(path), dir, name) == 0) {
		int fd = wb_shm_lock_take_quiet(path);

		if (fd >= 0) {
			unlink(path);
			close(fd);
		}
	}
}

/*
 * Removes the region of the same name from the other directory: with the
 * name's lock held, it cannot belong to a running daemon.
 */
static void
wb_shm_unlink_other(const char *dir, const char *name)
{
	if (wb_shm_current_ino(dir, name) != 0)
		wb_shm_unlink(dir, name);
}

static int
wb_shm_create_dir(struct wb_shm *shm, const struct wb_shm_params *p)
{
	int rc;

	if (p->dir != NULL)
		return wb_shm_create_in(shm, p, p->dir);
	if (!wb_shm_is_hugetlbfs(WB_SHM_HUGE_DIR))
		return wb_shm_create_in(shm, p, WB_SHM_SHM_DIR);
	/*
	 * Auto: hugetlbfs first, /dev/shm when it has no pages to give. Clients
	 * search in the same order, so a stale region in the directory not used
	 * this time must go, or it would shadow the live one.
	 */
	rc = wb_shm_create_in(shm, p, WB_SHM_HUGE_DIR);
	if (rc == 0) {
		wb_shm_unlink_other(WB_SHM_SHM_DIR, p->name);
		return 0;
	}
	/* Anything (no free huge pages, a hugetlbfs that refuses the file) only
	 * costs the huge pages: fall back to /dev/shm. */
	rc = wb_shm_create_in(shm, p, WB_SHM_SHM_DIR);
	if (rc == 0)
		wb_shm_unlink_other(WB_SHM_HUGE_DIR, p->name);
	return rc;
}

int
wb_shm_create(struct wb_shm *shm, const struct wb_shm_params *p)
{
	int fd, rc;

	memset(shm, 0, sizeof(*shm));
	if (!wb_shm_name_ok(p->name))
		return wb_err_set(EINVAL, "shm: bad region name '%s'", p->name ? p->name : "");
	/* The name first: nothing at the name is touched unless it is ours. */
	fd = wb_shm_lock_take(p->dir, p->name);
	if (fd < 0)
		return fd;
	rc = wb_shm_create_dir(shm, p);
	if (rc != 0) {
		close(fd);
		return rc;
	}
	shm->lock_fd = fd;
	shm->has_lock = 1;
	return 0;
}

static int
wb_shm_validate(const struct wb_shm_hdr *h, uint64_t file_size)
{
	uint64_t stride, dir_end, snap_end, ring_end;

	if (h->hdr_size != WB_SHM_HDR_SIZE || h->region_size > file_size ||
	    h->event_size != sizeof(struct wb_event) ||
	    h->dir_entry_size != sizeof(struct wb_shm_dir) ||
	    h->chan_size != sizeof(struct wb_shm_chan) ||
	    h->level_size != sizeof(struct wb_shm_level) || h->max_channels != WB_SHM_MAX_CHANNELS)
		return -1;
	if (h->depth == 0 || h->depth > WB_SHM_MAX_DEPTH || h->max_instruments == 0 ||
	    h->max_instruments > WB_SHM_MAX_INSTRUMENTS || h->ring_slots < 2 ||
	    (h->ring_slots & (h->ring_slots - 1)) != 0)
		return -1;
	/* offsets within the region (itself within the file, far below 2^63):
	 * adding the bounded table sizes below cannot wrap */
	if (h->chan_off > h->region_size || h->dir_off > h->region_size ||
	    h->snap_off > h->region_size || h->ring_off > h->region_size)
		return -1;
	stride = wb_shm_snap_stride(h->depth);
	if (h->snap_stride != stride)
		return -1;
	if (h->chan_off < WB_SHM_HDR_SIZE ||
	    (h->chan_off | h->dir_off | h->snap_off | h->ring_off) % WB_CACHE_LINE != 0)
		return -1;
	dir_end = h->dir_off + (uint64_t)h->max_instruments * sizeof(struct wb_shm_dir);
	snap_end = h->snap_off + (uint64_t)h->max_instruments * stride;
	ring_end = h->ring_off + (uint64_t)h->ring_slots * sizeof(struct wb_shm_slot);
	if (h->chan_off + WB_SHM_MAX_CHANNELS * sizeof(struct wb_shm_chan) > h->dir_off ||
	    dir_end > h->snap_off || snap_end > h->ring_off || ring_end > h->region_size)
		return -1;
	return 0;
}

static void
wb_shm_attach_clients(struct wb_shm *shm, const char *dir, const char *name)
{
	char path[512];
	struct stat st;
	size_t need =
	    sizeof(struct wb_shm_clients_hdr) + WB_SHM_MAX_CLIENTS * sizeof(struct wb_shm_client);
	void *p;
	int fd;

	if (wb_shm_path(path, sizeof(path), dir, name, 1) != 0)
		return;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) != 0 || (uint64_t)st.st_size < need) {
		close(fd);
		return;
	}
	/* the whole file: on hugetlbfs lengths are multiples of the huge page */
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return;
	shm->chdr = p;
	shm->cmap_len = (size_t)st.st_size;
	/* acquire: pairs with the release magic store in wb_shm_create_clients() */
	if (atomic_load_explicit(&shm->chdr->magic, memory_order_acquire) != WB_SHM_CLIENTS_MAGIC ||
	    shm->chdr->abi_version != WB_SHM_ABI_VERSION ||
	    shm->chdr->max_clients != WB_SHM_MAX_CLIENTS ||
	    shm->chdr->epoch_ns != shm->hdr->epoch_ns) {
		munmap(p, shm->cmap_len);
		shm->chdr = NULL;
		shm->cmap_len = 0;
		return;
	}
	shm->clients = (struct wb_shm_client *)(void *)(shm->chdr + 1);
}

static int
wb_shm_attach_dir(struct wb_shm *shm, const char *dir, const char *name)
{
	struct wb_shm_hdr *h;
	char path[512];
	struct stat st;
	int fd, rc;

	rc = wb_shm_path(path, sizeof(path), dir, name, 0);
	if (rc != 0)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return wb_err_set(errno, "shm: open %s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || (uint64_t)st.st_size < WB_SHM_HDR_SIZE) {
		close(fd);
		return wb_err_set(EPROTO, "shm: %s is not a wirebook region (too small)", path);
	}
	h = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (h == MAP_FAILED)
		return wb_err_set(errno, "shm: mmap %s: %s", path, strerror(errno));
	shm->hdr = h;
	shm->map_len = (size_t)st.st_size;
	shm->ino = (uint64_t)st.st_ino;
	/* acquire: pairs with the release magic store in wb_shm_create() */
	if (atomic_load_explicit(&h->magic, memory_order_acquire) != WB_SHM_MAGIC) {
		wb_shm_detach(shm);
		return wb_err_set(EPROTO, "shm: %s: bad magic", path);
	}
	if (h->abi_version != WB_SHM_ABI_VERSION) {
		rc = wb_err_set(EPROTO, "shm: %s: ABI version %u, this build knows %u", path,
				h->abi_version, WB_SHM_ABI_VERSION);
		wb_shm_detach(shm);
		return rc;
	}
	if (wb_shm_validate(h, (uint64_t)st.st_size) != 0) {
		wb_shm_detach(shm);
		return wb_err_set(EPROTO, "shm: %s: inconsistent layout", path);
	}
	shm->chan = (struct wb_shm_chan *)(void *)((unsigned char *)h + h->chan_off);
	shm->dir = (struct wb_shm_dir *)(void *)((unsigned char *)h + h->dir_off);
	shm->snap = (unsigned char *)h + h->snap_off;
	shm->ring = (struct wb_shm_slot *)(void *)((unsigned char *)h + h->ring_off);
	shm->ring_mask = h->ring_slots - 1u;
	shm->snap_stride = h->snap_stride;
	shm->depth = h->depth;
	shm->max_instruments = h->max_instruments;
	wb_shm_attach_clients(shm, dir, name);
	return 0;
}

int
wb_shm_attach(struct wb_shm *shm, const char *dir, const char *name)
{
	int rc;

	memset(shm, 0, sizeof(*shm));
	if (!wb_shm_name_ok(name))
		return wb_err_set(EINVAL, "shm: bad region name '%s'", name ? name : "");
	if (dir != NULL)
		return wb_shm_attach_dir(shm, dir, name);
	rc = wb_shm_attach_dir(shm, WB_SHM_HUGE_DIR, name);
	if (rc != -ENOENT)
		return rc;
	return wb_shm_attach_dir(shm, WB_SHM_SHM_DIR, name);
}

void
wb_shm_detach(struct wb_shm *shm)
{
	if (shm->has_lock)
		close(shm->lock_fd); /* the name is free again */
	if (shm->hdr != NULL)
		munmap(shm->hdr, shm->map_len);
	if (shm->chdr != NULL)
		munmap(shm->chdr, shm->cmap_len);
	memset(shm, 0, sizeof(*shm));
}

uint64_t
wb_shm_current_ino(const char *dir, const char *name)
{
	char path[512];
	struct stat st;

	if (dir == NULL) {
		if (wb_shm_path(path, sizeof(path), WB_SHM_HUGE_DIR, name, 0) == 0 &&
		    stat(path, &st) == 0)
			return (uint64_t)st.st_ino;
		dir = WB_SHM_SHM_DIR;
	}
	if (wb_shm_path(path, sizeof(path), dir, name, 0) != 0 || stat(path, &st) != 0)
		return 0;
	return (uint64_t)st.st_ino;
}
