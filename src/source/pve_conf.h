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

#endif
