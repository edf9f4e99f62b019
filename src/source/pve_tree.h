/* Where Proxmox keeps VM configs: the pmxcfs layout (research/proxmox.md 4.1). */
#ifndef VNL_PVE_TREE_H
#define VNL_PVE_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "pve_conf.h"

#define PVE_DEFAULT_ROOT "/etc/pve/nodes"

/* Is a file met in a directory walk a qemu config? */
bool pve_tree_wants(const char *path, const char *name);

/* Fill hint from path: vmid from `<digits>.conf`, node from
 * `nodes/<node>/qemu-server/`. Strings point into buf. */
void pve_tree_hint(const char *path, struct pve_conf_hint *hint, char *buf, size_t bufsize);

#endif
