/* A Proxmox node's network configuration: the Debian/ifupdown2
 * /etc/network/interfaces file (research/proxmox.md 5.4), read into the
 * neutral network environment. Also how the Proxmox network and firewall
 * sources (this one, pve_sdn, pve_firewall) report problems in their files:
 * library code never prints, it hands each problem to a callback. */
#ifndef VNL_PVE_INTERFACES_H
#define VNL_PVE_INTERFACES_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "netenv.h"

/* One problem in a network or firewall file. VNL_SEV_INFO is a note (a line
 * vmnetlint does not follow, such as `source`); WARNING and ERROR mean a
 * value could not be used. loc->line/col are 0 when the whole file is meant. */
typedef void pve_report_fn(void *data, enum vnl_severity sev, const struct vnl_loc *loc,
			   const char *msg);

struct pve_report {
	pve_report_fn *fn; /* NULL: problems are dropped */
	void *data;
};

void pve_reportf(const struct pve_report *rep, enum vnl_severity sev, const char *origin,
		 unsigned line, unsigned col, const char *fmt, ...) VNL_PRINTF(6, 7);

enum pve_iface_kind {
	PVE_IF_ETH,        /* physical NIC, or anything the file does not type */
	PVE_IF_BRIDGE,     /* bridge-ports */
	PVE_IF_OVS_BRIDGE, /* ovs_type OVSBridge */
	PVE_IF_BOND,       /* bond-slaves, bond-mode, ovs_type OVSBond */
	PVE_IF_VLAN,       /* eno1.20, vlan-raw-device */
	PVE_IF_VXLAN,      /* vxlan-id (an ifupdown2 vxlan device) */
	PVE_IF_LOOPBACK,   /* `inet loopback`: never a VM's bridge */
};

/* One interface as the file describes it (all `iface NAME ...` stanzas of
 * that name merged, as ifupdown2 does). Strings live in the hostnet's arena. */
struct pve_iface {
	const char *name;
	const char *node;   /* NULL = the file applies to every node */
	struct vnl_loc loc; /* the first `iface` line */
	enum pve_iface_kind kind;
	struct vnl_int mtu;       /* `mtu` or `ovs_mtu` as written */
	const char *ports;        /* bridge-ports, bond-slaves or ovs_ports as written */
	const char *raw_device;   /* VLAN: vlan-raw-device, or the name before the dot */
	const char *addresses;    /* address lines without prefix length, space-separated */
	const char *vxlan_local_ip; /* vxlan-local-tunnelip */
	const char *vxlan_physdev;  /* vxlan-physdev */
	const char *bond_master;    /* bond-master (slaves naming their bond) */
	bool vlan_aware;            /* bridge-vlan-aware yes */
	bool mac_learning_off;      /* bridge-disable-mac-learning 1 */
};

/* Every interfaces file read for a scan, node by node. */
struct pve_hostnet {
	struct pve_iface *ifaces;
	size_t n, cap;
	struct arena arena;
};

void pve_hostnet_init(struct pve_hostnet *hn);
void pve_hostnet_release(struct pve_hostnet *hn);

/* Parse one interfaces file of node (NULL: every node) into hn. Problems
 * (an invalid mtu, an option outside a stanza, ...) go to rep with their
 * line and column; `source` lines are noted (VNL_SEV_INFO) and not followed.
 * Returns the number of errors and warnings reported. */
int pve_interfaces_parse(struct pve_hostnet *hn, const char *origin, const char *node,
			 const char *buf, size_t len, const struct pve_report *rep);

/* Add every interface of hn (except loopback) to env as a vnl_bridge: name,
 * node, mtu as written and its default, ports, VLAN awareness, MAC learning,
 * and the overlay it is built on (VXLAN device, VLAN device) with the MTU
 * of the interface under it. Safe to call again after more files. */
void pve_interfaces_apply(const struct pve_hostnet *hn, struct vnl_netenv *env);

/* The interface name means on node: the node's own first, then one from a
 * file for every node. node NULL: only files for every node. */
const struct pve_iface *pve_hostnet_find(const struct pve_hostnet *hn, const char *name,
					 const char *node);
/* The interface on node (same lookup order) that holds IP address ip. */
const struct pve_iface *pve_hostnet_by_address(const struct pve_hostnet *hn, const char *ip,
					       const char *node);
/* The MTU of an interface: as written, else what it gets by default. */
int pve_hostnet_mtu(const struct pve_hostnet *hn, const struct pve_iface *ifc);

#endif
