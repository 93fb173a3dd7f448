/* SPDX-License-Identifier: BSD-3-Clause */
/* The daemon's stats file (wb_shm_stats.h): create, rewrite, read. */
#include "wb_shm_stats.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wb_err.h"
#include "wb_shm.h"

#define WB_STATS_DIR "/dev/shm"

int
wb_stats_path(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/wirebook.%s.stats", dir != NULL ? dir : WB_STATS_DIR, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int
wb_stats_create(struct wb_stats_w *w, const char *dir, const char *name, int gid)
{
	char tmp[600];
	void *m;
	int fd, rc;

	memset(w, 0, sizeof(*w));
	if (wb_stats_path(w->path, sizeof(w->path), dir, name) != 0)
		return wb_err_set(ENAMETOOLONG, "stats: path for '%s' too long", name);
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", w->path, (int)getpid());
	fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0)
		return wb_err_set(errno, "stats: %s: %s", tmp, strerror(errno));
	if (fchmod(fd, 0640) != 0 || (gid >= 0 && fchown(fd, (uid_t)-1, (gid_t)gid) != 0) ||
	    ftruncate(fd, sizeof(struct wb_stats_file)) != 0) {
		rc = errno;
		close(fd);
		unlink(tmp);
		return wb_err_set(rc, "stats: %s: %s", tmp, strerror(rc));
	}
	m = mmap(NULL, sizeof(struct wb_stats_file), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED) {
		rc = errno;
		unlink(tmp);
		return wb_err_set(rc, "stats: mmap %s: %s", tmp, strerror(rc));
	}
	w->f = m;
	w->f->version = WB_STATS_VERSION;
	w->f->size = (uint32_t)sizeof(struct wb_stats_file);
	/* release: pairs with the acquire magic load in wb_stats_read() */
	atomic_store_explicit(&w->f->magic, WB_STATS_MAGIC, memory_order_release);
	if (rename(tmp, w->path) != 0) {
		rc = errno;
		munmap(m, sizeof(struct wb_stats_file));
		unlink(tmp);
		w->f = NULL;
		return wb_err_set(rc, "stats: rename to %s: %s", w->path, strerror(rc));
	}
	return 0;
}

void
wb_stats_begin(struct wb_stats_w *w)
{
	/* the body's seqlock: odd from here, with a release fence */
	(void)wb_shm_seq_begin(&w->f->seq);
}

void
wb_stats_end(struct wb_stats_w *w)
{
	wb_shm_seq_end(&w->f->seq, atomic_load_explicit(&w->f->seq, memory_order_relaxed));
}

void
wb_stats_close(struct wb_stats_w *w, int remove)
{
	if (w->f == NULL)
		return;
	munmap(w->f, sizeof(struct wb_stats_file));
	w->f = NULL;
	if (remove)
		unlink(w->path);
}

int
wb_stats_read(const char *dir, const char *name, struct wb_stats_body *out)
{
	struct wb_stats_file *f;
	struct stat st;
	char path[512];
	void *m;
	int fd, rc;

	if (wb_stats_path(path, sizeof(path), dir, name) != 0)
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) != 0 || (size_t)st.st_size != sizeof(struct wb_stats_file)) {
		close(fd);
		return -EPROTO;
	}
	m = mmap(NULL, sizeof(struct wb_stats_file), PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return -errno;
	f = m;
	/* acquire: pairs with the release magic store in wb_stats_create() */
	if (atomic_load_explicit(&f->magic, memory_order_acquire) != WB_STATS_MAGIC ||
	    f->version != WB_STATS_VERSION || f->size != sizeof(struct wb_stats_file))
		rc = -EPROTO;
	else
		rc = wb_shm_seq_copy(&f->seq, out, &f->body, sizeof(*out), 1000);
	munmap(m, sizeof(struct wb_stats_file));
	return rc;
}
