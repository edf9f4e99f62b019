#include "config.h"

#include "pve_tree.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

/* The name of the directory that holds path (without copying). */
static bool parent_is(const char *path, const char *name)
{
	const char *slash = strrchr(path, '/');
	size_t n = strlen(name);
	const char *p;

	if (!slash)
		return false;
	for (p = slash; p > path && p[-1] != '/'; p--)
		;
	return (size_t)(slash - p) == n && !memcmp(p, name, n);
}

bool pve_tree_wants(const char *path, const char *name)
{
	if (!str_has_suffix(name, ".conf"))
		return false;
	/* containers and the cluster's own files are not qemu configs */
	if (parent_is(path, "lxc") || parent_is(path, "openvz"))
		return false;
	return strcmp(name, "corosync.conf") != 0;
}

/* Only `<digits>.conf`, first digit 1-9, is a guest config in pmxcfs
 * (memdb.c name_is_vm_config). */
static bool vmid_from_name(const char *name, char *buf, size_t bufsize)
{
	size_t n = strlen(name);
	if (n <= 5 || !str_has_suffix(name, ".conf"))
		return false;
	n -= 5;
	if (n >= bufsize || name[0] == '0' || !str_is_digits(name, n))
		return false;
	memcpy(buf, name, n);
	buf[n] = '\0';
	return true;
}

void pve_tree_hint(const char *path, struct pve_conf_hint *hint, char *buf, size_t bufsize)
{
	const char *name = strrchr(path, '/');
	const char *q, *nodes;
	size_t half = bufsize / 2;

	name = name ? name + 1 : path;
	hint->vmid = NULL;
	hint->node = NULL;
	if (vmid_from_name(name, buf, half))
		hint->vmid = buf;
	else if (half > 0) {
		/* not a pmxcfs name: the file name without .conf identifies the VM */
		snprintf(buf, half, "%.*s", (int)(strlen(name) - (str_has_suffix(name, ".conf") ? 5 : 0)),
			 name);
		hint->vmid = buf;
	}
	/* .../nodes/<node>/qemu-server/<file> */
	q = strstr(path, "/qemu-server/");
	if (!q)
		return;
	for (nodes = q; nodes > path && nodes[-1] != '/'; nodes--)
		;
	if (nodes - path >= 7 && !strncmp(nodes - 6, "nodes/", 6) && q > nodes) {
		snprintf(buf + half, bufsize - half, "%.*s", (int)(q - nodes), nodes);
		hint->node = buf + half;
	}
}
