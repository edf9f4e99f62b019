/* Recursive, sorted, loop-safe directory walk. */
#ifndef VNL_WALK_H
#define VNL_WALK_H

#include <stdbool.h>

struct vnl_walk_ops {
	/* Should this file (reached through a directory) be scanned? */
	bool (*want)(const char *path, const char *name, void *data);
	/* Called for each wanted regular file, in sorted order. */
	void (*file)(const char *path, void *data);
	/* A directory or file that could not be read: one line, naming it. */
	void (*error)(const char *path, const char *msg, void *data);
	void *data;
	/* Called for each hidden entry (".name"), which is never scanned;
	 * NULL: hidden entries are skipped unseen. */
	void (*hidden)(const char *path, const char *name, void *data);
};

/* Walk path: a file is passed to ops->file whatever its name; a directory
 * is descended. Symbolic links to directories are followed once; a link
 * loop is reported, not followed. */
void vnl_walk(const char *path, const struct vnl_walk_ops *ops);

#endif
