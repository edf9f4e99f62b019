/* The whole scan in brief: one compact record per NIC of every VM, kept
 * after the VM itself is freed, for rules that compare VMs (duplicate MACs,
 * MTU mismatches on one L2 segment, drift inside an HA pair). */
#ifndef VNL_INVENTORY_H
#define VNL_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "netenv.h"

/* Records are kept small: a scan of 100,000 VMs holds all of them. */
struct vnl_inv_vm {
	const char *id, *name, *label, *origin, *node, *pair;
	/* a tunnel the guest terminates ("wireguard"), the NIC it runs over
	 * (NULL = any) and its underlay family ("ipv4", NULL = unknown) */
	const char *overlay, *overlay_nic, *overlay_family;
	unsigned first_nic, nnics; /* range in vnl_inventory.nics */
	unsigned char kind;        /* enum vnl_source_kind */
	bool is_template;
};

struct vnl_inv_nic {
	const char *key, *label, *mac, *bridge, *model;
	struct vnl_loc loc;
	unsigned vm_index; /* its VM in vnl_inventory.vms */
	int vlan;          /* -1: untagged */
	int queues;        /* 1 when unset */
	int mtu;           /* the guest's MTU */
	bool mtu_known;    /* false: assumed */
};

struct vnl_inventory {
	struct vnl_inv_vm *vms;
	size_t nvms, vms_cap;
	struct vnl_inv_nic *nics;
	size_t nnics, nics_cap;
	/* one copy of strings many records repeat: net0, virtio, vmbr0, pve1 */
	const char **interned;
	size_t ninterned, interned_cap;
	struct arena arena;
};

void vnl_inventory_init(struct vnl_inventory *inv);
void vnl_inventory_release(struct vnl_inventory *inv);
/* Record vm (its current state, not pending) with effective MTUs. */
void vnl_inventory_add(struct vnl_inventory *inv, struct vnl_vm *vm, const struct vnl_netenv *net);
const struct vnl_inv_vm *vnl_inv_vm_of(const struct vnl_inventory *inv,
				       const struct vnl_inv_nic *nic);

#endif
