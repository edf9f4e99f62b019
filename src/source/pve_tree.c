#include "config.h"

#include "pve_tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pve_firewall.h"
#include "pve_sdn.h"
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

/* ---- the network and firewall around the VMs ------------------------------ */

/* Far above any network or firewall file (pmxcfs holds at most 1 MiB). */
#define MAX_ENV_FILE (16u * 1024 * 1024)

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A context file that cannot be read is a note, not an error: the VMs are
 * the input (the same split as the API's 403/404/501 on context). */
#define CONTEXT_NOTE "; scanned without it (context, not an input)"

/* Not a regular file or too large is a hostile input, an error wherever it
 * is; a read that fails (EIO, ...) of a context file is a note. */
static int read_fd(int fd, const char *path, struct strbuf *sb, bool optional,
		   const struct pve_report *rep)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		pve_reportf(rep, VNL_SEV_ERROR, path, 0, 0, "not a regular file");
		return -1;
	}
	if ((unsigned long long)st.st_size > MAX_ENV_FILE) {
		pve_reportf(rep, VNL_SEV_ERROR, path, 0, 0, "%lld bytes is too large; not read",
			    (long long)st.st_size);
		return -1;
	}
	if (strbuf_read_fd(sb, fd, MAX_ENV_FILE) < 0) {
		if (errno == EFBIG) {
			pve_reportf(rep, VNL_SEV_ERROR, path, 0, 0, "grew too large while being read");
			return -1;
		}
		pve_reportf(rep, optional ? VNL_SEV_INFO : VNL_SEV_ERROR, path, 0, 0,
			    "cannot read: %s%s", strerror(errno), optional ? CONTEXT_NOTE : "");
		return optional ? -2 : -1;
	}
	return 1;
}

/* 1: read into sb; 0: the file is not there (and that is fine); -1: an
 * error, reported; -2 (optional files only): there but unreadable, noted. */
static int read_env_file(const char *path, struct strbuf *sb, bool optional,
			 const struct pve_report *rep)
{
	/* O_NONBLOCK: a FIFO is refused by read_fd instead of waiting for a writer */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	int rc;

	if (fd < 0) {
		if (optional && (errno == ENOENT || errno == ENOTDIR))
			return 0;
		pve_reportf(rep, optional ? VNL_SEV_INFO : VNL_SEV_ERROR, path, 0, 0,
			    "cannot open: %s%s", strerror(errno), optional ? CONTEXT_NOTE : "");
		return optional ? -2 : -1;
	}
	rc = read_fd(fd, path, sb, optional, rep);
	close(fd);
	return rc;
}

/* The gap a context file leaves (netenv.h): the rules then say "not checked". */
static void file_gap(struct vnl_netenv *env, enum vnl_context what, const char *node,
		     const char *path)
{
	char *why = xasprintf("%s is unreadable", path);
	vnl_netenv_add_gap(env, what, node, path, why);
	free(why);
}

bool pve_tree_root(const char *path, char *buf, size_t bufsize)
{
	size_t n = strlen(path), i, root = SIZE_MAX;
	char *probe;
	bool dir;

	while (n > 1 && path[n - 1] == '/')
		n--;
	probe = xasprintf("%.*s/nodes", (int)n, path);
	dir = is_dir(probe);
	free(probe);
	if (dir)
		return (size_t)snprintf(buf, bufsize, "%.*s", (int)n, path) < bufsize;
	for (i = 0; i + 5 <= n; i++)
		if ((i == 0 || path[i - 1] == '/') && !memcmp(path + i, "nodes", 5) &&
		    (i + 5 == n || path[i + 5] == '/'))
			root = i;
	if (root == SIZE_MAX)
		return false;
	if (root == 0)
		return (size_t)snprintf(buf, bufsize, ".") < bufsize;
	/* drop the slash before `nodes`, but keep `/` itself */
	return (size_t)snprintf(buf, bufsize, "%.*s", (int)(root > 1 ? root - 1 : 1), path) <
	       bufsize;
}

/* A component "firewall" or "sdn" next to a nodes/ directory. */
static bool under_context_dir(const char *path)
{
	static const char *const dirs[] = { "firewall", "sdn" };
	size_t i, k;

	for (i = 0; path[i]; i++) {
		if (i > 0 && path[i - 1] != '/')
			continue;
		for (k = 0; k < VNL_ARRAY_LEN(dirs); k++) {
			size_t n = strlen(dirs[k]);
			char *probe;
			bool dir;
			if (strncmp(path + i, dirs[k], n) || (path[i + n] && path[i + n] != '/'))
				continue;
			probe = xasprintf("%.*snodes", (int)i, path);
			dir = is_dir(probe);
			free(probe);
			if (dir)
				return true;
		}
	}
	return false;
}

