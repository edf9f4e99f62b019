#include "config.h"

#include "inventory.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nic_mtu.h"

void vnl_inventory_init(struct vnl_inventory *inv)
{
	memset(inv, 0, sizeof(*inv));
}

void vnl_inventory_release(struct vnl_inventory *inv)
{
	free(inv->vms);
	free(inv->nics);
	free(inv->interned);
	arena_release(&inv->arena);
	memset(inv, 0, sizeof(*inv));
}

static const char *keep(struct vnl_inventory *inv, const char *s)
{
	return s ? arena_strdup(&inv->arena, s) : NULL;
}

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a: a table index, not a digest */
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void rehash(struct vnl_inventory *inv)
{
	size_t cap = inv->interned_cap ? inv->interned_cap * 2 : 256, i;
	const char **t = xcalloc(cap, sizeof(*t));

	for (i = 0; i < inv->interned_cap; i++) {
		const char *s = inv->interned[i];
		size_t j;
		if (!s)
			continue;
		for (j = hash_str(s) & (cap - 1); t[j]; j = (j + 1) & (cap - 1))
			;
		t[j] = s;
	}
	free(inv->interned);
	inv->interned = t;
	inv->interned_cap = cap;
}

/* One shared copy per distinct value of the strings that repeat. */
static const char *intern(struct vnl_inventory *inv, const char *s)
{
	size_t j;

	if (!s)
		return NULL;
	if ((inv->ninterned + 1) * 2 > inv->interned_cap)
		rehash(inv);
	for (j = hash_str(s) & (inv->interned_cap - 1); inv->interned[j];
	     j = (j + 1) & (inv->interned_cap - 1))
		if (!strcmp(inv->interned[j], s))
			return inv->interned[j];
	inv->ninterned++;
	return inv->interned[j] = keep(inv, s);
}

static void add_nic(struct vnl_inventory *inv, struct vnl_vm *vm, const struct vnl_nic *nic,
		    const struct vnl_netenv *net, const char *origin)
{
	const char *label = vnl_nic_label(vm, nic);
	struct vnl_inv_nic *r;
	struct vnl_mtu_view v;

	vnl_grow(&inv->nics, &inv->nics_cap, inv->nnics + 1, sizeof(*inv->nics));
	r = &inv->nics[inv->nnics++];
	memset(r, 0, sizeof(*r));
	vnl_nic_mtu(vm, nic, net, &v);
	r->vm_index = (unsigned)(inv->nvms - 1);
	r->key = intern(inv, nic->key);
	r->label = label == nic->key ? r->key : keep(inv, label);
	r->mac = keep(inv, nic->mac.raw);
	r->bridge = intern(inv, nic->bridge.raw);
	r->model = intern(inv, nic->model.raw);
	r->vlan = VNL_SET(nic->vlan_tag) ? (int)nic->vlan_tag.value : -1;
	r->queues = (int)vnl_nic_queue_count(nic);
	r->mtu = v.mtu;
	r->mtu_known = v.known;
	r->loc = nic->loc;
	/* API NICs have their own origin (".../config#net0"); files share the VM's */
	r->loc.origin = nic->loc.origin && strcmp(nic->loc.origin, origin) ? keep(inv, nic->loc.origin)
									   : origin;
}

void vnl_inventory_add(struct vnl_inventory *inv, struct vnl_vm *vm, const struct vnl_netenv *net)
{
	struct vnl_inv_vm *r;
	size_t i;

	vnl_grow(&inv->vms, &inv->vms_cap, inv->nvms + 1, sizeof(*inv->vms));
	r = &inv->vms[inv->nvms++];
	memset(r, 0, sizeof(*r));
	r->id = keep(inv, vm->id);
	r->name = vm->name && vm->id && !strcmp(vm->name, vm->id) ? r->id : keep(inv, vm->name);
	r->label = keep(inv, vnl_vm_label(vm));
	r->origin = keep(inv, vm->origin);
	r->node = intern(inv, vm->node);
	r->pair = intern(inv, vm->pair);
	r->overlay = intern(inv, vm->overlay);
	r->overlay_nic = intern(inv, vm->overlay_nic);
	r->overlay_family = intern(inv, vm->overlay_family);
	r->kind = (unsigned char)vm->kind;
	r->is_template = vm->is_template;
	r->first_nic = (unsigned)inv->nnics;
	r->nnics = (unsigned)vm->nnics;
	for (i = 0; i < vm->nnics; i++)
		add_nic(inv, vm, &vm->nics[i], net, r->origin);
}

const struct vnl_inv_vm *vnl_inv_vm_of(const struct vnl_inventory *inv,
				       const struct vnl_inv_nic *nic)
{
	return &inv->vms[nic->vm_index];
}
