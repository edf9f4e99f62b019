/* Proxmox firewall files: the datacenter's /etc/pve/firewall/cluster.fw and
 * a VM's /etc/pve/firewall/<vmid>.fw (research/proxmox.md 7.3). Only the
 * [OPTIONS] section is read: whether the firewall is on and whether the VM's
 * MAC filter drops frames from other MACs (CARP/VRRP virtual MACs). */
#ifndef VNL_PVE_FIREWALL_H
#define VNL_PVE_FIREWALL_H

#include <stddef.h>

#include "model.h"
#include "netenv.h"
#include "pve_interfaces.h" /* struct pve_report */

/* cluster.fw: `enable` fills env->cluster_firewall (value and place; 0 when
 * the file does not say). Returns the number of errors reported. */
int pve_firewall_parse_cluster(const char *origin, const char *buf, size_t len,
			       struct vnl_netenv *env, const struct pve_report *rep);

/* <vmid>.fw: `enable` and `macfilter` fill vm->fw_enable and
 * vm->fw_macfilter (raw text and place), unset ones keep PVE's defaults;
 * fw_known becomes true. The VM's pending view gets the same. Returns the
 * number of errors reported. */
int pve_firewall_parse_vm(const char *origin, const char *buf, size_t len, struct vnl_vm *vm,
			  const struct pve_report *rep);

/* The firewall directory exists but the VM has no .fw file: PVE's defaults,
 * VM firewall off and MAC filter on (research/proxmox.md 7.3); fw_known. */
void pve_firewall_vm_defaults(struct vnl_vm *vm);

#endif
