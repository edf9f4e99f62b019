#include "config.h"

#include "fix.h"

#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "write/apply.h"
#include "write/verify.h"

struct vnl_fix *vnl_fix_new(const struct vnl_fix_options *o)
{
	struct vnl_fix *fx = xcalloc(1, sizeof(*fx));
	fx->opt = *o;
	fx->rescanning = -1;
	return fx;
}

static void free_edits(struct vnl_edit *e, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		free(e[i].nic_key);
		free(e[i].value);
	}
	free(e);
}

static void free_vm(struct fix_vm *v)
{
	char **strs[] = { &v->origin, &v->id, &v->name, &v->label, &v->node, &v->uuid,
			  &v->digest, &v->signature, &v->lock, &v->error, &v->backup };
	size_t i;

	for (i = 0; i < VNL_ARRAY_LEN(strs); i++)
		free(*strs[i]);
	for (i = 0; i < v->nitems; i++)
		free(v->items[i].why);
	free(v->items);
	free_edits(v->edits, v->nedits);
	for (i = 0; i < v->nnics; i++) {
		free(v->nic_keys[i]);
		free(v->nic_values[i]);
	}
	free(v->nic_keys);
	free(v->nic_values);
	free(v->nic_pending);
	strbuf_release(&v->old_text);
	strbuf_release(&v->new_text);
	vnl_vm_free(v->after);
}

void vnl_fix_free(struct vnl_fix *fx)
{
	size_t i;

	if (!fx)
		return;
	for (i = 0; i < fx->n; i++)
		free_vm(&fx->vms[i]);
	free(fx->vms);
	wr_close_conns(fx);
	free(fx);
}

/* ---- the plan ----------------------------------------------------------------------- */

static bool selected(const struct vnl_fix *fx, const struct vnl_vm *vm)
{
	size_t i;

	if (!fx->opt.nvm)
		return true;
	for (i = 0; i < fx->opt.nvm; i++) {
		const char *p = fx->opt.vm_patterns[i];
		if ((vm->id && glob_match(p, vm->id)) || (vm->name && glob_match(p, vm->name)))
			return true;
	}
	return false;
}

/* Can the VM's source write this setting? (Proxmox: queues, mtu,
 * host-tunnel; libvirt: everything but host-tunnel.) */
static bool expressible(enum vnl_source_kind kind, enum vnl_edit_prop prop)
{
	bool pve = kind == VNL_SRC_PVE_FILE || kind == VNL_SRC_PVE_API;
	bool pve_prop = prop == VNL_PROP_QUEUES || prop == VNL_PROP_MTU ||
			prop == VNL_PROP_HOST_TUNNEL;
	return pve ? pve_prop : prop != VNL_PROP_HOST_TUNNEL;
}

static bool same_setting(const struct vnl_edit *a, const struct vnl_edit *b)
{
	bool offload = a->prop == VNL_PROP_HOST_OFFLOAD || a->prop == VNL_PROP_GUEST_OFFLOAD;
	return !strcmp(a->nic_key, b->nic_key) && a->prop == b->prop &&
	       (!offload || a->offload == b->offload);
}

static bool same_edit(const struct vnl_edit *a, const struct vnl_edit *b)
{
	return same_setting(a, b) && a->op == b->op &&
	       ((!a->value && !b->value) || (a->value && b->value && !strcmp(a->value, b->value)));
}

static void add_edit(struct fix_vm *v, const struct vnl_edit *e)
{
	struct vnl_edit *d;
	v->edits = xrealloc(v->edits, (v->nedits + 1) * sizeof(*v->edits));
	d = &v->edits[v->nedits++];
	*d = *e;
	d->nic_key = xstrdup(e->nic_key);
	d->value = e->value ? xstrdup(e->value) : NULL;
}

