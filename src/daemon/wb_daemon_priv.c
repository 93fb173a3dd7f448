/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Privileges: what wirebookd needs to start is much more than what it needs
 * to run. Start-up opens devices (vfio, AF_PACKET/AF_XDP sockets, an XDP
 * program), locks memory, maps huge pages, creates the DPDK runtime
 * directory and the shared-memory region and gives the region its group.
 * Once the ports run, the rx lcores only poll memory that is already
 * mapped, the main lcore only sleeps, reads counters and writes the
 * heartbeat into a mapping it already has. So after start-up the daemon
 * becomes [daemon] user (and group), and whether it switched user or was
 * started unprivileged with ambient capabilities (systemd User= with
 * AmbientCapabilities=), it then clears every capability it holds.
 *
 * Before switching, the DPDK runtime directory (/var/run/dpdk/PREFIX) and
 * its files are handed to the new user, and its parent, which EAL creates
 * root-only, is made traversable (o+x: no listing), so that EAL can still
 * remove the files at exit; only the empty PREFIX directory stays, as its
 * parent is not ours to write. Under systemd with User= the runtime
 * directory is the service's own and none of this applies.
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#include <rte_eal.h>

#include "wb_daemon.h"

/* The runtime directory's entries (and itself) to uid:gid. */
static void
wb_priv_chown_runtime(uid_t uid, gid_t gid)
{
	const char *dir = rte_eal_get_runtime_dir();
	char path[PATH_MAX], *slash;
	struct dirent *e;
	struct stat st;
	DIR *d;

	if (dir == NULL || dir[0] == '\0' || (d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lchown(path, uid, gid) != 0)
			fprintf(stderr, "wirebookd: chown %s: %s\n", path, strerror(errno));
	}
	closedir(d);
	if (chown(dir, uid, gid) != 0)
		fprintf(stderr, "wirebookd: chown %s: %s\n", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s", dir);
	slash = strrchr(path, '/');
	if (slash == NULL || slash == path)
		return;
	*slash = '\0';
	if (stat(path, &st) == 0 && st.st_uid == 0 && (st.st_mode & S_IXOTH) == 0 &&
	    chmod(path, (st.st_mode & 07777) | S_IXOTH) != 0)
		fprintf(stderr, "wirebookd: chmod o+x %s: %s\n", path, strerror(errno));
}

/* Clears the ambient, inheritable, permitted and effective sets. */
static int
wb_priv_clear_caps(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
		return -1;
	return (int)syscall(SYS_capset, &h, data);
}

int
wb_daemon_priv_drop(const struct wb_daemon_cfg *c, char *err, size_t errlen)
{
	uid_t uid = 0;
	gid_t gid = 0;
	int rc = wb_daemon_priv_resolve(c, &uid, &gid, err, errlen);

	if (rc < 0)
		return -1;
	if (rc == 1 && geteuid() != uid) {
		const char *stats = wb_daemon_statfile_path();

		wb_priv_chown_runtime(uid, gid);
		/* its directory is sticky (/dev/shm): only its owner removes it */
		if (stats != NULL && chown(stats, uid, (gid_t)-1) != 0)
			fprintf(stderr, "wirebookd: chown %s: %s\n", stats, strerror(errno));
		if (initgroups(c->user, gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
			snprintf(err, errlen, "[daemon] user: becoming %s: %s", c->user,
				 strerror(errno));
			return -1;
		}
		if (setuid(0) == 0) {
			snprintf(err, errlen, "[daemon] user: could become root again");
			return -1;
		}
	}
	if (geteuid() == 0)
		return 0; /* root by choice (no [daemon] user): nothing to drop */
	if (wb_priv_clear_caps() != 0) {
		snprintf(err, errlen, "dropping capabilities: %s", strerror(errno));
		return -1;
	}
	fprintf(stderr, "wirebookd: running as uid %u gid %u, no capabilities\n",
		(unsigned int)getuid(), (unsigned int)getgid());
	return 0;
}
