/* Stale temp files: see stale_tmp.h. */
#include "config.h"

#include "write/stale_tmp.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "write/file_fix.h"
#include "write/fileio.h"

/* "." NAME WR_TMP_TAG PID "." N, NAME not empty, PID and N decimal. */
bool wr_tmp_name_parse(const char *name, long *pid)
{
	const char *tag = NULL, *p, *dot;
	long long v;

	if (name[0] != '.')
		return false;
	for (p = strstr(name + 1, WR_TMP_TAG); p; p = strstr(p + 1, WR_TMP_TAG))
		tag = p;
	if (!tag || tag == name + 1)
		return false;
	p = tag + strlen(WR_TMP_TAG);
	dot = strchr(p, '.');
	if (!dot || dot == p || !dot[1] || !str_is_digits(dot + 1, strlen(dot + 1)) ||
	    strlen(dot + 1) > 10 || !str_to_ll(p, (size_t)(dot - p), false, &v) || v <= 0 ||
	    v > INT_MAX)
		return false;
	*pid = (long)v;
	return true;
}

static bool pid_alive(long pid)
{
	if ((pid_t)pid == getpid())
		return true;
	/* EPERM: it runs, as another user */
	return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

/* Inside pmxcfs, but not in this node's qemu-server directory? */
static bool other_node(const char *path)
{
	char dir[PATH_MAX], real[PATH_MAX], *full;
	const char *base;
	struct vnl_err err;
	bool inside = false;
	int rc;

	wr_split_path(path, dir, sizeof(dir), &base);
	if (!realpath(dir, real))
		return false;
	full = xasprintf("%s/%s", real, base);
	rc = pve_file_pmxcfs(full, &inside, &err);
	free(full);
	return inside && rc < 0;
}

enum wr_tmp_verdict wr_tmp_judge(const char *path, const char *name, long *pid)
{
	struct stat st;

	if (!wr_tmp_name_parse(name, pid) || lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return WR_TMP_NOT_OURS;
	if (other_node(path))
		return WR_TMP_OTHER_NODE;
	return pid_alive(*pid) ? WR_TMP_ALIVE : WR_TMP_STALE;
}

char *wr_tmp_describe(enum wr_tmp_verdict v, long pid)
{
	switch (v) {
	case WR_TMP_STALE:
		return xasprintf("a temporary file of a vmnetlint that was killed (PID %ld is gone); "
				 "the next --fix removes it", pid);
	case WR_TMP_ALIVE:
		return xasprintf("a temporary file of vmnetlint whose writer (PID %ld) still runs; "
				 "left alone", pid);
	case WR_TMP_OTHER_NODE:
		return xasprintf("a temporary file of vmnetlint on another node (PID %ld there); "
				 "left alone: --fix on that node removes it", pid);
	default:
		return xstrdup("not a temporary file of vmnetlint");
	}
}

int wr_tmp_remove(const char *path, struct vnl_err *err)
{
	const char *base = strrchr(path, '/');
	long pid;

	base = base ? base + 1 : path;
	/* judged again right before: a writer may have appeared since the scan */
	if (wr_tmp_judge(path, base, &pid) != WR_TMP_STALE)
		return 1;
	if (unlink(path) < 0 && errno != ENOENT)
		return vnl_fail(err, "%s: cannot remove the stale temporary file: %s", path,
				strerror(errno));
	return 0;
}

void wr_tmp_sweep_dir(const char *dir, wr_tmp_fn *fn, void *data)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		long pid;
		char *path;
		enum wr_tmp_verdict v;
		if (!wr_tmp_name_parse(de->d_name, &pid))
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		v = wr_tmp_judge(path, de->d_name, &pid);
		if (v != WR_TMP_NOT_OURS)
			fn(path, v, pid, data);
		free(path);
	}
	closedir(d);
}