/* The rule whose planned finding brought this edit. */
static const char *proposer(const struct fix_vm *v, const struct vnl_edit *e,
			    const struct vnl_finding *const *kept)
{
	size_t j, x;

	for (j = 0; j < v->nitems; j++) {
		const struct vnl_finding *f = kept[v->items[j].finding];
		if (v->items[j].state != ITEM_PLANNED)
			continue;
		for (x = 0; x < f->nedits; x++)
			if (same_edit(&f->edits[x], e))
				return f->rule->id;
	}
	return "another finding";
}

/* The NIC of the VM as scanned, or -1. */
static long nic_index(const struct fix_vm *v, const char *key)
{
	size_t i;
	for (i = 0; i < v->nnics; i++)
		if (!strcmp(v->nic_keys[i], key))
			return (long)i;
	return -1;
}

/* Why this finding cannot be fixed in this VM, or NULL. */
static char *item_obstacle(const struct fix_vm *v, const struct vnl_finding *f,
			   const struct vnl_finding *const *kept)
{
	size_t i, k;

	for (i = 0; i < f->nedits; i++) {
		const struct vnl_edit *e = &f->edits[i];
		long nic = nic_index(v, e->nic_key);
		if (!expressible(v->kind, e->prop))
			return xasprintf("'%s' cannot be written into a %s definition",
					 vnl_edit_prop_name(e->prop), vnl_source_kind_name(v->kind));
		if (nic < 0)
			return xasprintf("%s is not a NIC the definition holds", e->nic_key);
		if (v->nic_pending[nic])
			return xasprintf("%s has a pending change in [PENDING], which would replace "
					 "the edit at the next cold start", e->nic_key);
		for (k = 0; k < v->nedits; k++)
			if (same_setting(e, &v->edits[k]) && !same_edit(e, &v->edits[k]))
				return xasprintf("its edit (%s) conflicts with the one of %s, which "
						 "is applied", vnl_edit_prop_name(e->prop),
						 proposer(v, &v->edits[k], kept));
	}
	return NULL;
}

/* Items by severity, most severe first; the report order otherwise. */
static int by_severity(const void *x, const void *y, const struct vnl_finding *const *kept)
{
	const struct fix_item *a = x, *b = y;
	int sa = (int)kept[a->finding]->severity, sb = (int)kept[b->finding]->severity;
	if (sa != sb)
		return sb - sa;
	return a->finding < b->finding ? -1 : a->finding > b->finding;
}

/* One finding into the plan. vm (NULL after the scan) lets edits that
 * already hold be left out. */
static void plan_item(struct fix_vm *v, struct fix_item *it, const struct vnl_vm *vm,
		      const struct vnl_finding *const *kept)
{
	const struct vnl_finding *f = kept[it->finding];
	size_t k, d;

	if (!f->nedits)
		return;
	if ((it->why = item_obstacle(v, f, kept)) != NULL) {
		it->state = ITEM_SKIPPED;
		return;
	}
	it->state = ITEM_PLANNED;
	for (k = 0; k < f->nedits; k++) {
		const struct vnl_nic *nic = vm ? vnl_vm_find_nic(vm, f->edits[k].nic_key) : NULL;
		for (d = 0; d < v->nedits && !same_edit(&f->edits[k], &v->edits[d]); d++)
			;
		if (d == v->nedits && !(nic && wr_edit_done(nic, &f->edits[k])))
			add_edit(v, &f->edits[k]);
	}
}

static void plan_vm(struct fix_vm *v, const struct vnl_vm *vm, const struct vnl_finding *const *kept)
{
	size_t i, k, *order = xcalloc(v->nitems + 1, sizeof(*order));

	/* a simple insertion sort of indexes: a VM has few findings */
	for (i = 0; i < v->nitems; i++) {
		order[i] = i;
		for (k = i; k > 0 && by_severity(&v->items[order[k]], &v->items[order[k - 1]], kept) < 0; k--) {
			size_t t = order[k];
			order[k] = order[k - 1];
			order[k - 1] = t;
		}
	}
	for (i = 0; i < v->nitems; i++)
		plan_item(v, &v->items[order[i]], vm, kept);
	free(order);
}

