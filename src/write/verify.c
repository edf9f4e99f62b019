#include "config.h"

#include "write/verify.h"

#include <stdio.h>
#include <string.h>

/* Every NIC setting the model keeps, by name and as written. */
enum field {
	F_MODEL, F_TYPE, F_MAC, F_BRIDGE, F_TAG, F_TRUNKS, F_MTU, F_QUEUES, F_RATE,
	F_FIREWALL, F_LINK_DOWN, F_HOST_TUNNEL, F_DRIVER_NAME, F_RX, F_TX,
	F_HOST_OFF, /* + offload */
	F_GUEST_OFF = F_HOST_OFF + VNL_OFF__COUNT,
	F__COUNT = F_GUEST_OFF + VNL_OFF__COUNT,
};

static const char *const field_names[] = {
	"model", "type", "mac", "bridge", "tag", "trunks", "mtu", "queues", "rate",
	"firewall", "link_down", "host-tunnel", "driver name", "rx_queue_size",
	"tx_queue_size",
};

static const char *field_raw(const struct vnl_nic *nic, int f)
{
	switch (f) {
	case F_MODEL: return nic->model.raw;
	case F_TYPE: return nic->type.raw;
	case F_MAC: return nic->mac.raw;
	case F_BRIDGE: return nic->bridge.raw;
	case F_TAG: return nic->vlan_tag.raw;
	case F_TRUNKS: return nic->trunks.raw;
	case F_MTU: return nic->mtu.raw;
	case F_QUEUES: return nic->queues.raw;
	case F_RATE: return nic->rate.raw;
	case F_FIREWALL: return nic->firewall.raw;
	case F_LINK_DOWN: return nic->link_down.raw;
	case F_HOST_TUNNEL: return nic->host_tunnel.raw;
	case F_DRIVER_NAME: return nic->driver_name.raw;
	case F_RX: return nic->rx_queue_size.raw;
	case F_TX: return nic->tx_queue_size.raw;
	default:
		if (f < F_GUEST_OFF)
			return nic->host_offload[f - F_HOST_OFF].raw;
		return nic->guest_offload[f - F_GUEST_OFF].raw;
	}
}

static void field_name(int f, char *buf, size_t size)
{
	if (f < F_HOST_OFF)
		snprintf(buf, size, "%s", field_names[f]);
	else if (f < F_GUEST_OFF)
		snprintf(buf, size, "host %s", vnl_offload_name((enum vnl_offload)(f - F_HOST_OFF)));
	else
		snprintf(buf, size, "guest %s", vnl_offload_name((enum vnl_offload)(f - F_GUEST_OFF)));
}

static int edit_field(const struct vnl_edit *e)
{
	switch (e->prop) {
	case VNL_PROP_QUEUES: return F_QUEUES;
	case VNL_PROP_MTU: return F_MTU;
	case VNL_PROP_HOST_TUNNEL: return F_HOST_TUNNEL;
	case VNL_PROP_HOST_OFFLOAD: return F_HOST_OFF + (int)e->offload;
	case VNL_PROP_GUEST_OFFLOAD: return F_GUEST_OFF + (int)e->offload;
	case VNL_PROP_DRIVER_NAME: return F_DRIVER_NAME;
	case VNL_PROP_RX_QUEUE_SIZE: return F_RX;
	case VNL_PROP_TX_QUEUE_SIZE: return F_TX;
	}
	return -1;
}

const char *wr_edit_current(const struct vnl_nic *nic, const struct vnl_edit *e)
{
	int f = edit_field(e);
	return f < 0 ? NULL : field_raw(nic, f);
}

char *wr_vm_signature(const struct vnl_vm *vm)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int f;

	strbuf_addf(&sb, "%s|%s|%s|%zu", vm->name ? vm->name : "", vm->uuid ? vm->uuid : "",
		    vm->vcpus.raw ? vm->vcpus.raw : "", vm->nnics);
	for (i = 0; i < vm->nnics; i++) {
		strbuf_addf(&sb, "|%s", vm->nics[i].key);
		for (f = 0; f < F__COUNT; f++) {
			const char *v = field_raw(&vm->nics[i], f);
			strbuf_addf(&sb, ",%zu:%s", v ? strlen(v) : (size_t)0, v ? v : "-");
		}
	}
	return strbuf_detach(&sb);
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static const char *wanted(const struct vnl_edit *e)
{
	return e->op == VNL_EDIT_REMOVE ? NULL : e->value;
}

