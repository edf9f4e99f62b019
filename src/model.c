#include "config.h"

#include "model.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *vnl_source_kind_name(enum vnl_source_kind kind)
{
	switch (kind) {
	case VNL_SRC_PVE_FILE: return "pve-file";
	case VNL_SRC_PVE_API: return "pve-api";
	case VNL_SRC_LIBVIRT_XML: return "libvirt-xml";
	case VNL_SRC_LIBVIRT_LIVE: return "libvirt-live";
	}
	return "unknown";
}

const char *vnl_offload_name(enum vnl_offload o)
{
	static const char *const names[VNL_OFF__COUNT] = {
		"csum", "gso", "tso4", "tso6", "ecn", "ufo", "mrg_rxbuf",
	};
	return (unsigned)o < VNL_OFF__COUNT ? names[o] : "?";
}

const char *vnl_role_name(enum vnl_role role)
{
	static const char *const names[VNL_ROLE__COUNT] = {
		"firewall", "pfsync", "router", "overlay", "linux",
	};
	return (unsigned)role < VNL_ROLE__COUNT ? names[role] : "?";
}

const char *vnl_severity_name(enum vnl_severity sev)
{
	switch (sev) {
	case VNL_SEV_INFO: return "info";
	case VNL_SEV_WARNING: return "warning";
	case VNL_SEV_ERROR: return "error";
	}
	return "?";
}

struct vnl_vm *vnl_vm_new(enum vnl_source_kind kind, const char *origin)
{
	struct vnl_vm *vm = xcalloc(1, sizeof(*vm));
	vm->kind = kind;
	vm->origin = arena_strdup(&vm->arena, origin);
	vm->running = -1;
	return vm;
}

void vnl_vm_free(struct vnl_vm *vm)
{
	size_t i;

	if (!vm)
		return;
	vnl_vm_free(vm->pending);
	for (i = 0; i < VNL_ROLE__COUNT; i++)
		free(vm->roles[i].items);
	free(vm->nics);
	free(vm->problems);
	free(vm->tags);
	arena_release(&vm->arena);
	free(vm);
}

struct vnl_nic *vnl_vm_add_nic(struct vnl_vm *vm, const char *key)
{
	struct vnl_nic *nic;

	vnl_grow(&vm->nics, &vm->nics_cap, vm->nnics + 1, sizeof(*vm->nics));
	nic = &vm->nics[vm->nnics];
	memset(nic, 0, sizeof(*nic));
	nic->key = arena_strdup(&vm->arena, key);
	nic->index = (unsigned)vm->nnics;
	nic->loc.origin = vm->origin;
	vm->nnics++;
	return nic;
}

struct vnl_nic *vnl_vm_find_nic(const struct vnl_vm *vm, const char *key)
{
	size_t i;
	for (i = 0; i < vm->nnics; i++)
		if (strcmp(vm->nics[i].key, key) == 0)
			return &vm->nics[i];
	return NULL;
}

void vnl_vm_add_tag(struct vnl_vm *vm, const char *tag, size_t len)
{
	size_t cap = vm->ntags;
	/* tags is sized exactly; vnl_grow doubles from the current count */
	vnl_grow(&vm->tags, &cap, vm->ntags + 1, sizeof(*vm->tags));
	vm->tags[vm->ntags++] = arena_strndup(&vm->arena, tag, len);
}

void vnl_vm_problem(struct vnl_vm *vm, enum vnl_severity sev, unsigned line, unsigned col,
		    const char *nic_key, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct vnl_problem *p;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);

	vnl_grow(&vm->problems, &vm->problems_cap, vm->nproblems + 1, sizeof(*vm->problems));
	p = &vm->problems[vm->nproblems++];
	p->loc = vnl_loc_at(vm, line, col);
	p->severity = sev;
	p->nic_key = nic_key ? arena_strdup(&vm->arena, nic_key) : NULL;
	p->message = arena_strndup(&vm->arena, strbuf_str(&sb), sb.len);
	strbuf_release(&sb);
}

bool vnl_vm_problem_at(const struct vnl_vm *vm, const char *nic_key, unsigned line)
{
	size_t i;
	for (i = 0; i < vm->nproblems; i++) {
		const struct vnl_problem *p = &vm->problems[i];
		if (p->loc.line == line && p->nic_key && nic_key && !strcmp(p->nic_key, nic_key))
			return true;
	}
	return false;
}

struct vnl_vm *vnl_vm_clone(const struct vnl_vm *vm)
{
	struct vnl_vm *c = xcalloc(1, sizeof(*c));
	size_t i;

