#include "config.h"

#include "write/libvirt_xml.h"

#include <stdlib.h>
#include <string.h>

#include "source/libvirt_xml.h"
#include "write/verify.h"
#include "write/xml_edit.h"

/* Children of <interface> in libvirt's own order (research/libvirt.md 1.3):
 * a new element goes after the last of these that precede it. */
static const char *const before_driver[] = { "mac", "source", "vlan", "bandwidth", "target",
					     "model" };
static const char *const before_mtu[] = { "mac", "source", "vlan", "bandwidth", "target",
					  "model", "driver", "link" };
static const char *const before_guest[] = { "host" };

/* A value written into an attribute: no quoting or escaping needed. */
static bool value_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      *s == '_' || *s == '-' || *s == '.'))
			return false;
	return true;
}

static const char *driver_attr(enum vnl_edit_prop prop)
{
	switch (prop) {
	case VNL_PROP_QUEUES: return "queues";
	case VNL_PROP_RX_QUEUE_SIZE: return "rx_queue_size";
	case VNL_PROP_TX_QUEUE_SIZE: return "tx_queue_size";
	case VNL_PROP_DRIVER_NAME: return "name";
	default: return NULL;
	}
}

static void insert_elem(struct strbuf *sb, const struct xe_elem *parent, char q, const char *name,
			const char *attr, const char *value, const char *const *before, size_t nb)
{
	char *text = attr ? xasprintf("<%s %s=%c%s%c/>", name, attr, q, value, q)
			  : xasprintf("<%s/>", name);
	xe_insert_child(sb, parent, text, before, nb);
	free(text);
}

/* queues, ring sizes, driver name: attributes of <driver>. */
static int edit_driver_attr(struct strbuf *sb, const struct xe_elem *iface, char q,
			    const struct vnl_edit *e)
{
	const char *attr = driver_attr(e->prop);
	struct xe_elem drv;

	if (xe_child(sb->buf, sb->len, iface, "driver", &drv) < 0) {
		if (e->op == VNL_EDIT_SET)
			insert_elem(sb, iface, q, "driver", attr, e->value, before_driver,
				    VNL_ARRAY_LEN(before_driver));
	} else if (e->op == VNL_EDIT_REMOVE) {
		xe_remove_attr(sb, &drv, attr);
	} else {
		xe_set_attr(sb, &drv, attr, e->value);
	}
	return 0;
}

static int edit_mtu(struct strbuf *sb, const struct xe_elem *iface, char q, const struct vnl_edit *e)
{
	struct xe_elem mtu;

	if (xe_child(sb->buf, sb->len, iface, "mtu", &mtu) < 0) {
		if (e->op == VNL_EDIT_SET)
			insert_elem(sb, iface, q, "mtu", "size", e->value, before_mtu,
				    VNL_ARRAY_LEN(before_mtu));
	} else if (e->op == VNL_EDIT_REMOVE) {
		xe_remove_elem(sb, &mtu);
	} else {
		xe_set_attr(sb, &mtu, "size", e->value);
	}
	return 0;
}

/* <driver><host csum='off'/></driver>: the driver first, then the side,
 * each found again after the text changed. */
static int edit_offload(struct strbuf *sb, size_t ioff, char q, const struct vnl_edit *e)
{
	const char *side = e->prop == VNL_PROP_HOST_OFFLOAD ? "host" : "guest";
	const char *attr = vnl_offload_name(e->offload);
	struct xe_elem iface, drv, sub;
	bool guest = e->prop == VNL_PROP_GUEST_OFFLOAD;

	if (xe_elem_at(sb->buf, sb->len, ioff, &iface) < 0)
		return -1;
	if (xe_child(sb->buf, sb->len, &iface, "driver", &drv) < 0) {
		if (e->op == VNL_EDIT_REMOVE)
			return 0;
		insert_elem(sb, &iface, q, "driver", NULL, NULL, before_driver,
			    VNL_ARRAY_LEN(before_driver));
		if (xe_elem_at(sb->buf, sb->len, ioff, &iface) < 0 ||
		    xe_child(sb->buf, sb->len, &iface, "driver", &drv) < 0)
			return -1;
	}
	if (xe_child(sb->buf, sb->len, &drv, side, &sub) < 0) {
		if (e->op == VNL_EDIT_SET)
			insert_elem(sb, &drv, q, side, attr, e->value, guest ? before_guest : NULL,
				    guest ? VNL_ARRAY_LEN(before_guest) : 0);
	} else if (e->op == VNL_EDIT_REMOVE) {
		xe_remove_attr(sb, &sub, attr);
	} else {
		xe_set_attr(sb, &sub, attr, e->value);
	}
	return 0;
}