bool pve_tree_is_context(const char *path)
{
	const char *name = strrchr(path, '/');

	/* nodes/<node>/interfaces */
	if (name && !strcmp(name + 1, "interfaces")) {
		const char *p = name;
		while (p > path && p[-1] != '/')
			p--;
		if (p - path >= 6 && !strncmp(p - 6, "nodes/", 6) &&
		    (p - path == 6 || p[-7] == '/'))
			return true;
	}
	return under_context_dir(path);
}

struct pve_env *pve_env_new(const char *const *interfaces, size_t ninterfaces)
{
	struct pve_env *pe = xcalloc(1, sizeof(*pe));
	char *dot;

	pve_hostnet_init(&pe->hostnet);
	pe->interfaces = interfaces;
	pe->ninterfaces = ninterfaces;
	pe->local_root = "/etc/pve";
	pe->local_interfaces = "/etc/network/interfaces";
	/* a Proxmox node is named by its short host name */
	if (gethostname(pe->local_node, sizeof(pe->local_node) - 1) != 0)
		pe->local_node[0] = '\0';
	if ((dot = strchr(pe->local_node, '.')) != NULL)
		*dot = '\0';
	return pe;
}

void pve_env_free(struct pve_env *pe)
{
	size_t i;

	if (!pe)
		return;
	for (i = 0; i < pe->nroots; i++)
		free(pe->roots[i]);
	free(pe->roots);
	free(pe->last_root);
	pve_hostnet_release(&pe->hostnet);
	free(pe);
}

