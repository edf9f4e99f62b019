/* An <interface> (research/libvirt.md 1) and our <vmnetlint:lint> metadata
 * into the model.
 *
 * NIC keys are "net0", "net1", ... in document order: the model needs a
 * stable short key, libvirt has none in inactive XML (aliases such as net0
 * exist only in the live XML of running QEMU guests, 1.6), and the MAC,
 * which libvirt itself uses to find a NIC (1.5), may be missing. Messages
 * show the MAC next to the key (vnl_nic_label).
 *
 * What libvirt refuses on define is an error problem, what it silently
 * drops a warning; both surface as VNL000. */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "libvirt_xml.h"
#include "libvirt_xml_int.h"

VNL_PRINTF(5, 6)
static void nic_problem(struct lx *x, struct vnl_nic *nic, enum vnl_severity sev,
			struct vnl_loc loc, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	vnl_vm_problem(x->vm, sev, loc.line, loc.col, nic->key, "%s: %s",
		       vnl_nic_label(x->vm, nic), strbuf_str(&sb));
	strbuf_release(&sb);
}

/* ---- attributes libvirt parses strictly -------------------------------------- */

/* An unsigned attribute; 0 is dropped by libvirt, so it stays unset
 * (research/libvirt.md 1.3: queues='0', rx_queue_size='0'). */
static void take_uint(struct lx *x, struct vnl_nic *nic, struct vnl_int *dst, xmlNodePtr n,
		      const char *attr)
{
	const char *v = lx_attr(n, attr);
	struct vnl_loc loc;
	long long val;

	if (!v)
		return;
	loc = lx_attr_loc(x, n, attr);
	if (!lx_uint(v, UINT_MAX, &val)) {
		nic_problem(x, nic, VNL_SEV_ERROR, loc,
			    "<%s %s='%s'> is not a non-negative integer; libvirt refuses the "
			    "definition (\"Invalid value for attribute '%s' in element '%s'\")",
			    (const char *)n->name, attr, v, attr, (const char *)n->name);
		return;
	}
	if (val == 0)
		return;
	dst->value = val;
	dst->raw = arena_strdup(&x->vm->arena, v);
	dst->loc = loc;
}

static void take_switch(struct lx *x, struct vnl_nic *nic, struct vnl_flag *dst, xmlNodePtr n,
			const char *attr)
{
	const char *v = lx_attr(n, attr);
	struct vnl_loc loc;

	if (!v)
		return;
	loc = lx_attr_loc(x, n, attr);
	if (strcmp(v, "on") && strcmp(v, "off")) {
		nic_problem(x, nic, VNL_SEV_ERROR, loc,
			    "<%s %s='%s'> must be on or off; libvirt refuses the definition",
			    (const char *)n->name, attr, v);
		return;
	}
	dst->value = !strcmp(v, "on");
	dst->raw = arena_strdup(&x->vm->arena, v);
	dst->loc = loc;
}

/* ---- children of <interface> ---------------------------------------------------- */

/* research/libvirt.md 1.3: <host> has gso and mrg_rxbuf, <guest> does not. */
static const enum vnl_offload host_offloads[] = {
	VNL_OFF_CSUM, VNL_OFF_GSO, VNL_OFF_TSO4, VNL_OFF_TSO6, VNL_OFF_ECN, VNL_OFF_UFO,
	VNL_OFF_MRG_RXBUF,
};
static const enum vnl_offload guest_offloads[] = {
	VNL_OFF_CSUM, VNL_OFF_TSO4, VNL_OFF_TSO6, VNL_OFF_ECN, VNL_OFF_UFO,
};

static void map_driver(struct lx *x, struct vnl_nic *nic, xmlNodePtr d)
{
	xmlNodePtr c;
	size_t i;

	lx_take_attr(x, &nic->driver_name, d, "name");
	take_uint(x, nic, &nic->queues, d, "queues");
	take_uint(x, nic, &nic->rx_queue_size, d, "rx_queue_size");
	take_uint(x, nic, &nic->tx_queue_size, d, "tx_queue_size");
	for (c = d->children; c; c = c->next) {
		if (lx_is(c, "host"))
			for (i = 0; i < VNL_ARRAY_LEN(host_offloads); i++)
				take_switch(x, nic, &nic->host_offload[host_offloads[i]], c,
					    vnl_offload_name(host_offloads[i]));
		else if (lx_is(c, "guest"))
			for (i = 0; i < VNL_ARRAY_LEN(guest_offloads); i++)
				take_switch(x, nic, &nic->guest_offload[guest_offloads[i]], c,
					    vnl_offload_name(guest_offloads[i]));
	}
}

