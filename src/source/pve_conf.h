/* The qemu-server config file (/etc/pve/qemu-server/<vmid>.conf),
 * research/proxmox.md 1-3. */
#ifndef VNL_PVE_CONF_H
#define VNL_PVE_CONF_H

#include <stddef.h>

#include "model.h"

struct pve_conf_hint {
	const char *vmid; /* from the file name, or NULL */
	const char *node; /* from the pmxcfs path, or NULL */
};

/* Parse a whole config. Always returns a VM: what PVE would warn about or
 * drop is recorded as problems on it, with line and column. */
struct vnl_vm *pve_conf_parse(const char *origin, const char *buf, size_t len,
			      const struct pve_conf_hint *hint);

/* One config key and its value as text (an API answer). */
struct pve_conf_pair {
	const char *key;
	const char *value;
};

/* The same checks and model from the PVE API's view of a config: current
 * holds GET .../config?current=1 (without `digest`; description decoded),
 * pending the [PENDING] values of GET .../pending plus, for deletions, one
 * `delete` pair ("net2,!net3"). The VM is VNL_SRC_PVE_API; every place is
 * "<origin>#<key>" with line 0, so findings name the key. The caller's
 * strings are not kept. */
struct vnl_vm *pve_conf_from_pairs(const char *origin, const struct pve_conf_pair *current,
				   size_t ncurrent, const struct pve_conf_pair *pending,
				   size_t npending, const struct pve_conf_hint *hint);

#endif