static int apply_edit(struct strbuf *sb, size_t ioff, const struct vnl_nic *nic,
		      const struct vnl_edit *e, struct vnl_err *err)
{
	struct xe_elem iface;
	char q;

	if (e->op == VNL_EDIT_SET && !value_ok(e->value))
		return vnl_fail(err, "%s: '%s' is not a value vmnetlint writes into XML", e->nic_key,
				e->value ? e->value : "");
	if (e->prop != VNL_PROP_MTU && e->prop != VNL_PROP_DRIVER_NAME && e->op == VNL_EDIT_SET &&
	    nic->family != VNL_NIC_VIRTIO)
		return vnl_fail(err, "%s: libvirt drops virtio <driver> settings on model '%s' "
				"(research/libvirt.md 1.3); not edited", e->nic_key,
				nic->model.raw ? nic->model.raw : "(none)");
	if (xe_elem_at(sb->buf, sb->len, ioff, &iface) < 0)
		return vnl_fail(err, "%s: its <interface> could not be read; not edited", e->nic_key);
	q = xe_quote(sb->buf, &iface);
	if (driver_attr(e->prop))
		return edit_driver_attr(sb, &iface, q, e);
	if (e->prop == VNL_PROP_MTU)
		return edit_mtu(sb, &iface, q, e);
	if (e->prop == VNL_PROP_HOST_OFFLOAD || e->prop == VNL_PROP_GUEST_OFFLOAD) {
		if (edit_offload(sb, ioff, q, e) < 0)
			return vnl_fail(err, "%s: its <driver> could not be read; not edited", e->nic_key);
		return 0;
	}
	return vnl_fail(err, "%s: '%s' is not a libvirt NIC setting", e->nic_key,
			vnl_edit_prop_name(e->prop));
}

/* ---- the document ------------------------------------------------------------------ */

/* One edited <interface>: where it is in the old text and how long it is
 * in the old and the new text (later ones first, so earlier offsets hold). */
struct span {
	const struct vnl_nic *nic;
	size_t off, old_len, new_len;
};

static size_t offset_of(const char *text, size_t len, unsigned line, unsigned col)
{
	size_t off = 0;
	unsigned l;

	for (l = 1; l < line && off < len; l++) {
		const char *nl = memchr(text + off, '\n', len - off);
		if (!nl)
			return len;
		off = (size_t)(nl - text) + 1;
	}
	return col ? off + col - 1 : len;
}

static int by_offset_desc(const void *x, const void *y)
{
	const struct span *a = x, *b = y;
	return a->off < b->off ? 1 : a->off > b->off ? -1 : 0;
}

static int find_spans(const struct vnl_vm *vm, const char *text, size_t len,
		      const struct vnl_edit *edits, size_t n, struct span *s, size_t *ns,
		      struct vnl_err *err)
{
	size_t i, k;
	struct xe_elem el;