static void map_source(struct lx *x, struct vnl_nic *nic, xmlNodePtr s)
{
	if (!lx_take_attr(x, &nic->bridge, s, "bridge") &&
	    !lx_take_attr(x, &nic->bridge, s, "network"))
		lx_take_attr(x, &nic->bridge, s, "dev");
}

/* The first tag is the NIC's VLAN; several make a trunk ("10;20", the
 * separator Proxmox trunks use). Ids are 0..4095 (research/libvirt.md 1.6). */
static void map_vlan(struct lx *x, struct vnl_nic *nic, xmlNodePtr v)
{
	struct strbuf ids = STRBUF_INIT;
	unsigned ntags = 0;
	xmlNodePtr c;

	for (c = v->children; c; c = c->next) {
		const char *id = lx_is(c, "tag") ? lx_attr(c, "id") : NULL;
		struct vnl_loc loc;
		long long val;

		if (!id)
			continue;
		loc = lx_attr_loc(x, c, "id");
		if (!lx_uint(id, LLONG_MAX, &val)) {
			nic_problem(x, nic, VNL_SEV_ERROR, loc, "vlan tag id '%s' is not a number; "
				    "libvirt refuses the definition", id);
			continue;
		}
		if (val > 4095) {
			nic_problem(x, nic, VNL_SEV_ERROR, loc, "vlan tag id %s too large (maximum "
				    "4095); libvirt refuses the definition", id);
			continue;
		}
		if (ntags++ == 0) {
			nic->vlan_tag.value = val;
			nic->vlan_tag.raw = arena_strdup(&x->vm->arena, id);
			nic->vlan_tag.loc = loc;
		}
		strbuf_addf(&ids, "%s%s", ntags > 1 ? ";" : "", id);
	}
	if (ntags > 1) {
		nic->trunks.raw = arena_strdup(&x->vm->arena, strbuf_str(&ids));
		nic->trunks.loc = lx_elem_loc(x, v);
	}
	strbuf_release(&ids);
}

static void map_mtu(struct lx *x, struct vnl_nic *nic, xmlNodePtr m)
{
	const char *v = lx_attr(m, "size");
	struct vnl_loc loc;
	long long val;

	if (!v)
		return;
	loc = lx_attr_loc(x, m, "size");
	if (!lx_uint(v, UINT_MAX, &val)) {
		nic_problem(x, nic, VNL_SEV_ERROR, loc, "<mtu size='%s'>: libvirt refuses the "
			    "definition (\"malformed mtu size\")", v);
		return;
	}
	if (val == 0)
		return; /* dropped by libvirt (research/libvirt.md 1.4) */
	if (val > 65535)
		nic_problem(x, nic, VNL_SEV_WARNING, loc, "<mtu size='%s'> is above 65535; libvirt "
			    "keeps it but its schema rejects it (virt-xml-validate fails)", v);
	nic->mtu.value = val;
	nic->mtu.raw = arena_strdup(&x->vm->arena, v);
	nic->mtu.loc = loc;
}

static void map_link(struct lx *x, struct vnl_nic *nic, xmlNodePtr l)
{
	const char *v = lx_attr(l, "state");
	struct vnl_loc loc;

	if (!v)
		return;
	loc = lx_attr_loc(x, l, "state");
	if (strcmp(v, "up") && strcmp(v, "down")) {
		nic_problem(x, nic, VNL_SEV_ERROR, loc, "unknown interface link state '%s'; libvirt "
			    "refuses the definition", v);
		return;
	}
	nic->link_down.value = !strcmp(v, "down");
	nic->link_down.raw = arena_strdup(&x->vm->arena, v);
	nic->link_down.loc = loc;
}

/* The QoS as written: "inbound average=1000 peak=5000; outbound average=128". */
static void map_bandwidth(struct lx *x, struct vnl_nic *nic, xmlNodePtr b)
{
	struct strbuf sb = STRBUF_INIT;
	xmlNodePtr c;
	xmlAttrPtr a;

	for (c = b->children; c; c = c->next) {
		if (!lx_is(c, "inbound") && !lx_is(c, "outbound"))
			continue;
		strbuf_addf(&sb, "%s%s", sb.len ? "; " : "", (const char *)c->name);
		for (a = c->properties; a; a = a->next)
			strbuf_addf(&sb, " %s=%s", (const char *)a->name,
				    lx_attr(c, (const char *)a->name) ? lx_attr(c, (const char *)a->name) : "");
	}
	if (sb.len) {
		nic->rate.raw = arena_strdup(&x->vm->arena, strbuf_str(&sb));
		nic->rate.loc = lx_elem_loc(x, b);
	}
	strbuf_release(&sb);
}

