#include "config.h"

#include "finding.h"

#include <stdlib.h>
#include <string.h>

const char *vnl_edit_prop_name(enum vnl_edit_prop prop)
{
	switch (prop) {
	case VNL_PROP_QUEUES: return "queues";
	case VNL_PROP_MTU: return "mtu";
	case VNL_PROP_HOST_TUNNEL: return "host-tunnel";
	case VNL_PROP_HOST_OFFLOAD: return "host offload";
	case VNL_PROP_GUEST_OFFLOAD: return "guest offload";
	case VNL_PROP_DRIVER_NAME: return "driver name";
	case VNL_PROP_RX_QUEUE_SIZE: return "rx_queue_size";
	case VNL_PROP_TX_QUEUE_SIZE: return "tx_queue_size";
	}
	return "?";
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct vnl_finding *vnl_finding_new(const struct vnl_rule *rule, enum vnl_severity sev,
				    struct vnl_vm *vm, const struct vnl_nic *nic,
				    struct vnl_loc loc)
{
	struct vnl_finding *f = xcalloc(1, sizeof(*f));

	f->rule = rule;
	f->severity = sev;
	f->kind = vm->kind;
	f->origin = xstrdup(loc.origin ? loc.origin : vm->origin);
	f->line = loc.line;
	f->col = loc.col;
	f->vm_id = dup_or_null(vm->id);
	f->vm_name = dup_or_null(vm->name);
	f->vm_label = xstrdup(vnl_vm_label(vm));
	f->nic_key = nic ? xstrdup(nic->key) : NULL;
	return f;
}

void vnl_finding_free(struct vnl_finding *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->nedits; i++) {
		free(f->edits[i].nic_key);
		free(f->edits[i].value);
	}
	free(f->edits);
	free(f->origin);
	free(f->vm_id);
	free(f->vm_name);
	free(f->vm_label);
	free(f->nic_key);
	free(f->suppression);
	free(f->message);
	free(f->evidence);
	free(f->value);
	free(f);
}

void vnl_finding_add_edit(struct vnl_finding *f, const char *nic_key, enum vnl_edit_op op,
			  enum vnl_edit_prop prop, enum vnl_offload offload, const char *value)
{
	struct vnl_edit *e;

	vnl_grow(&f->edits, &f->edits_cap, f->nedits + 1, sizeof(*f->edits));
	e = &f->edits[f->nedits++];
	e->nic_key = xstrdup(nic_key);
	e->op = op;
	e->prop = prop;
	e->offload = offload;
	e->value = dup_or_null(value);
}

char *vnl_edit_describe(const struct vnl_edit *e)
{
	const char *what = vnl_edit_prop_name(e->prop);
	const char *side = e->prop == VNL_PROP_HOST_OFFLOAD ? "host" : "guest";

	if (e->prop == VNL_PROP_HOST_OFFLOAD || e->prop == VNL_PROP_GUEST_OFFLOAD) {
		if (e->op == VNL_EDIT_REMOVE)
			return xasprintf("remove %s %s from %s", side, vnl_offload_name(e->offload),
					 e->nic_key);
		return xasprintf("set %s %s=%s on %s", side, vnl_offload_name(e->offload),
				 e->value ? e->value : "", e->nic_key);
	}
	if (e->op == VNL_EDIT_REMOVE)
		return xasprintf("remove %s from %s", what, e->nic_key);
	return xasprintf("set %s=%s on %s", what, e->value ? e->value : "", e->nic_key);
}

void vnl_finding_list_add(struct vnl_finding_list *l, struct vnl_finding *f)
{
	vnl_grow(&l->items, &l->cap, l->n + 1, sizeof(*l->items));
	l->items[l->n++] = f;
}

void vnl_finding_list_clear(struct vnl_finding_list *l)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		vnl_finding_free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}