/* ---- the hook ------------------------------------------------------------------------------ */

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void note_vm(struct vnl_fix *fx, struct vnl_scan *scan, struct vnl_vm *vm)
{
	struct fix_vm *v;
	size_t i;

	vnl_grow(&fx->vms, &fx->cap, fx->n + 1, sizeof(*fx->vms));
	v = &fx->vms[fx->n++];
	memset(v, 0, sizeof(*v));
	v->kind = vm->kind;
	v->origin = xstrdup(vm->origin);
	v->id = dup_or_null(vm->id);
	v->name = dup_or_null(vm->name);
	v->label = xstrdup(vnl_vm_label(vm));
	v->node = dup_or_null(vm->node);
	v->uuid = dup_or_null(vm->uuid);
	v->digest = dup_or_null(vm->digest);
	v->lock = dup_or_null(vm->lock);
	v->running = vm->running;
	v->is_template = vm->is_template;
	v->selected = selected(fx, vm);
	if (vm->kind == VNL_SRC_LIBVIRT_LIVE)
		v->signature = wr_vm_signature(vm);
	v->nitems = scan->kept.n - fx->kept_seen;
	v->items = xcalloc(v->nitems ? v->nitems : 1, sizeof(*v->items));
	for (i = 0; i < v->nitems; i++)
		v->items[i].finding = fx->kept_seen + i;
	v->nic_keys = xcalloc(vm->nnics + 1, sizeof(char *));
	v->nic_values = xcalloc(vm->nnics + 1, sizeof(char *));
	v->nic_pending = xcalloc(vm->nnics + 1, sizeof(bool));
	for (i = 0; i < vm->nnics; i++) {
		v->nic_keys[i] = xstrdup(vm->nics[i].key);
		v->nic_values[i] = xstrdup(vm->nics[i].raw ? vm->nics[i].raw : "");
		v->nic_pending[i] = vm->nics[i].pending != VNL_PENDING_NONE;
	}
	v->nnics = vm->nnics;
	if (v->selected)
		plan_vm(v, vm, (const struct vnl_finding *const *)scan->kept.items);
	v->status = v->nedits ? FIX_PLANNED : FIX_NOTHING;
}

static void on_vm(struct vnl_scan *scan, struct vnl_vm *vm, void *data)
{
	struct vnl_fix *fx = data;

	if (fx->rescanning >= 0) {
		struct fix_vm *v = &fx->vms[fx->rescanning];
		v->rescan_first = fx->kept_seen;
		v->rescan_n = scan->kept.n - fx->kept_seen;
		v->rescanned = true;
	} else {
		note_vm(fx, scan, vm);
	}
	fx->kept_seen = scan->kept.n;
}

void vnl_fix_attach(struct vnl_fix *fx, struct vnl_scan *scan)
{
	scan->keep_findings = true;
	scan->vm_hook = on_vm;
	scan->vm_hook_data = fx;
	fx->kept_seen = scan->kept.n;
}

/* A finding reported after its VM (the rules that compare VMs): the VM of
 * the same source and id whose origin is the finding's, or its prefix
 * before '#' (the API's ".../config#net0"). */
static struct fix_vm *owner(struct vnl_fix *fx, const struct vnl_finding *f)
{
	size_t i, n;

	for (i = 0; i < fx->n; i++) {
		struct fix_vm *v = &fx->vms[i];
		if (v->kind != f->kind || !v->id || !f->vm_id || strcmp(v->id, f->vm_id))
			continue;
		n = strlen(v->origin);
		if (!strncmp(f->origin, v->origin, n) && (!f->origin[n] || f->origin[n] == '#'))
			return v;
	}
	return NULL;
}