static void map_child(struct lx *x, struct vnl_nic *nic, xmlNodePtr c)
{
	if (lx_is(c, "source"))
		map_source(x, nic, c);
	else if (lx_is(c, "model"))
		lx_take_attr(x, &nic->model, c, "type");
	else if (lx_is(c, "driver"))
		map_driver(x, nic, c);
	else if (lx_is(c, "vlan"))
		map_vlan(x, nic, c);
	else if (lx_is(c, "mtu"))
		map_mtu(x, nic, c);
	else if (lx_is(c, "link"))
		map_link(x, nic, c);
	else if (lx_is(c, "bandwidth"))
		map_bandwidth(x, nic, c);
}

/* ---- checks once the whole <interface> is read ------------------------------------ */

/* virMacAddrParse: six hex octets of one or two digits, ':'-separated. */
static bool mac_parse(const char *s, unsigned *first)
{
	int octet;
	for (octet = 0; octet < 6; octet++) {
		unsigned v = 0, digits = 0;
		while (isxdigit((unsigned char)*s) && digits < 3) {
			v = v * 16 + (unsigned)(isdigit((unsigned char)*s) ? *s - '0'
							: tolower((unsigned char)*s) - 'a' + 10);
			s++;
			digits++;
		}
		if (digits == 0 || digits > 2)
			return false;
		if (octet == 0)
			*first = v;
		if (octet < 5 && *s++ != ':')
			return false;
	}
	return *s == '\0';
}

static void check_mac(struct lx *x, struct vnl_nic *nic)
{
	unsigned first = 0;

	if (!nic->mac.raw)
		return; /* libvirt generates one (research/libvirt.md 1.5) */
	if (!mac_parse(nic->mac.raw, &first))
		nic_problem(x, nic, VNL_SEV_ERROR, nic->mac.loc, "'%s' is not a MAC address; "
			    "libvirt refuses the definition", nic->mac.raw);
	else if (first & 1)
		nic_problem(x, nic, VNL_SEV_ERROR, nic->mac.loc, "expected unicast mac address, "
			    "found multicast '%s'; libvirt refuses the definition", nic->mac.raw);
}

static bool model_name_valid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return false;
	return true;
}

static bool any_set(const struct vnl_flag *flags)
{
	size_t i;
	for (i = 0; i < VNL_OFF__COUNT; i++)
		if (VNL_SET(flags[i]))
			return true;
	return false;
}

static void check_driver(struct lx *x, struct vnl_nic *nic, bool hostdev)
{
	const char *name = nic->driver_name.raw;
	bool virtio_opts = VNL_SET(nic->queues) || VNL_SET(nic->rx_queue_size) ||
			   VNL_SET(nic->tx_queue_size) || any_set(nic->host_offload) ||
			   any_set(nic->guest_offload);

	if (name && (hostdev ? strcmp(name, "vfio") && strcmp(name, "kvm") && strcmp(name, "xen")
			     : strcmp(name, "qemu") && strcmp(name, "vhost")))
		nic_problem(x, nic, VNL_SEV_ERROR, nic->driver_name.loc, "<driver name='%s'>: "
			    "invalid value; libvirt refuses the definition", name);
	/* research/libvirt.md 1.3: dropped on define for a non-virtio model */
	if (virtio_opts && nic->family == VNL_NIC_EMULATED)
		nic_problem(x, nic, VNL_SEV_WARNING, nic->model.loc, "virtio <driver> settings "
			    "(queues, ring sizes, offloads) on model '%s'; libvirt silently drops "
			    "them on define", nic->model.raw);
	if (nic->family == VNL_NIC_VIRTIO && VNL_SET(nic->queues) && nic->queues.value > 511)
		nic_problem(x, nic, VNL_SEV_ERROR, nic->queues.loc, "queues='%s': QEMU refuses "
			    "more than 511 queue pairs and the VM does not start", nic->queues.raw);
}

static void check_nic(struct lx *x, struct vnl_nic *nic)
{
	const char *type = nic->type.raw ? nic->type.raw : "";
	bool hostdev = !strcmp(type, "hostdev");

	nic->family = hostdev ? VNL_NIC_PASSTHROUGH : vnl_nic_family_of(nic->model.raw);
	check_mac(x, nic);
	if (nic->model.raw && !model_name_valid(nic->model.raw))
		nic_problem(x, nic, VNL_SEV_ERROR, nic->model.loc, "<model type='%s'>: model name "
			    "contains invalid characters; libvirt refuses the definition",
			    nic->model.raw);
	/* research/libvirt.md 1.1: virDomainNetDefValidate */
	if (!strcmp(type, "vhostuser") && nic->family != VNL_NIC_VIRTIO)
		nic_problem(x, nic, VNL_SEV_ERROR, nic->type.loc, "vhostuser requires the "
			    "virtio-net* frontend; libvirt refuses the definition");
	check_driver(x, nic, hostdev);
}

