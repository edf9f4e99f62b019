/* The neutral model: what every source produces and every rule reads.
 *
 * A scan holds VMs, a VM holds NICs. Every value a rule may read carries
 * where it came from (origin, line, column) and the text it was written as,
 * so that a finding can point at it and a writer can change exactly that
 * text. Nothing here knows Proxmox or libvirt syntax. */
#ifndef VNL_MODEL_H
#define VNL_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

enum vnl_source_kind {
	VNL_SRC_PVE_FILE,
	VNL_SRC_PVE_API,
	VNL_SRC_LIBVIRT_XML,
	VNL_SRC_LIBVIRT_LIVE,
};
const char *vnl_source_kind_name(enum vnl_source_kind kind);

/* Where a value was written. line and col are 1-based; 0 means unknown. */
struct vnl_loc {
	const char *origin; /* file path or URI; owned by the VM */
	unsigned line;
	unsigned col;
};

/* A written value. raw == NULL means "not set in the input". */
struct vnl_text {
	const char *raw;
	struct vnl_loc loc;
};

struct vnl_int {
	long long value;
	const char *raw;
	struct vnl_loc loc;
};

struct vnl_flag {
	bool value;
	const char *raw;
	struct vnl_loc loc;
};

#define VNL_SET(v) ((v).raw != NULL)

enum vnl_nic_family {
	VNL_NIC_UNKNOWN,  /* no model given: the hypervisor picks one */
	VNL_NIC_VIRTIO,   /* virtio-net: the only model with mtu/queues/offloads */
	VNL_NIC_EMULATED, /* e1000, rtl8139, ne2k, pcnet, i8255x, vmxnet3 */
	VNL_NIC_PASSTHROUGH,
};

/* virtio-net offload switches (libvirt <driver><host/><guest/>). */
enum vnl_offload {
	VNL_OFF_CSUM,
	VNL_OFF_GSO,
	VNL_OFF_TSO4,
	VNL_OFF_TSO6,
	VNL_OFF_ECN,
	VNL_OFF_UFO,
	VNL_OFF_MRG_RXBUF,
	VNL_OFF__COUNT,
};
const char *vnl_offload_name(enum vnl_offload o);

/* What a NIC will look like after a pending change (Proxmox [PENDING]). */
enum vnl_pending {
	VNL_PENDING_NONE,
	VNL_PENDING_CHANGED,
	VNL_PENDING_DELETED,
};

struct vnl_nic {
	const char *key;    /* "net0"; libvirt: "interface 1" */
	unsigned index;     /* position among the VM's NICs */
	struct vnl_loc loc; /* the NIC's definition (the net line, <interface>) */
	const char *raw;    /* the whole definition as written (PVE value) */

	struct vnl_text model;
	enum vnl_nic_family family;
	struct vnl_text type; /* libvirt interface type: bridge, network, ... */
	struct vnl_text mac;
	struct vnl_text bridge; /* bridge, network or device the NIC attaches to */
	struct vnl_int vlan_tag;
	struct vnl_text trunks;
	struct vnl_int mtu; /* as written */
	struct vnl_int queues;
	struct vnl_text rate;
	struct vnl_flag firewall;
	struct vnl_flag link_down;
	struct vnl_flag host_tunnel; /* PVE host-tunnel (UDP tunnel GSO) */

	/* libvirt <driver> */
	struct vnl_text driver_name; /* vhost | qemu */
	struct vnl_int rx_queue_size;
	struct vnl_int tx_queue_size;
	struct vnl_flag host_offload[VNL_OFF__COUNT];
	struct vnl_flag guest_offload[VNL_OFF__COUNT];

	enum vnl_pending pending;
	struct vnl_loc pending_loc;
};

enum vnl_role {
	VNL_ROLE_FIREWALL, /* pf-based firewall: OPNsense, pfSense, FreeBSD pf */
	VNL_ROLE_PFSYNC,   /* CARP/pfsync HA member */
	VNL_ROLE_ROUTER,
	VNL_ROLE_OVERLAY, /* the guest terminates WireGuard/VXLAN/... */
	VNL_ROLE_LINUX,   /* evidence that the guest is Linux (never pf) */
	VNL_ROLE__COUNT,
};
const char *vnl_role_name(enum vnl_role role);

/* Why a VM has a role: human-readable evidence ("tag 'carp'"). */
struct vnl_evidence {
	const char **items;
	size_t n, cap;
};

enum vnl_severity {
	VNL_SEV_INFO,
	VNL_SEV_WARNING,
	VNL_SEV_ERROR,
};
const char *vnl_severity_name(enum vnl_severity sev);

/* Something the source could not accept: becomes a VNL000 finding. */
struct vnl_problem {
	struct vnl_loc loc;
	enum vnl_severity severity;
	const char *nic_key; /* the NIC concerned, or NULL */
	const char *message;
};

/* "Do not report rule here", with the reason the user gave. */
struct vnl_suppression {
	const char *rule;   /* id or name as written */
	const char *reason; /* NULL if none given */
	struct vnl_loc loc;
};

struct vnl_vm {
	enum vnl_source_kind kind;
	const char *origin; /* file path or URI of the definition */
	const char *id;     /* vmid, libvirt UUID or name */
	const char *uuid;   /* libvirt <uuid>; NULL elsewhere */
	const char *name;
	const char *node;
	const char *title;
	const char *description;

