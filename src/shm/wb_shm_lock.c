/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A region name's lock (wb_shm.h): the creator holds an OFD write lock on
 * DIR/wirebook.NAME.lock for as long as it lives, a second creator is
 * refused with who holds it, and a reader asks without taking anything.
 */
#include "wb_shm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wb_err.h"

int
wb_shm_lock_path(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/wirebook.%s.lock", dir != NULL ? dir : WB_SHM_LOCK_DIR,
			 name);

	if (n < 0 || (size_t)n >= len)
		return wb_err_set(ENAMETOOLONG, "shm: lock path for '%s' too long", name);
	return 0;
}

/* -EEXIST with the message saying who holds the name. */
static int
wb_shm_held(const char *dir, const char *name, const char *path)
{
	struct wb_shm old;
	int pid;

	/* the region at the name, if any, says who (OFD locks carry no pid) */
	if (wb_shm_attach(&old, dir, name) == 0) {
		pid = (int)old.hdr->creator_pid;
		wb_shm_detach(&old);
		return wb_err_set(EEXIST,
				  "region '%s' is held by running pid %d (lock %s); stop it first "
				  "or choose another name",
				  name, pid, path);
	}
	return wb_err_set(EEXIST,
			  "region '%s' is held by a running process (lock %s); stop it first or "
			  "choose another name",
			  name, path);
}

/*
 * Takes NAME's lock (see wb_shm.h): an OFD lock, so that no other open or
 * close of the file by this process (a client of its own region, a test)
 * releases it. Returns the descriptor, or -errno: -EEXIST when held.
 */
int
wb_shm_lock_take(const char *dir, const char *name)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	char path[512], pid[24];
	int fd, rc, n;

	rc = wb_shm_lock_path(path, sizeof(path), dir, name);
	if (rc != 0)
		return rc;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return wb_err_set(errno, "shm: lock %s: %s", path, strerror(errno));
	if (fcntl(fd, F_OFD_SETLK, &fl) != 0) {
		rc = errno;
		close(fd);
		if (rc != EAGAIN && rc != EACCES)
			return wb_err_set(rc, "shm: lock %s: %s", path, strerror(rc));
		return wb_shm_held(dir, name, path);
	}
	n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) != 0 || write(fd, pid, (size_t)n) != n)
		(void)0; /* the pid in the file is for people; the lock is what counts */
	return fd;
}

/* The lock at path if free, without a message: the descriptor or -1. */
int
wb_shm_lock_take_quiet(const char *path)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd >= 0 && fcntl(fd, F_OFD_SETLK, &fl) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

int
wb_shm_owner_alive(const char *dir, const char *name)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	char path[512], why[128];
	int fd, rc;

	if (wb_shm_name_check(name, why, sizeof(why)) != 0 ||
	    wb_shm_lock_path(path, sizeof(path), dir, name) != 0)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* a query: takes nothing, so it can never stand in a starting daemon's way */
	rc = fcntl(fd, F_OFD_GETLK, &fl);
	close(fd);
	if (rc != 0)
		return -errno;
	return fl.l_type != F_UNLCK;
}

int
wb_shm_name_free(const char *dir, const char *name)
{
	char path[512];

	if (wb_shm_owner_alive(dir, name) != 1)
		return 0;
	if (wb_shm_lock_path(path, sizeof(path), dir, name) != 0)
		return -ENAMETOOLONG;
	return wb_shm_held(dir, name, path);
}
