/* Where Proxmox keeps VM configs: the pmxcfs layout (research/proxmox.md 4.1). */
#ifndef VNL_PVE_TREE_H
#define VNL_PVE_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "pve_conf.h"
#include "pve_interfaces.h"

#define PVE_DEFAULT_ROOT "/etc/pve/nodes"

/* Is a file met in a directory walk a qemu config? */
bool pve_tree_wants(const char *path, const char *name);

/* Fill hint from path: vmid from `<digits>.conf`, node from
 * `nodes/<node>/qemu-server/`. Strings point into buf. */
void pve_tree_hint(const char *path, struct pve_conf_hint *hint, char *buf, size_t bufsize);

/* Is path context of a pmxcfs tree (<root>/firewall/..., <root>/sdn/...,
 * <root>/nodes/<node>/interfaces)? pve_tree_load_env notes what of it
 * cannot be read; a directory walk need not report it again. */
bool pve_tree_is_context(const char *path);

/* ---- the network and firewall around the VMs ------------------------------ */

/* The pmxcfs root that holds path: path itself when it contains a `nodes/`
 * directory, else the part before its last `nodes` component
 * (`/etc/pve/nodes` and `x/nodes/pve1/qemu-server/101.conf` -> `/etc/pve`,
 * `x`). False when path is not in such a tree. */
bool pve_tree_root(const char *path, char *buf, size_t bufsize);

/* What a scan remembers between paths: the interfaces files read so far
 * and the roots already loaded. */
struct pve_env {
	struct pve_hostnet hostnet;
	char **roots;
	size_t nroots, roots_cap;
	char *last_root; /* as given last time: skips realpath for each VM */
	const char *const *interfaces; /* --interfaces [NODE=]FILE */
	size_t ninterfaces;
	bool interfaces_loaded;
	/* The local node: when the root is local_root (/etc/pve), the node's
	 * own local_interfaces (/etc/network/interfaces) is read for
	 * local_node (the short host name). Tests point these elsewhere. */
	const char *local_root;
	const char *local_interfaces;
	char local_node[256];
};

struct pve_env *pve_env_new(const char *const *interfaces, size_t ninterfaces);
void pve_env_free(struct pve_env *pe);

/* Load, before any VM of the tree is checked and once per root: the
 * --interfaces files, <root>/nodes/<node>/interfaces (a copy of the node's
 * /etc/network/interfaces, a vmnetlint convention), the local node's
 * /etc/network/interfaces when root is /etc/pve, <root>/sdn/zones.cfg,
 * vnets.cfg and controllers.cfg, and <root>/firewall/cluster.fw. root NULL:
 * only the --interfaces files. Problems go to rep, the loading goes on; a
 * file of the tree that is there but cannot be read is a note (INFO) and a
 * gap in env (netenv.h), not an error. --interfaces files stay inputs.
 * True when env changed (bridges may have been replaced). */
bool pve_tree_load_env(struct pve_env *pe, const char *root, struct vnl_netenv *env,
		       const struct pve_report *rep);

/* The VM's firewall options from <root>/firewall/<vmid>.fw when conf_path
 * is <root>/nodes/<node>/qemu-server/<vmid>.conf; PVE's defaults when the
 * firewall directory exists without that file; nothing (fw_known stays
 * false) when there is no firewall directory. A file there that cannot be
 * read is a note and a gap in env (once per node; env may be NULL). */
void pve_tree_vm_firewall(const char *conf_path, struct vnl_vm *vm, struct vnl_netenv *env,
			  const struct pve_report *rep);

#endif