/* `--interfaces [NODE=]FILE`: a node name never holds a slash. */
static void load_interfaces_spec(struct pve_env *pe, const char *spec,
				 const struct pve_report *rep)
{
	const char *eq = strchr(spec, '=');
	struct strbuf sb = STRBUF_INIT;
	char *node = NULL;
	const char *file = spec;

	if (eq && eq > spec && !memchr(spec, '/', (size_t)(eq - spec))) {
		node = xstrndup(spec, (size_t)(eq - spec));
		file = eq + 1;
	}
	if (read_env_file(file, &sb, false, rep) > 0)
		pve_interfaces_parse(&pe->hostnet, file, node, sb.buf, sb.len, rep);
	strbuf_release(&sb);
	free(node);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* <root>/nodes/<node>/interfaces, node by node in sorted order. */
static void load_node_interfaces(struct pve_env *pe, const char *root, struct vnl_netenv *env,
				 const struct pve_report *rep)
{
	char *dir = xasprintf("%s/nodes", root);
	struct strbuf sb = STRBUF_INIT;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d = opendir(dir);

	while (d && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		vnl_grow(&names, &cap, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	if (d)
		closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s/interfaces", dir, names[i]);
		int rc = read_env_file(path, &sb, true, rep);
		if (rc > 0)
			pve_interfaces_parse(&pe->hostnet, path, names[i], sb.buf, sb.len, rep);
		else if (rc == -2)
			file_gap(env, VNL_CTX_NODE_NETWORK, names[i], path);
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
	strbuf_release(&sb);
}

static bool same_dir(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	if (!strcmp(a, b))
		return true;
	return realpath(a, ra) && realpath(b, rb) && !strcmp(ra, rb);
}

/* On a Proxmox node (root /etc/pve) its own /etc/network/interfaces. */
static void load_local_interfaces(struct pve_env *pe, const char *root, struct vnl_netenv *env,
				  const struct pve_report *rep)
{
	struct strbuf sb = STRBUF_INIT;
	const char *node = pe->local_node[0] ? pe->local_node : NULL;
	int rc;

	if (!pe->local_root || !pe->local_interfaces || !same_dir(root, pe->local_root))
		return;
	rc = read_env_file(pe->local_interfaces, &sb, true, rep);
	if (rc > 0)
		pve_interfaces_parse(&pe->hostnet, pe->local_interfaces, node, sb.buf, sb.len, rep);
	else if (rc == -2)
		file_gap(env, VNL_CTX_NODE_NETWORK, node, pe->local_interfaces);
	strbuf_release(&sb);
}

static void load_sdn(struct pve_env *pe, const char *root, struct vnl_netenv *env,
		     const struct pve_report *rep)
{
	static const char *const files[] = { "zones.cfg", "vnets.cfg", "controllers.cfg" };
	static const enum pve_sdn_file kinds[] = { PVE_SDN_ZONES, PVE_SDN_VNETS,
						   PVE_SDN_CONTROLLERS };
	struct pve_sdn *sdn = pve_sdn_new();
	struct strbuf sb = STRBUF_INIT;
	bool any = false;
	size_t i;

	bool unreadable = false;

	for (i = 0; i < VNL_ARRAY_LEN(files); i++) {
		char *path = xasprintf("%s/sdn/%s", root, files[i]);
		int rc = read_env_file(path, &sb, true, rep);
		if (rc > 0) {
			pve_sdn_parse(sdn, kinds[i], path, sb.buf, sb.len, rep);
			any = true;
		} else if (rc == -2 && kinds[i] != PVE_SDN_CONTROLLERS) {
			/* vnets without their zones cannot be placed: a gap, not errors */
			file_gap(env, VNL_CTX_SDN, NULL, path);
			unreadable = true;
		}
		free(path);
	}
	if (any && !unreadable)
		pve_sdn_apply(sdn, &pe->hostnet, env, rep);
	pve_sdn_free(sdn);
	strbuf_release(&sb);
}

/* cluster.fw; a firewall directory without it means the datacenter
 * firewall was never enabled. */
static void load_cluster_fw(const char *root, struct vnl_netenv *env,
			    const struct pve_report *rep)
{
	char *dir = xasprintf("%s/firewall", root);
	char *path = xasprintf("%s/cluster.fw", dir);
	struct strbuf sb = STRBUF_INIT;
	int rc = read_env_file(path, &sb, true, rep);

	if (rc > 0) {
		pve_firewall_parse_cluster(path, sb.buf, sb.len, env, rep);
	} else if (rc == -2) {
		file_gap(env, VNL_CTX_CLUSTER_FIREWALL, NULL, path);
	} else if (rc == 0 && is_dir(dir)) {
		env->cluster_firewall.value = 0;
		env->cluster_firewall.loc.origin = arena_strdup(&env->arena, path);
	}
	strbuf_release(&sb);
	free(path);
	free(dir);
}

/* Has this root been loaded? Remembers it if not. */
static bool root_seen(struct pve_env *pe, const char *root)
{
	char real[PATH_MAX];
	const char *key = realpath(root, real) ? real : root;
	size_t i;

	for (i = 0; i < pe->nroots; i++)
		if (!strcmp(pe->roots[i], key))
			return true;
	vnl_grow(&pe->roots, &pe->roots_cap, pe->nroots + 1, sizeof(*pe->roots));
	pe->roots[pe->nroots++] = xstrdup(key);
	return false;
}

bool pve_tree_load_env(struct pve_env *pe, const char *root, struct vnl_netenv *env,
		       const struct pve_report *rep)
{
	bool more = false, new_root;
	size_t i;

	if (!pe->interfaces_loaded) {
		for (i = 0; i < pe->ninterfaces; i++)
			load_interfaces_spec(pe, pe->interfaces[i], rep);
		pe->interfaces_loaded = true;
		more = pe->ninterfaces > 0;
	}
	new_root = false;
	if (root && (!pe->last_root || strcmp(root, pe->last_root))) {
		free(pe->last_root);
		pe->last_root = xstrdup(root);
		new_root = !root_seen(pe, root);
	}
	if (new_root) {
		load_node_interfaces(pe, root, env, rep);
		load_local_interfaces(pe, root, env, rep);
	}
	if (more || new_root)
		pve_interfaces_apply(&pe->hostnet, env);
	if (new_root) {
		/* after the interfaces: a vnet's MTU depends on them */
		load_sdn(pe, root, env, rep);
		load_cluster_fw(root, env, rep);
	}
	return more || new_root;
}

/* Errors to the next reporter; notes dropped (already said once). */
static void forward_errors(void *data, enum vnl_severity sev, const struct vnl_loc *loc,
			   const char *msg)
{
	const struct pve_report *next = data;
	if (sev != VNL_SEV_INFO && next && next->fn)
		next->fn(next->data, sev, loc, msg);
}

void pve_tree_vm_firewall(const char *conf_path, struct vnl_vm *vm, struct vnl_netenv *env,
			  const struct pve_report *rep)
{
	struct pve_report errors_only = { forward_errors, (void *)rep };
	bool noted;
	struct strbuf sb = STRBUF_INIT;
	char root[PATH_MAX];
	char *dir, *path;
	int rc;

	if (!vm->id || !vm->node || !str_is_digits(vm->id, strlen(vm->id)) ||
	    !pve_tree_root(conf_path, root, sizeof(root)))
		return;
	dir = xasprintf("%s/firewall", root);
	if (is_dir(dir)) {
		path = xasprintf("%s/%s.fw", dir, vm->id);
		/* one note per node, not per VM, when they cannot be read */
		noted = env && vnl_netenv_gap(env, VNL_CTX_VM_FIREWALL, vm->node) >= 0;
		rc = read_env_file(path, &sb, true, noted ? &errors_only : rep);
		if (rc == -2 && env)
			file_gap(env, VNL_CTX_VM_FIREWALL, vm->node, path);
		if (rc > 0)
			pve_firewall_parse_vm(path, sb.buf, sb.len, vm, rep);
		else if (rc == 0)
			pve_firewall_vm_defaults(vm);
		free(path);
	}
	free(dir);
	strbuf_release(&sb);
}