void vnl_fix_adopt(struct vnl_fix *fx, struct vnl_scan *scan)
{
	const struct vnl_finding *const *kept = (const struct vnl_finding *const *)scan->kept.items;
	size_t i;

	for (i = fx->kept_seen; i < scan->kept.n; i++) {
		struct fix_vm *v = owner(fx, kept[i]);
		struct fix_item *it;
		if (!v)
			continue;
		v->items = xrealloc(v->items, (v->nitems + 1) * sizeof(*v->items));
		it = &v->items[v->nitems++];
		memset(it, 0, sizeof(*it));
		it->finding = i;
		it->cross = true;
		if (v->selected)
			plan_item(v, it, NULL, kept);
		if (v->nedits && v->status == FIX_NOTHING)
			v->status = FIX_PLANNED;
	}
	fx->kept_seen = scan->kept.n;
}

size_t vnl_fix_planned(const struct vnl_fix *fx, size_t *nfindings)
{
	size_t i, k, vms = 0;

	*nfindings = 0;
	for (i = 0; i < fx->n; i++) {
		if (fx->vms[i].status != FIX_PLANNED)
			continue;
		vms++;
		for (k = 0; k < fx->vms[i].nitems; k++)
			*nfindings += fx->vms[i].items[k].state == ITEM_PLANNED;
	}
	return vms;
}

void vnl_fix_preview(struct vnl_fix *fx)
{
	size_t i;
	for (i = 0; i < fx->n; i++)
		if (fx->vms[i].status == FIX_PLANNED)
			wr_preview(fx, &fx->vms[i]);
}

void vnl_fix_apply(struct vnl_fix *fx)
{
	size_t i;

	wr_apply_files(fx);
	for (i = 0; i < fx->n; i++)
		if (fx->vms[i].status == FIX_PLANNED)
			wr_apply(fx, &fx->vms[i]);
}

/* ---- after the fix ------------------------------------------------------------------- */

static bool still_reported(const struct vnl_finding *f, const struct vnl_scan *scan,
			   const struct fix_vm *v)
{
	size_t i;
	for (i = v->rescan_first; i < v->rescan_first + v->rescan_n; i++) {
		const struct vnl_finding *g = scan->kept.items[i];
		if (g->rule == f->rule && ((!g->nic_key && !f->nic_key) ||
					   (g->nic_key && f->nic_key && !strcmp(g->nic_key, f->nic_key))))
			return true;
	}
	return false;
}

static void settle(struct fix_vm *v, const struct vnl_scan *scan)
{
	size_t i;

	for (i = 0; i < v->nitems; i++) {
		struct fix_item *it = &v->items[i];
		if (it->state != ITEM_PLANNED)
			continue;
		if (it->cross)
			it->state = ITEM_REMAINS; /* compares VMs: the next scan checks it */
		else if (!still_reported(scan->kept.items[it->finding], scan, v))
			it->state = ITEM_FIXED;
		else
			it->state = v->npending ? ITEM_FIXED_PENDING : ITEM_REMAINS;
	}
}

void vnl_fix_rescan(struct vnl_fix *fx, struct vnl_scan *scan)
{
	size_t i;

	for (i = 0; i < fx->n; i++) {
		struct fix_vm *v = &fx->vms[i];
		if (v->status != FIX_DONE)
			continue;
		fx->rescanning = (long)i;
		fx->kept_seen = scan->kept.n;
		if (v->after) {
			vnl_scan_vm(scan, v->after); /* the scan frees it */
			v->after = NULL;
		} else if (v->kind == VNL_SRC_PVE_FILE || v->kind == VNL_SRC_LIBVIRT_XML) {
			vnl_scan_path(scan, v->origin);
		}
		fx->rescanning = -1;
		if (v->rescanned)
			settle(v, scan);
	}
}

const char *vnl_fix_diff_label(const struct fix_vm *v)
{
	return v->origin;
}
