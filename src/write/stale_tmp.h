/* Temp files a killed vmnetlint left behind: ".<name>.vnl-tmp.<pid>.<n>"
 * (write/fileio.c) next to a config it was replacing, or in the backup
 * store. Only that exact pattern is ever judged, and only a temp whose
 * writer PID is gone is stale: a live PID (any process: the PID may have
 * been reused) is left alone. Inside pmxcfs (/etc/pve) a temp in another
 * node's directory was written there (vmnetlint writes only its own
 * node's configs, research/proxmox.md 4.2), so its PID means nothing
 * here: it is left to that node. */
#ifndef VNL_WRITE_STALE_TMP_H
#define VNL_WRITE_STALE_TMP_H

#include <stdbool.h>

#include "util.h"

enum wr_tmp_verdict {
	WR_TMP_NOT_OURS,   /* not vmnetlint's pattern, or not a regular file: never touched */
	WR_TMP_STALE,      /* its writer is gone: --fix removes it */
	WR_TMP_ALIVE,      /* its writer's PID runs: left alone */
	WR_TMP_OTHER_NODE, /* pmxcfs, another node's directory: left to that node */
};

/* Does name follow the pattern? *pid gets the writer's PID. */
bool wr_tmp_name_parse(const char *name, long *pid);
/* The verdict on path (whose last component is name). */
enum wr_tmp_verdict wr_tmp_judge(const char *path, const char *name, long *pid);
/* One line on a temp that is not removed: "... (PID N still runs); left alone". */
char *wr_tmp_describe(enum wr_tmp_verdict v, long pid);
/* Remove path if it is still stale. 0 removed; 1 no longer stale (or
 * gone); -1 with err. */
int wr_tmp_remove(const char *path, struct vnl_err *err);

/* Every hidden entry of dir that follows the pattern (a missing dir has
 * none). */
typedef void wr_tmp_fn(const char *path, enum wr_tmp_verdict v, long pid, void *data);
void wr_tmp_sweep_dir(const char *dir, wr_tmp_fn *fn, void *data);

#endif
