/* Proxmox SDN: /etc/pve/sdn/zones.cfg and vnets.cfg (and controllers.cfg,
 * where EVPN zones find their peers), in PVE's section-config format
 * (research/proxmox.md 5.5). Every vnet becomes a bridge of the network
 * environment, with the MTU and the overlay its zone gives it. */
#ifndef VNL_PVE_SDN_H
#define VNL_PVE_SDN_H

#include <stddef.h>

#include "netenv.h"
#include "pve_interfaces.h"

enum pve_sdn_file {
	PVE_SDN_ZONES,
	PVE_SDN_VNETS,
	PVE_SDN_CONTROLLERS,
};

struct pve_sdn;

struct pve_sdn *pve_sdn_new(void);
void pve_sdn_free(struct pve_sdn *sdn);

/* Parse one file: sections `TYPE: ID` followed by indented `KEY VALUE`
 * lines, a blank line between sections. Unknown zone types, values that are
 * not numbers or booleans where PVE wants them, and duplicate keys go to
 * rep with their place. Returns the number of errors reported. */
int pve_sdn_parse(struct pve_sdn *sdn, enum pve_sdn_file file, const char *origin,
		  const char *buf, size_t len, const struct pve_report *rep);

/* Add every vnet to env: a cluster-wide bridge (node NULL) named after the
 * vnet, with zone, overlay, MTU (the zone's `mtu`, else its default) and the
 * MTU under the overlay; and, for each node whose interfaces (hn, may be
 * NULL) tell more (the interface towards the VXLAN peers, the VLAN zone's
 * bridge), a bridge for that node. A vnet whose zone is missing is
 * reported. */
void pve_sdn_apply(const struct pve_sdn *sdn, const struct pve_hostnet *hn,
		   struct vnl_netenv *env, const struct pve_report *rep);

#endif