	*ns = 0;
	for (i = 0; i < n; i++) {
		const struct vnl_nic *nic = vnl_vm_find_nic(vm, edits[i].nic_key);
		for (k = 0; k < *ns && s[k].nic != nic; k++)
			;
		if (k < *ns)
			continue;
		if (!nic)
			return vnl_fail(err, "%s: the domain has no such <interface>", edits[i].nic_key);
		s[k].nic = nic;
		s[k].off = offset_of(text, len, nic->loc.line, nic->loc.col);
		if (s[k].off + 10 > len || memcmp(text + s[k].off, "<interface", 10) ||
		    xe_elem_at(text, len, s[k].off, &el) < 0 || el.name_len != 9)
			return vnl_fail(err, "%s: its <interface> is not where the parser saw it "
					"(an encoding other than UTF-8?); not edited", nic->key);
		s[k].old_len = s[k].new_len = el.end - el.start;
		(*ns)++;
	}
	qsort(s, *ns, sizeof(*s), by_offset_desc);
	return 0;
}

/* Every byte outside the edited <interface> elements is the old one. */
static int same_outside(const char *a, size_t alen, const char *b, size_t blen,
			const struct span *s, size_t ns, struct vnl_err *err)
{
	size_t pa = 0, pb = 0, i;

	for (i = ns; i-- > 0;) { /* ascending offsets */
		size_t gap = s[i].off - pa;
		if (pb + gap > blen || memcmp(a + pa, b + pb, gap))
			return vnl_fail(err, "the edit changed text outside the <interface> elements");
		pa = s[i].off + s[i].old_len;
		pb += gap + s[i].new_len;
	}
	if (alen - pa != blen - pb || memcmp(a + pa, b + pb, alen - pa))
		return vnl_fail(err, "the edit changed text outside the <interface> elements");
	return 0;
}

static struct vnl_vm *parse_domain(const char *text, size_t len, struct vnl_err *err)
{
	struct libvirt_xml_result res;

	switch (libvirt_xml_parse("domain", VNL_SRC_LIBVIRT_XML, text, len, NULL, &res)) {
	case LIBVIRT_XML_DOMAIN:
		return res.vm;
	case LIBVIRT_XML_ERROR:
		vnl_fail(err, "line %u: %s", res.line, res.msg);
		return NULL;
	default:
		vnl_fail(err, "not a libvirt domain: %s", res.msg);
		return NULL;
	}
}

static int edit_all(struct strbuf *out, struct span *s, size_t ns, const struct vnl_edit *edits,
		    size_t n, struct vnl_err *err)
{
	size_t i, k;
	struct xe_elem el;

	for (k = 0; k < ns; k++) {
		for (i = 0; i < n; i++)
			if (!strcmp(edits[i].nic_key, s[k].nic->key) &&
			    apply_edit(out, s[k].off, s[k].nic, &edits[i], err) < 0)
				return -1;
		if (xe_elem_at(out->buf, out->len, s[k].off, &el) < 0)
			return vnl_fail(err, "%s: the edited <interface> is not well-formed", s[k].nic->key);
		s[k].new_len = el.end - el.start;
	}
	return 0;
}

int lv_xml_rewrite(const char *text, size_t len, const struct vnl_edit *edits, size_t n,
		   struct strbuf *out, struct vnl_err *err)
{
	struct vnl_vm *vm = parse_domain(text, len, err), *again = NULL;
	struct span *s = xcalloc(n ? n : 1, sizeof(*s));
	struct vnl_err why;
	size_t ns = 0;
	int rc = vm ? 0 : -1;

	strbuf_reset(out);
	strbuf_add(out, text, len);
	if (rc == 0)
		rc = find_spans(vm, text, len, edits, n, s, &ns, err);
	if (rc == 0)
		rc = edit_all(out, s, ns, edits, n, err);
	if (rc == 0)
		rc = same_outside(text, len, out->buf, out->len, s, ns, err);
	if (rc == 0 && !(again = parse_domain(out->buf, out->len, &why)))
		rc = vnl_fail(err, "the edited XML would not parse: %s", why.msg);
	if (rc == 0)
		rc = wr_verify_vm(vm, again, edits, n, err);
	free(s);
	vnl_vm_free(again);
	vnl_vm_free(vm);
	return rc;
}
