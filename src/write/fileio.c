/* Safe file writes. The pattern is qemu-server's (write a temp file, rename
 * it over the config, research/proxmox.md 4.3) plus what it leaves out:
 * fsync of the file before the rename and of the directory after it, so a
 * crash leaves the old file or the new one, never a mix or nothing. */
#include "config.h"

#include "write/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

/* ---- the test hooks ---------------------------------------------------------- */

static double env_number(const char *name, double fallback)
{
	const char *v = getenv(name);
	char *end;
	double d;

	if (!v || !*v)
		return fallback;
	d = strtod(v, &end);
	return *end || d < 0 ? fallback : d;
}

void wr_test_pause(void)
{
	double s = env_number("VMNETLINT_TEST_PAUSE_BEFORE_WRITE", 0);
	const char *flag = getenv("VMNETLINT_TEST_PAUSE_FLAG");
	struct timespec ts;

	if (s <= 0)
		return;
	if (flag && *flag) {
		int fd = open(flag, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (fd >= 0)
			close(fd);
	}
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int wr_write_all(int fd, const char *data, size_t len)
{
	/* per thread: the file writers run in parallel (write/apply.c) */
	static _Thread_local long long written;
	static _Thread_local double counted_for = -1;
	double limit = env_number("VMNETLINT_TEST_WRITE_LIMIT", -1);
	size_t done = 0;

	if (limit != counted_for) { /* a new limit counts from here */
		written = 0;
		counted_for = limit;
	}

	while (done < len) {
		size_t chunk = len - done;
		ssize_t n;
		if (limit >= 0) {
			if ((double)written >= limit) {
				errno = ENOSPC;
				return -1;
			}
			if ((double)(written + (long long)chunk) > limit)
				chunk = (size_t)(limit - (double)written);
		}
		n = write(fd, data + done, chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		done += (size_t)n;
		written += n;
	}
	return 0;
}

/* ".<name>.vnl-tmp.<pid>.<n>": hidden, and unique to this process and call,
 * since writers run in parallel threads (write/apply.c). */
static void tmp_name(char *buf, size_t size, const char *dir, const char *base)
{
	static atomic_uint counter;
	snprintf(buf, size, "%s/.%s" WR_TMP_TAG "%ld.%u", dir, base, (long)getpid(),
		 atomic_fetch_add(&counter, 1));
}

/* ---- reading ------------------------------------------------------------------- */

int wr_read_file(const char *path, struct strbuf *out, struct stat *st, struct vnl_err *err)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	strbuf_reset(out);
	if (fd < 0 && errno == ENOENT)
		return 1;
	if (fd < 0)
		return vnl_fail(err, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || (unsigned long long)sb.st_size > WR_MAX_FILE) {
		close(fd);
		return vnl_fail(err, "%s: not a regular file of at most %u bytes", path, WR_MAX_FILE);
	}
	if (strbuf_read_fd(out, fd, WR_MAX_FILE) < 0) {
		int e = errno;
		close(fd);
		if (e == EFBIG)
			return vnl_fail(err, "%s: grew past %u bytes while being read", path, WR_MAX_FILE);
		return vnl_fail(err, "%s: cannot read: %s", path, strerror(e));
	}
	close(fd);
	if (st)
		*st = sb;
	return 0;
}

/* ---- paths and directories -------------------------------------------------------- */

void wr_split_path(const char *path, char *dir, size_t dsize, const char **base)
{
	const char *slash = strrchr(path, '/');

	if (!slash) {
		snprintf(dir, dsize, ".");
		*base = path;
	} else if (slash == path) {
		snprintf(dir, dsize, "/");
		*base = slash + 1;
	} else {
		snprintf(dir, dsize, "%.*s", (int)(slash - path), path);
		*base = slash + 1;
	}
}

int wr_fsync_dir(const char *dir, struct vnl_err *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return vnl_fail(err, "%s: cannot open the directory: %s", dir, strerror(errno));
	/* some file systems cannot fsync a directory; the data is then as safe
	 * as they make it */
	if (fsync(fd) < 0 && errno != EINVAL && errno != ENOTSUP)
		rc = vnl_fail(err, "%s: fsync of the directory failed: %s", dir, strerror(errno));
	close(fd);
	return rc;
}

int wr_mkdirs(const char *dir, mode_t mode, struct vnl_err *err)
{
	char buf[PATH_MAX];
	size_t i, n = strlen(dir);

	if (n == 0 || n >= sizeof(buf))
		return vnl_fail(err, "%s: not a usable directory name", dir);
	memcpy(buf, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return vnl_fail(err, "%s: cannot create: %s", buf, strerror(errno));
		buf[i] = i < n ? '/' : '\0';
	}
	return 0;
}

/* ---- the atomic replace --------------------------------------------------------------- */

/* fsync where pmxcfs may not implement it (FUSE then reports ENOSYS). */
static int sync_fd(int fd, bool pmxcfs)
{
	if (fsync(fd) == 0)
		return 0;
	return pmxcfs && (errno == ENOSYS || errno == EINVAL || errno == ENOTSUP) ? 0 : -1;
}

/* O_EXCL, as PVE's file_set_contents: a stale name (left by a killed
 * process of the same pid) is removed and the create retried, three times
 * at most (research/proxmox.md 4.3). */
static int open_tmp(const char *tmp, mode_t mode)
{
	int tries, fd = -1;

	for (tries = 0; tries < 3 && fd < 0; tries++) {
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
		if (fd < 0 && errno == EEXIST)
			unlink(tmp);
		else if (fd < 0)
			break;
	}
	return fd;
}

/* Mode and owner of the original, outside pmxcfs (where chmod and chown
 * fail for anything but its own modes, proxmox.md 4.1). */
static int keep_attrs(int fd, const struct wr_replace *o)
{
	if (o->pmxcfs || !o->keep)
		return 0;
	if ((o->keep->st_uid != geteuid() || o->keep->st_gid != getegid()) &&
	    fchown(fd, o->keep->st_uid, o->keep->st_gid) < 0)
		return -1;
	return fchmod(fd, o->keep->st_mode & 07777);
}

int wr_replace_file(const char *path, const char *data, size_t len, const struct wr_replace *o,
		    struct vnl_err *err)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 64];
	const char *base, *step = "create";
	int fd, e;

	wr_split_path(path, dir, sizeof(dir), &base);
	tmp_name(tmp, sizeof(tmp), dir, base);
	fd = open_tmp(tmp, o->pmxcfs ? 0640 : 0600);
	if (fd < 0)
		return vnl_fail(err, "%s: cannot create the temporary file %s: %s", path, tmp,
				strerror(errno));
	if (wr_write_all(fd, data, len) < 0)
		step = "write";
	else if (keep_attrs(fd, o) < 0)
		step = "keep the mode and owner of";
	else if (sync_fd(fd, o->pmxcfs) < 0)
		step = "fsync";
	else
		step = NULL;
	e = errno;
	if (close(fd) < 0 && !step) {
		step = "close";
		e = errno;
	}
	if (!step && rename(tmp, path) < 0) {
		step = "rename";
		e = errno;
	}
	if (step) {
		unlink(tmp);
		return vnl_fail(err, "%s: not changed: cannot %s the temporary file: %s", path, step,
				strerror(e));
	}
	/* pmxcfs replicates the rename itself; elsewhere the directory entry
	 * must reach the disk too */
	return o->pmxcfs ? 0 : wr_fsync_dir(dir, err);
}