bool wr_edit_done(const struct vnl_nic *nic, const struct vnl_edit *e)
{
	return edit_field(e) >= 0 && same(wr_edit_current(nic, e), wanted(e));
}

/* The last edit of this field on this NIC, or NULL. */
static const struct vnl_edit *edit_for(const char *key, int f, const struct vnl_edit *edits,
				       size_t n)
{
	const struct vnl_edit *found = NULL;
	size_t i;
	for (i = 0; i < n; i++)
		if (!strcmp(edits[i].nic_key, key) && edit_field(&edits[i]) == f)
			found = &edits[i];
	return found;
}

int wr_verify_nic(const struct vnl_nic *before, const struct vnl_nic *after,
		  const struct vnl_edit *edits, size_t n, struct vnl_err *err)
{
	char name[64];
	int f;

	if (strcmp(before->key, after->key))
		return vnl_fail(err, "%s became %s", before->key, after->key);
	for (f = 0; f < F__COUNT; f++) {
		const struct vnl_edit *e = edit_for(before->key, f, edits, n);
		const char *want = e ? wanted(e) : field_raw(before, f);
		const char *got = field_raw(after, f);
		if (same(want, got))
			continue;
		field_name(f, name, sizeof(name));
		return vnl_fail(err, "%s: %s is %s%s%s, expected %s%s%s", before->key, name,
				got ? "'" : "", got ? got : "unset", got ? "'" : "",
				want ? "'" : "", want ? want : "unset", want ? "'" : "");
	}
	if (before->pending != after->pending)
		return vnl_fail(err, "%s: its pending change differs", before->key);
	return 0;
}

static int vm_field(const char *what, const char *a, const char *b, struct vnl_err *err)
{
	if (same(a, b))
		return 0;
	return vnl_fail(err, "%s changed from '%s' to '%s'", what, a ? a : "", b ? b : "");
}

static int verify_vm_fields(const struct vnl_vm *a, const struct vnl_vm *b, struct vnl_err *err)
{
	size_t i;

	if (vm_field("the name", a->name, b->name, err) || vm_field("the uuid", a->uuid, b->uuid, err) ||
	    vm_field("the title", a->title, b->title, err) ||
	    vm_field("the description", a->description, b->description, err) ||
	    vm_field("the vCPUs", a->vcpus.raw, b->vcpus.raw, err) ||
	    vm_field("ostype", a->ostype, b->ostype, err) || vm_field("the OS id", a->os_id, b->os_id, err) ||
	    vm_field("lock", a->lock, b->lock, err) || vm_field("hotplug", a->hotplug, b->hotplug, err) ||
	    vm_field("the domain type", a->virt_type, b->virt_type, err))
		return -1;
	if (a->is_template != b->is_template || a->ntags != b->ntags ||
	    a->nsuppressions != b->nsuppressions || !a->pending != !b->pending)
		return vnl_fail(err, "the VM's tags, template flag, metadata or pending changes differ");
	for (i = 0; i < a->ntags; i++)
		if (vm_field("a tag", a->tags[i], b->tags[i], err))
			return -1;
	/* an edit may settle a problem (virtio options on an emulated model),
	 * never add one */
	if (b->nproblems > a->nproblems)
		return vnl_fail(err, "%s", b->problems[b->nproblems - 1].message);
	return 0;
}

int wr_verify_vm(const struct vnl_vm *before, const struct vnl_vm *after,
		 const struct vnl_edit *edits, size_t n, struct vnl_err *err)
{
	size_t i;

	if (verify_vm_fields(before, after, err) < 0)
		return -1;
	if (before->nnics != after->nnics)
		return vnl_fail(err, "the VM has %zu NICs instead of %zu", after->nnics, before->nnics);
	for (i = 0; i < before->nnics; i++)
		if (wr_verify_nic(&before->nics[i], &after->nics[i], edits, n, err) < 0)
			return -1;
	for (i = 0; i < n; i++)
		if (!vnl_vm_find_nic(before, edits[i].nic_key))
			return vnl_fail(err, "%s: no such NIC", edits[i].nic_key);
	return 0;
}