	/* Strings stay in the original's arena, which outlives the clone. */
	*c = *vm;
	c->arena.head = NULL;
	c->pending = NULL;
	c->problems = NULL;
	c->nproblems = c->problems_cap = 0;
	c->nics = NULL;
	c->nics_cap = 0;
	if (vm->nnics) {
		c->nics = xmalloc(vm->nnics * sizeof(*c->nics));
		memcpy(c->nics, vm->nics, vm->nnics * sizeof(*c->nics));
		c->nics_cap = vm->nnics;
	}
	c->tags = NULL;
	if (vm->ntags) {
		c->tags = xmalloc(vm->ntags * sizeof(*c->tags));
		memcpy(c->tags, vm->tags, vm->ntags * sizeof(*c->tags));
	}
	for (i = 0; i < VNL_ROLE__COUNT; i++) {
		memset(&c->roles[i], 0, sizeof(c->roles[i]));
		if (vm->roles[i].n) {
			c->roles[i].items = xmalloc(vm->roles[i].n * sizeof(char *));
			memcpy(c->roles[i].items, vm->roles[i].items, vm->roles[i].n * sizeof(char *));
			c->roles[i].n = c->roles[i].cap = vm->roles[i].n;
		}
	}
	return c;
}

void vnl_vm_add_evidence(struct vnl_vm *vm, enum vnl_role role, const char *fmt, ...)
{
	struct vnl_evidence *ev = &vm->roles[role];
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	for (i = 0; i < ev->n; i++) {
		if (strcmp(ev->items[i], strbuf_str(&sb)) == 0) {
			strbuf_release(&sb);
			return;
		}
	}
	vnl_grow(&ev->items, &ev->cap, ev->n + 1, sizeof(*ev->items));
	ev->items[ev->n++] = arena_strndup(&vm->arena, strbuf_str(&sb), sb.len);
	strbuf_release(&sb);
}

bool vnl_vm_has_role(const struct vnl_vm *vm, enum vnl_role role)
{
	return vm->roles[role].n > 0;
}

const char *vnl_vm_evidence_text(struct vnl_vm *vm, enum vnl_role role)
{
	const struct vnl_evidence *ev = &vm->roles[role];
	struct strbuf sb = STRBUF_INIT;
	const char *s;
	size_t i;

	if (!ev->n)
		return NULL;
	for (i = 0; i < ev->n; i++) {
		if (i)
			strbuf_adds(&sb, ", ");
		strbuf_adds(&sb, ev->items[i]);
	}
	s = arena_strndup(&vm->arena, strbuf_str(&sb), sb.len);
	strbuf_release(&sb);
	return s;
}

struct vnl_loc vnl_loc_at(const struct vnl_vm *vm, unsigned line, unsigned col)
{
	struct vnl_loc loc = { vm->origin, line, col };
	return loc;
}

enum vnl_nic_family vnl_nic_family_of(const char *model)
{
	static const char *const emulated[] = {
		"e1000", "e1000-82540em", "e1000-82544gc", "e1000-82545em", "e1000e",
		"i82551", "i82557b", "i82559er", "ne2k_isa", "ne2k_pci", "pcnet",
		"rtl8139", "vmxnet3", "usb-net", "spapr-vlan", "lan9118", "smc91c111",
	};
	size_t i;

	if (!model || !*model)
		return VNL_NIC_UNKNOWN;
	/* libvirt also knows the transitional variants (research/libvirt.md 1.2) */
	if (!strcmp(model, "virtio") || !strcmp(model, "virtio-transitional") ||
	    !strcmp(model, "virtio-non-transitional") || !strcmp(model, "virtio-net-pci"))
		return VNL_NIC_VIRTIO;
	for (i = 0; i < VNL_ARRAY_LEN(emulated); i++)
		if (!strcmp(model, emulated[i]))
			return VNL_NIC_EMULATED;
	return VNL_NIC_UNKNOWN;
}

long long vnl_nic_queue_count(const struct vnl_nic *nic)
{
	if (!VNL_SET(nic->queues) || nic->queues.value < 1)
		return 1;
	return nic->queues.value;
}

const char *vnl_vm_label(struct vnl_vm *vm)
{
	if (vm->id && vm->name && strcmp(vm->id, vm->name) != 0)
		return arena_printf(&vm->arena, "VM %s (%s)", vm->id, vm->name);
	if (vm->id)
		return arena_printf(&vm->arena, "VM %s", vm->id);
	if (vm->name)
		return arena_printf(&vm->arena, "VM %s", vm->name);
	return "VM ?";
}
