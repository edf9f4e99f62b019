/* The network around the VMs: bridges, vnets and libvirt networks with
 * their MTU and the overlay they carry, as far as the inputs tell. Filled by
 * sources (interfaces files, SDN config, libvirt <network>), read by rules
 * through nic lookups. Neutral like the model: no source syntax here. */
#ifndef VNL_NETENV_H
#define VNL_NETENV_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

enum vnl_overlay {
	VNL_OVERLAY_NONE,
	VNL_OVERLAY_VLAN,  /* 802.1Q: costs frame bytes, not IP MTU */
	VNL_OVERLAY_QINQ,  /* Proxmox says lower the MTU by 4 */
	VNL_OVERLAY_VXLAN, /* also EVPN */
	VNL_OVERLAY_GENEVE,
	VNL_OVERLAY_WIREGUARD,
	VNL_OVERLAY_GRE,
	VNL_OVERLAY_GRETAP,
	VNL_OVERLAY_IPSEC,
	VNL_OVERLAY_NETBIRD,
	VNL_OVERLAY_TAILSCALE,
	VNL_OVERLAY__COUNT,
};
const char *vnl_overlay_name(enum vnl_overlay o);
/* "wireguard" -> VNL_OVERLAY_WIREGUARD; VNL_OVERLAY__COUNT if unknown. */
enum vnl_overlay vnl_overlay_from_name(const char *name);

enum vnl_ip_family { VNL_FAMILY_UNKNOWN, VNL_FAMILY_IPV4, VNL_FAMILY_IPV6 };

/* Bytes an encapsulation takes from the underlay's IP MTU
 * (research/network.md section 0); unknown family = the IPv6 figure. */
int vnl_overlay_overhead(enum vnl_overlay o, enum vnl_ip_family family);

/* A bridge (PVE vmbrN, SDN vnet, OVS bridge) or a libvirt network. */
struct vnl_bridge {
	const char *name;
	const char *node;       /* PVE node; NULL = valid on every node */
	struct vnl_int mtu;     /* as configured; raw NULL = not written */
	int mtu_default;        /* what the MTU is when not written (0 = unknown) */
	bool vlan_aware;
	bool mac_learning_off;  /* bridge-disable-mac-learning */
	bool arp_nd_suppression; /* EVPN: floating IPs (CARP) need it off */
	enum vnl_overlay overlay; /* what the bridge itself is built on */
	int underlay_mtu;       /* MTU of the path under the overlay; 0 = unknown */
	enum vnl_ip_family underlay_family;
	const char *zone;       /* SDN zone, libvirt forward mode, ... */
	const char *ports;      /* bridge ports as written */
	struct vnl_loc loc;     /* where it is defined */
};

/* A tri-state setting with its place (datacenter firewall, ...). */
struct vnl_setting {
	int value;  /* 1, 0, or -1 when the inputs do not say */
	struct vnl_loc loc;
};

/* Context a source could not read (HTTP 403/404/501, an unreadable file):
 * not an error, but the rules that needed it say "not checked" once
 * instead of guessing (rule.h vnl_not_checked). */
enum vnl_context {
	VNL_CTX_CLUSTER_FIREWALL, /* datacenter firewall options */
	VNL_CTX_VM_FIREWALL,      /* the VMs' own firewall options */
	VNL_CTX_SDN,              /* SDN zones, vnets, controllers */
	VNL_CTX_NODE_NETWORK,     /* a node's bridges and their MTU */
	VNL_CTX__COUNT,
};
/* "firewall options", "VM firewall options", "SDN", "node network". */
const char *vnl_context_name(enum vnl_context what);

struct vnl_context_gap {
	enum vnl_context what;
	const char *node;   /* NULL = the whole cluster */
	const char *origin; /* what could not be read, for the note's place */
	const char *why;    /* "403 on /cluster/firewall/options" */
};

struct vnl_netenv {
	struct vnl_bridge *bridges;
	size_t n, cap;
	/* Datacenter firewall (cluster.fw [OPTIONS] enable); -1 = unknown. */
	struct vnl_setting cluster_firewall;
	struct vnl_context_gap *gaps;
	size_t ngaps, gaps_cap;
	struct arena arena;
};

void vnl_netenv_init(struct vnl_netenv *env);
void vnl_netenv_release(struct vnl_netenv *env);
/* Add (or replace: same name and node) a bridge; strings are copied. */
struct vnl_bridge *vnl_netenv_add(struct vnl_netenv *env, const char *name, const char *node,
				  const char *origin, unsigned line);
/* The bridge a name means on a node: the node's own first, then a
 * cluster-wide one. NULL if the inputs never mentioned it. */
const struct vnl_bridge *vnl_netenv_find(const struct vnl_netenv *env, const char *name,
					 const char *node);
/* Record that a context could not be read (strings are copied); a second
 * gap of the same kind and node is not added. The gap's index. */
size_t vnl_netenv_add_gap(struct vnl_netenv *env, enum vnl_context what, const char *node,
			  const char *origin, const char *why);
/* The gap that covers what on node (its own, else a cluster-wide one), or
 * -1 when that context was read (or never asked for). */
long vnl_netenv_gap(const struct vnl_netenv *env, enum vnl_context what, const char *node);

/* The MTU of a bridge: as written, else its default; 0 = unknown. */
int vnl_bridge_mtu(const struct vnl_bridge *br);

#endif
