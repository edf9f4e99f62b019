/* Proxmox specifics of writing a config file: pmxcfs and qemu-server's
 * lock (research/proxmox.md 4.1, 4.2). */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "write/file_fix.h"
#include "write/fileio.h"

static const char *pmxcfs_root(void)
{
	const char *test = getenv("VMNETLINT_TEST_PMXCFS_ROOT");
	return test && *test ? test : PVE_PMXCFS_ROOT;
}

/* The short host name: pmxcfs names a node's directory after it. */
static void node_name(char *buf, size_t size)
{
	char *dot;
	if (gethostname(buf, size) < 0)
		buf[0] = '\0';
	buf[size - 1] = '\0';
	if ((dot = strchr(buf, '.')) != NULL)
		*dot = '\0';
}

int pve_file_pmxcfs(const char *real, bool *inside, struct vnl_err *err)
{
	char root[PATH_MAX], host[256], *own;
	const char *r = pmxcfs_root();
	size_t rn;
	int rc = 0;

	/* the root may itself be reached through a link */
	if (!realpath(r, root))
		snprintf(root, sizeof(root), "%s", r);
	rn = strlen(root);
	*inside = !strncmp(real, root, rn) && real[rn] == '/';
	if (!*inside)
		return 0;
	/* only this node's VMs: PVE's own writers lock on the owner node, and
	 * the lock is node-local (4.2); /etc/pve/qemu-server resolves here */
	node_name(host, sizeof(host));
	own = xasprintf("%s/nodes/%s/qemu-server/", root, host);
	if (strncmp(real, own, strlen(own)) || strchr(real + strlen(own), '/'))
		rc = vnl_fail(err, "%s belongs to another node than this one (%s): fix it on its "
			      "node, or through the API (--pve)", real, host);
	free(own);
	return rc;
}

char *pve_file_lock_path(const char *lock_dir, const char *real)
{
	const char *base = strrchr(real, '/');
	size_t n;
	char *name, *path;

	base = base ? base + 1 : real;
	n = strlen(base);
	/* qemu-server: lock-<vmid>.conf (QemuConfig.pm, 4.2) */
	if (n > 5 && str_has_suffix(base, ".conf") && base[0] != '0' && str_is_digits(base, n - 5))
		return xasprintf("%s/lock-%s", lock_dir, base);
	name = xstrdup(base);
	for (n = 0; name[n]; n++)
		if (name[n] == '/' || name[n] == '.')
			name[n] = '_';
	path = xasprintf("%s/lock-%s", lock_dir, name);
	free(name);
	return path;
}
