/* SPDX-License-Identifier: BSD-3-Clause */
#include "wb_mark.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wb_err.h"

#define WB_MARK_DIR "/dev/shm"

static int
wb_mark_path(char *buf, size_t len, const char *dir, const char *name)
{
	int n;

	if (name == NULL || name[0] == '\0' || name[0] == '.' || strchr(name, '/') != NULL)
		return wb_err_set(EINVAL, "mark: bad name '%s'", name ? name : "");
	n = snprintf(buf, len, "%s/wirebook-mark.%s", dir ? dir : WB_MARK_DIR, name);
	if (n < 0 || (size_t)n >= len)
		return wb_err_set(ENAMETOOLONG, "mark: path for '%s' too long", name);
	return 0;
}

void
wb_mark_unlink(const char *dir, const char *name)
{
	char path[256];

	if (wb_mark_path(path, sizeof(path), dir, name) == 0)
		unlink(path);
}

int
wb_mark_create(struct wb_mark *m, const char *dir, const char *name, uint32_t slots,
	       double tsc_ns_per_tick)
{
	char tmp[300];
	void *p;
	int fd, rc;

	memset(m, 0, sizeof(*m));
	if (slots < 4 * WB_MARK_MAX_UNCOMMITTED || (slots & (slots - 1)) != 0 || slots > (1u << 26))
		return wb_err_set(EINVAL, "mark: slots %u is not a power of two in [%u, 2^26]",
				  slots, 4 * WB_MARK_MAX_UNCOMMITTED);
	rc = wb_mark_path(m->path, sizeof(m->path), dir, name);
	if (rc != 0)
		return rc;
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", m->path, (int)getpid());
	m->len = sizeof(struct wb_mark_hdr) + (size_t)slots * sizeof(struct wb_mark_rec);
	fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return wb_err_set(errno, "mark: create %s: %s", tmp, strerror(errno));
	if (ftruncate(fd, (off_t)m->len) != 0) {
		rc = wb_err_set(errno, "mark: size %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return rc;
	}
	p = mmap(NULL, m->len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		rc = wb_err_set(errno, "mark: mmap %s: %s", tmp, strerror(errno));
		unlink(tmp);
		return rc;
	}
	memset(p, 0, m->len); /* fault every page in now, not on the hot path */
	m->hdr = p;
	m->rec = (struct wb_mark_rec *)(void *)(m->hdr + 1);
	m->mask = slots - 1u;
	m->hdr->version = WB_MARK_VERSION;
	m->hdr->slots = slots;
	m->hdr->pid = (uint32_t)getpid();
	m->hdr->tsc_ns_per_tick = tsc_ns_per_tick;
	/* release: pairs with the acquire magic load in wb_mark_attach() */
	atomic_store_explicit(&m->hdr->magic, WB_MARK_MAGIC, memory_order_release);
	if (rename(tmp, m->path) != 0) {
		rc = wb_err_set(errno, "mark: rename %s: %s", m->path, strerror(errno));
		unlink(tmp);
		wb_mark_close(m);
		return rc;
	}
	return 0;
}

int
wb_mark_attach(struct wb_mark *m, const char *dir, const char *name)
{
	struct stat st;
	void *p;
	int fd, rc;

	memset(m, 0, sizeof(*m));
	rc = wb_mark_path(m->path, sizeof(m->path), dir, name);
	if (rc != 0)
		return rc;
	fd = open(m->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) != 0 || (size_t)st.st_size < sizeof(struct wb_mark_hdr)) {
		close(fd);
		return wb_err_set(EPROTO, "mark: %s too small", m->path);
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return wb_err_set(errno, "mark: mmap %s: %s", m->path, strerror(errno));
	m->hdr = p;
	m->len = (size_t)st.st_size;
	/* acquire: pairs with the release magic store in wb_mark_create() */
	if (atomic_load_explicit(&m->hdr->magic, memory_order_acquire) != WB_MARK_MAGIC ||
	    m->hdr->version != WB_MARK_VERSION || m->hdr->slots < 4 * WB_MARK_MAX_UNCOMMITTED ||
	    (m->hdr->slots & (m->hdr->slots - 1)) != 0 ||
	    sizeof(struct wb_mark_hdr) + (size_t)m->hdr->slots * sizeof(struct wb_mark_rec) >
		m->len) {
		wb_mark_close(m);
		return wb_err_set(EPROTO, "mark: %s is not a mark region", m->path);
	}
	m->rec = (struct wb_mark_rec *)(void *)(m->hdr + 1);
	m->mask = m->hdr->slots - 1u;
	m->pos = atomic_load_explicit(&m->hdr->count, memory_order_acquire);
	return 0;
}

void
wb_mark_close(struct wb_mark *m)
{
	if (m->hdr != NULL)
		munmap(m->hdr, m->len);
	m->hdr = NULL;
	m->rec = NULL;
}