void lx_map_interface(struct lx *x, xmlNodePtr iface, unsigned index)
{
	char key[32];
	struct vnl_nic *nic;
	xmlNodePtr c;

	snprintf(key, sizeof(key), "net%u", index);
	nic = vnl_vm_add_nic(x->vm, key);
	nic->loc = lx_elem_loc(x, iface);
	lx_take_attr(x, &nic->type, iface, "type");
	/* the MAC first, so every message can name it */
	for (c = iface->children; c && !nic->mac.raw; c = c->next)
		if (lx_is(c, "mac"))
			lx_take_attr(x, &nic->mac, c, "address");
	for (c = iface->children; c; c = c->next)
		map_child(x, nic, c);
	check_nic(x, nic);
}

/* ---- <vmnetlint:lint> ------------------------------------------------------------------ */

static void map_role(struct lx *x, xmlNodePtr r)
{
	static const enum vnl_role roles[] = {
		VNL_ROLE_FIREWALL, VNL_ROLE_PFSYNC, VNL_ROLE_ROUTER, VNL_ROLE_OVERLAY,
		VNL_ROLE_LINUX,
	};
	const char *name = lx_attr(r, "name");
	size_t i;

	for (i = 0; name && i < VNL_ARRAY_LEN(roles); i++) {
		if (!strcmp(name, vnl_role_name(roles[i]))) {
			vnl_vm_add_evidence(x->vm, roles[i], "metadata role '%s'", name);
			return;
		}
	}
	vnl_vm_problem(x->vm, VNL_SEV_WARNING, lx_line(r), lx_attr_loc(x, r, "name").col, NULL,
		       "vmnetlint metadata: unknown role '%s' (known: firewall, pfsync, router, "
		       "overlay, linux); ignored", name ? name : "");
}

static void add_suppression(struct lx *x, xmlNodePtr s)
{
	const char *rule = lx_attr(s, "rule"), *reason = lx_attr(s, "reason");
	struct vnl_suppression *sup;

	if (!rule || !*rule) {
		vnl_vm_problem(x->vm, VNL_SEV_WARNING, lx_line(s), lx_elem_loc(x, s).col, NULL,
			       "vmnetlint metadata: <suppress> without rule='...'; ignored");
		return;
	}
	vnl_grow(&x->supp, &x->supp_cap, x->nsupp + 1, sizeof(*x->supp));
	sup = &x->supp[x->nsupp++];
	sup->rule = arena_strdup(&x->vm->arena, rule);
	sup->reason = reason ? arena_strdup(&x->vm->arena, reason) : NULL;
	sup->loc = lx_attr_loc(x, s, "rule");
}

void lx_map_lint(struct lx *x, xmlNodePtr lint, bool later)
{
	xmlNodePtr c;

	if (later || strcmp((const char *)lint->name, "lint")) {
		/* research/libvirt.md 2: one top-level element per namespace */
		vnl_vm_problem(x->vm, VNL_SEV_WARNING, lx_line(lint), lx_elem_loc(x, lint).col, NULL,
			       "vmnetlint metadata: %s; put everything under one <vmnetlint:lint>",
			       later ? "libvirt keeps only the first element of a namespace in "
				       "<metadata> and drops this one on define"
				     : "the top-level element must be <lint>; ignored");
		return;
	}
	for (c = lint->children; c; c = c->next) {
		if (lx_is_ns(c, LIBVIRT_XML_NS_VMNETLINT, "role"))
			map_role(x, c);
		else if (lx_is_ns(c, LIBVIRT_XML_NS_VMNETLINT, "suppress"))
			add_suppression(x, c);
		else if (c->type == XML_ELEMENT_NODE)
			vnl_vm_problem(x->vm, VNL_SEV_WARNING, lx_line(c), lx_elem_loc(x, c).col,
				       NULL, "vmnetlint metadata: unknown element <%s>; ignored",
				       (const char *)c->name);
	}
}

void lx_finish_lint(struct lx *x)
{
	struct vnl_vm *vm = x->vm;

	if (!x->nsupp)
		return;
	vm->suppressions = arena_alloc(&vm->arena, x->nsupp * sizeof(*vm->suppressions));
	memcpy(vm->suppressions, x->supp, x->nsupp * sizeof(*vm->suppressions));
	vm->nsuppressions = x->nsupp;
}