	struct vnl_int vcpus;   /* effective vCPU count at boot */
	const char *vcpus_from; /* "vcpus", "sockets*cores", "<vcpu current>" */
	const char *ostype;     /* PVE ostype */
	const char *os_id;      /* libosinfo id or guest agent id */
	const char **tags;
	size_t ntags;
	struct vnl_loc tags_loc;
	/* Proxmox VM firewall options (<vmid>.fw [OPTIONS]); raw NULL = the
	 * file was not read, so the state is unknown. */
	struct vnl_flag fw_enable;   /* default off */
	struct vnl_flag fw_macfilter; /* default on */
	bool fw_known;               /* the .fw file (or its absence) was checked */
	bool is_template;
	const char *lock;
	const char *hotplug; /* PVE hotplug list; NULL = default */
	const char *virt_type; /* libvirt <domain type>: kvm, qemu, ...; NULL elsewhere */
	int running; /* 1, 0, or -1 when unknown */
	/* SHA-1 hex of the definition as read: PVE's config digest (the API),
	 * or of the file's bytes (set by the scan for --fix/--diff, which
	 * refuse to write what changed since). NULL when not known. */
	const char *digest;

	/* Suppressions written into the VM's own definition (libvirt
	 * <metadata><vmnetlint:lint><vmnetlint:suppress/>); the array lives in
	 * the VM's arena. Recorded by sources, applied by the scan. */
	struct vnl_suppression *suppressions;
	size_t nsuppressions;

	struct vnl_nic *nics;
	size_t nnics, nics_cap;

	/* The same VM as it will be once pending changes apply; NULL if none
	 * touch a NIC. Owned by this VM. */
	struct vnl_vm *pending;

	struct vnl_problem *problems;
	size_t nproblems, problems_cap;

	struct vnl_evidence roles[VNL_ROLE__COUNT];

	/* What the configs cannot say, from vmnetlint.conf or role words: a
	 * tunnel the guest terminates, the pfsync NIC, the HA pair. */
	const char *overlay;          /* "wireguard", "vxlan", ...; NULL = none */
	struct vnl_int overlay_inner_mtu; /* raw NULL = the implementation default */
	const char *overlay_family;   /* "ipv4" | "ipv6" | NULL (unknown) */
	const char *overlay_nic;      /* the NIC the tunnel runs over; NULL = any */
	const char *pfsync_nic;       /* the pfsync sync NIC; NULL = unknown */
	const char *pair;             /* HA pair name; NULL = none */
	struct vnl_loc decl_loc;      /* where the settings above were declared */

	struct arena arena; /* owns every string and array above */
};

struct vnl_vm *vnl_vm_new(enum vnl_source_kind kind, const char *origin);
void vnl_vm_free(struct vnl_vm *vm);
struct vnl_nic *vnl_vm_add_nic(struct vnl_vm *vm, const char *key);
struct vnl_nic *vnl_vm_find_nic(const struct vnl_vm *vm, const char *key);
void vnl_vm_add_tag(struct vnl_vm *vm, const char *tag, size_t len);
void vnl_vm_problem(struct vnl_vm *vm, enum vnl_severity sev, unsigned line, unsigned col,
		    const char *nic_key, const char *fmt, ...) VNL_PRINTF(6, 7);
/* Build a copy sharing nothing mutable, used for the pending view. */
struct vnl_vm *vnl_vm_clone(const struct vnl_vm *vm);

/* Has the source already recorded a problem on nic_key at line? Rules use
 * it not to report twice what VNL000 reports. */
bool vnl_vm_problem_at(const struct vnl_vm *vm, const char *nic_key, unsigned line);

void vnl_vm_add_evidence(struct vnl_vm *vm, enum vnl_role role, const char *fmt, ...)
	VNL_PRINTF(3, 4);
bool vnl_vm_has_role(const struct vnl_vm *vm, enum vnl_role role);
/* "tag 'carp', name word 'opnsense'" in the VM's arena; NULL if no evidence. */
const char *vnl_vm_evidence_text(struct vnl_vm *vm, enum vnl_role role);

struct vnl_loc vnl_loc_at(const struct vnl_vm *vm, unsigned line, unsigned col);

/* Interpretation helpers shared by rules. */
enum vnl_nic_family vnl_nic_family_of(const char *model);
/* The number of queue pairs the NIC offers the guest (1 when unset). */
long long vnl_nic_queue_count(const struct vnl_nic *nic);
/* A label for messages: "VM 101 (fw-a)". Lives in the VM's arena. */
const char *vnl_vm_label(struct vnl_vm *vm);

/* A NIC as messages name it: its key, plus the MAC for libvirt, where
 * "net0" is only the <interface>'s position and the MAC is what identifies
 * it (research/libvirt.md 1.5). Lives in the VM's arena. */
static inline const char *vnl_nic_label(struct vnl_vm *vm, const struct vnl_nic *nic)
{
	bool libvirt = vm->kind == VNL_SRC_LIBVIRT_XML || vm->kind == VNL_SRC_LIBVIRT_LIVE;
	if (!libvirt || !nic->mac.raw)
		return nic->key;
	return arena_printf(&vm->arena, "%s (%s)", nic->key, nic->mac.raw);
}

#endif
