#include "config.h"

#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

/* The directories on the current path, to notice symlink loops. */
struct dir_stack {
	dev_t dev[64];
	ino_t ino[64];
	size_t n;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	if (n && dir[n - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

static void walk_dir(const char *path, const struct stat *st, struct dir_stack *stack,
		     const struct vnl_walk_ops *ops);

static void walk_entry(const char *path, const char *name, struct dir_stack *stack,
		       const struct vnl_walk_ops *ops)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		ops->error(path, strerror(errno), ops->data);
		return;
	}
	if (S_ISDIR(st.st_mode))
		walk_dir(path, &st, stack, ops);
	else if (S_ISREG(st.st_mode) && ops->want(path, name, ops->data))
		ops->file(path, ops->data);
}

static void walk_dir(const char *path, const struct stat *st, struct dir_stack *stack,
		     const struct vnl_walk_ops *ops)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL, **hidden = NULL;
	size_t n = 0, cap = 0, nh = 0, hcap = 0, i;

	for (i = 0; i < stack->n; i++) {
		if (stack->dev[i] == st->st_dev && stack->ino[i] == st->st_ino) {
			ops->error(path, "symbolic link loop; not followed", ops->data);
			return;
		}
	}
	if (stack->n == VNL_ARRAY_LEN(stack->dev)) {
		ops->error(path, "directories nested too deeply; not descended", ops->data);
		return;
	}
	d = opendir(path);
	if (!d) {
		ops->error(path, strerror(errno), ops->data);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		/* hidden entries: pmxcfs status files, editor and temp files */
		if (de->d_name[0] == '.') {
			if (ops->hidden && strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
				vnl_grow(&hidden, &hcap, nh + 1, sizeof(*hidden));
				hidden[nh++] = xstrdup(de->d_name);
			}
			continue;
		}
		vnl_grow(&names, &cap, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	if (nh > 1)
		qsort(hidden, nh, sizeof(*hidden), cmp_names);
	for (i = 0; i < nh; i++) {
		char *child = join(path, hidden[i]);
		ops->hidden(child, hidden[i], ops->data);
		free(child);
		free(hidden[i]);
	}
	free(hidden);

	stack->dev[stack->n] = st->st_dev;
	stack->ino[stack->n] = st->st_ino;
	stack->n++;
	for (i = 0; i < n; i++) {
		char *child = join(path, names[i]);
		walk_entry(child, names[i], stack, ops);
		free(child);
		free(names[i]);
	}
	stack->n--;
	free(names);
}

void vnl_walk(const char *path, const struct vnl_walk_ops *ops)
{
	struct dir_stack stack;
	struct stat st;

	stack.n = 0;
	if (stat(path, &st) < 0) {
		ops->error(path, strerror(errno), ops->data);
		return;
	}
	if (S_ISDIR(st.st_mode))
		walk_dir(path, &st, &stack, ops);
	else
		ops->file(path, ops->data);
}
