/* The file primitives every writer and the backup store share: whole-file
 * reads, the atomic replace (temp file in the same directory, fsync,
 * rename), new files that never overwrite, flock with a timeout.
 *
 * Test-only hooks (environment, never documented for users):
 *   VMNETLINT_TEST_WRITE_LIMIT=N   writes fail with ENOSPC once this process
 *                                  has written N bytes (a full disk)
 *   VMNETLINT_TEST_LOCK_TIMEOUT=S  the lock timeout in seconds (default 10)
 *   VMNETLINT_TEST_PAUSE_BEFORE_WRITE=S
 *                                  every writer sleeps S seconds between the
 *                                  scan and taking its lock, so a test can
 *                                  change the config meanwhile
 *   VMNETLINT_TEST_PAUSE_FLAG=PATH  ... and creates PATH when the pause
 *                                  starts: the test acts on that, not on a
 *                                  guess of how long the scan takes
 *   VMNETLINT_TEST_PMXCFS_ROOT=DIR treat DIR as /etc/pve (pmxcfs rules) */
#ifndef VNL_WRITE_FILEIO_H
#define VNL_WRITE_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "util.h"

/* As scan.c: far above anything pmxcfs (1 MiB) or libvirt holds. */
#define WR_MAX_FILE (16u * 1024 * 1024)

/* qemu-server's lock_config timeout (research/proxmox.md 4.2). */
#define WR_LOCK_TIMEOUT 10.0

/* Temp files are hidden, so no scan reads them: ".<name>.vnl-tmp.<pid>.<n>". */
#define WR_TMP_TAG ".vnl-tmp."

/* The whole file into out (NUL-terminated) and its stat into st (may be
 * NULL). 0; 1 when it does not exist; -1 with err. */
int wr_read_file(const char *path, struct strbuf *out, struct stat *st, struct vnl_err *err);

/* How to replace a file. */
struct wr_replace {
	bool pmxcfs;         /* inside /etc/pve: no chmod or chown (proxmox.md 4.1) */
	const struct stat *keep; /* give the new file this mode and owner; NULL: 0600 */
};

/* Replace path (a real path, no symlink) with data: write a hidden temp
 * file next to it, fsync it, rename it over path, fsync the directory. The
 * original is untouched on any failure and the temp file removed. */
int wr_replace_file(const char *path, const char *data, size_t len, const struct wr_replace *o,
		    struct vnl_err *err);

/* A new file dir/name (mode 0600) holding data, fsynced; never replaces an
 * existing file: when name is taken, "-1", "-2", ... is put before its
 * extension (ext, such as ".conf", must end name). The name chosen goes to
 * chosen (size bytes). The directory is not fsynced: call wr_fsync_dir. */
int wr_create_new(const char *dir, const char *name, const char *ext, const char *data,
		  size_t len, char *chosen, size_t size, struct vnl_err *err);

int wr_fsync_dir(const char *dir, struct vnl_err *err);
/* mkdir -p with mode for the directories it creates. */
int wr_mkdirs(const char *dir, mode_t mode, struct vnl_err *err);

/* flock(LOCK_EX) on path (created when missing, as qemu-server's
 * lock_file_full does, proxmox.md 4.2), waiting up to timeout seconds
 * (< 0: WR_LOCK_TIMEOUT or the test hook). The fd, or -1 with err. */
int wr_lock(const char *path, double timeout, struct vnl_err *err);
void wr_unlock(int fd);

/* The test pause (VMNETLINT_TEST_PAUSE_BEFORE_WRITE), if set. */
void wr_test_pause(void);

/* write(2) all of it, subject to the test write limit. */
int wr_write_all(int fd, const char *data, size_t len);

/* dirname and basename of a path, into the caller's buffers. */
void wr_split_path(const char *path, char *dir, size_t dsize, const char **base);

#endif