/* ---- new files ----------------------------------------------------------------------------- */

int wr_create_new(const char *dir, const char *name, const char *ext, const char *data,
		  size_t len, char *chosen, size_t size, struct vnl_err *err)
{
	char tmp[PATH_MAX], dst[PATH_MAX];
	size_t stem = strlen(name) - strlen(ext);
	int fd, i, e = 0;

	tmp_name(tmp, sizeof(tmp), dir, name);
	fd = open_tmp(tmp, 0600);
	if (fd < 0)
		return vnl_fail(err, "%s: cannot create: %s", tmp, strerror(errno));
	if (wr_write_all(fd, data, len) < 0 || fsync(fd) < 0)
		e = errno;
	if (close(fd) < 0 && !e)
		e = errno;
	/* link() never replaces an existing name: the first free one wins */
	for (i = 0; !e && i < 1000; i++) {
		if (i == 0)
			snprintf(chosen, size, "%s", name);
		else
			snprintf(chosen, size, "%.*s-%d%s", (int)stem, name, i, ext);
		snprintf(dst, sizeof(dst), "%s/%s", dir, chosen);
		if (link(tmp, dst) == 0)
			break;
		if (errno != EEXIST)
			e = errno;
	}
	unlink(tmp);
	if (!e && i == 1000)
		e = EEXIST;
	if (e)
		return vnl_fail(err, "%s/%s: cannot write: %s", dir, name, strerror(e));
	return 0;
}

/* ---- locks ------------------------------------------------------------------------------------ */

int wr_lock(const char *path, double timeout, struct vnl_err *err)
{
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	double waited = 0;
	int fd;

	if (timeout < 0)
		timeout = env_number("VMNETLINT_TEST_LOCK_TIMEOUT", WR_LOCK_TIMEOUT);
	/* qemu-server opens its lock file for append, creating it (4.2) */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return vnl_fail(err, "%s: cannot open the lock file: %s", path, strerror(errno));
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			int e = errno;
			close(fd);
			return vnl_fail(err, "%s: cannot lock: %s", path, strerror(e));
		}
		if (waited >= timeout) {
			close(fd);
			return vnl_fail(err, "%s: still locked by another process after %.0f s "
					"(qemu-server or another vmnetlint)", path, timeout);
		}
		nanosleep(&nap, NULL);
		waited += 0.02;
	}
	return fd;
}

void wr_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing drops the flock */
}
