#include "config.h"

#include "write/pve_text.h"

#include <stdlib.h>
#include <string.h>

#include "source/pve_conf.h"
#include "source/pve_prop.h"
#include "write/verify.h"

/* ---- one netN value ------------------------------------------------------------ */

/* The keys PVE prints after the model, in its byte order (proxmox.md 2.3). */
static const char *const canonical[] = {
	"bridge", "firewall", "host-tunnel", "link_down", "mtu", "queues", "rate", "tag", "trunks",
};

static const char *pve_key(enum vnl_edit_prop prop)
{
	switch (prop) {
	case VNL_PROP_QUEUES: return "queues";
	case VNL_PROP_MTU: return "mtu";
	case VNL_PROP_HOST_TUNNEL: return "host-tunnel";
	default: return NULL;
	}
}

static bool is_canonical(const char *k, size_t n)
{
	size_t i;
	for (i = 0; i < VNL_ARRAY_LEN(canonical); i++)
		if (strlen(canonical[i]) == n && !memcmp(canonical[i], k, n))
			return true;
	return false;
}

struct part {
	size_t off, len; /* the whole part, without its comma */
	size_t key_len;  /* 0 for a part without '=' */
};

/* Parts as parse_property_string sees them; blank parts are skipped. */
static size_t split_parts(const char *v, size_t len, struct part *parts, size_t max)
{
	size_t i = 0, n = 0;

	while (i <= len && n < max) {
		size_t j = i, k;
		const char *eq;
		bool blank = true;
		while (j < len && v[j] != ',')
			j++;
		for (k = i; k < j && blank; k++)
			blank = v[k] == ' ' || v[k] == '\t';
		if (!blank) {
			eq = memchr(v + i, '=', j - i);
			parts[n].off = i;
			parts[n].len = j - i;
			parts[n].key_len = eq ? (size_t)(eq - (v + i)) : 0;
			n++;
		}
		i = j + 1;
	}
	return n;
}

static bool part_is(const char *v, const struct part *p, const char *key)
{
	return p->key_len == strlen(key) && !memcmp(v + p->off, key, p->key_len);
}

/* A value PVE stores as written: digits and letters only, never ',' or
 * '=' (which would split the property string). */
static bool value_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
			return false;
	return true;
}

static void splice(struct strbuf *sb, size_t off, size_t del, const char *ins, size_t inslen)
{
	struct strbuf t = STRBUF_INIT;
	strbuf_add(&t, sb->buf, off);
	strbuf_add(&t, ins, inslen);
	strbuf_add(&t, sb->buf + off + del, sb->len - off - del);
	strbuf_release(sb);
	*sb = t;
}

static void remove_part(struct strbuf *sb, const struct part *parts, size_t i)
{
	size_t from = parts[i].off, to = parts[i].off + parts[i].len;

	/* with the comma before it, or the one after the first part */
	if (from > 0)
		from--;
	else if (to < sb->len)
		to++;
	splice(sb, from, to - from, "", 0);
}

/* Byte order of a key of n bytes against key, as Perl's sort compares. */
static int key_cmp(const char *k, size_t n, const char *key)
{
	size_t kn = strlen(key), m = n < kn ? n : kn;
	int c = memcmp(k, key, m);
	return c ? c : (n > kn) - (n < kn);
}

static void insert_key(struct strbuf *sb, const struct part *parts, size_t n, const char *key,
		       const char *value)
{
	char *text;
	size_t i;

	for (i = 1; i < n; i++) {
		const char *k = sb->buf + parts[i].off;
		if (parts[i].key_len && is_canonical(k, parts[i].key_len) &&
		    key_cmp(k, parts[i].key_len, key) > 0) {
			text = xasprintf("%s=%s,", key, value);
			splice(sb, parts[i].off, 0, text, strlen(text));
			free(text);
			return;
		}
	}
	text = xasprintf(",%s=%s", key, value);
	splice(sb, n ? parts[n - 1].off + parts[n - 1].len : sb->len, 0, text, strlen(text));
	free(text);
}

static int apply_one(struct strbuf *sb, const struct vnl_edit *e, struct vnl_err *err)
{
	const char *key = pve_key(e->prop);
	struct part parts[64];
	size_t n, i;

	if (!key)
		return vnl_fail(err, "%s: '%s' is not a Proxmox NIC setting", e->nic_key,
				vnl_edit_prop_name(e->prop));
	if (e->op == VNL_EDIT_SET && !value_ok(e->value))
		return vnl_fail(err, "%s: '%s' is not a value vmnetlint writes into %s", e->nic_key,
				e->value ? e->value : "", key);
	n = split_parts(sb->buf, sb->len, parts, VNL_ARRAY_LEN(parts));
	for (i = 0; i < n && !part_is(sb->buf, &parts[i], key); i++)
		;
	if (e->op == VNL_EDIT_REMOVE) {
		if (i < n)
			remove_part(sb, parts, i);
	} else if (i < n) {
		size_t voff = parts[i].off + parts[i].key_len + 1;
		splice(sb, voff, parts[i].len - parts[i].key_len - 1, e->value, strlen(e->value));
	} else {
		insert_key(sb, parts, n, key, e->value);
	}
	return 0;
}

/* value parsed as NIC key into a scratch VM; NULL if PVE would refuse it. */
static struct vnl_nic *parse_value(struct vnl_vm *vm, const char *key, const char *value)
{
	struct vnl_nic *nic = vnl_vm_add_nic(vm, key);
	return pve_net_parse(vm, nic, value, strlen(value), 1, 1) < 0 ? NULL : nic;
}

int pve_net_rewrite(const char *nic_key, const char *value, const struct vnl_edit *edits,
		    size_t n, struct strbuf *out, struct vnl_err *err)
{
	struct vnl_vm *vm = vnl_vm_new(VNL_SRC_PVE_FILE, nic_key);
	struct vnl_nic *before, *after;
	size_t i;
	int rc = 0;

	strbuf_reset(out);
	strbuf_adds(out, value);
	for (i = 0; i < n && rc == 0; i++)
		if (!strcmp(edits[i].nic_key, nic_key))
			rc = apply_one(out, &edits[i], err);
	if (rc == 0) {
		/* two NICs of one scratch VM: the array may move, so index it */
		before = parse_value(vm, nic_key, value);
		after = before ? parse_value(vm, nic_key, strbuf_str(out)) : NULL;
		before = before ? &vm->nics[0] : NULL;
		if (!before)
			rc = vnl_fail(err, "%s: PVE refuses the value as it is; not edited", nic_key);
		else if (!after)
			rc = vnl_fail(err, "%s: the new value '%s' would be refused: %s", nic_key,
				      strbuf_str(out), vm->nproblems ? vm->problems[0].message : "?");
		else if (!vm->nics[1].mac.raw != !vm->nics[0].mac.raw)
			rc = vnl_fail(err, "%s: the MAC would be lost", nic_key);
		else
			rc = wr_verify_nic(before, &vm->nics[1], edits, n, err);
	}
	vnl_vm_free(vm);
	return rc;
}

/* ---- a whole config ------------------------------------------------------------------ */

struct change {
	size_t off, len;
	char *text;
};

/* Byte offset of the 1-based line in text; len when there is no such line. */
static size_t line_offset(const char *text, size_t len, unsigned line)
{
	size_t off = 0;
	unsigned l = 1;

	while (l < line && off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		if (!nl)
			return len;
		off = (size_t)(nl - text) + 1;
		l++;
	}
	return off;
}

static bool listed(const struct vnl_edit *edits, size_t upto, const char *key)
{
	size_t i;
	for (i = 0; i < upto; i++)
		if (!strcmp(edits[i].nic_key, key))
			return true;
	return false;
}

/* The new value of one NIC, and where the old one is written. */
static int plan_nic(const struct vnl_vm *vm, const char *text, size_t len, const char *key,
		    const struct vnl_edit *edits, size_t n, struct change *c, struct vnl_err *err)
{
	const struct vnl_nic *nic = vnl_vm_find_nic(vm, key);
	struct strbuf nv = STRBUF_INIT;
	size_t off, rawlen;

	if (!nic)
		return vnl_fail(err, "%s is not a NIC of the main section that PVE accepts", key);
	if (nic->pending != VNL_PENDING_NONE)
		return vnl_fail(err, "%s has a change waiting in [PENDING], which would replace the "
				"edit at the next cold start; apply or revert it first", key);
	rawlen = strlen(nic->raw);
	off = line_offset(text, len, nic->loc.line) + (nic->loc.col ? nic->loc.col - 1 : 0);
	if (!nic->loc.line || !nic->loc.col || off + rawlen > len ||
	    memcmp(text + off, nic->raw, rawlen))
		return vnl_fail(err, "%s: its value is not where the parser saw it; not edited", key);
	if (pve_net_rewrite(key, nic->raw, edits, n, &nv, err) < 0) {
		strbuf_release(&nv);
		return -1;
	}
	c->off = off;
	c->len = rawlen;
	c->text = strbuf_detach(&nv);
	return 0;
}

static int by_offset(const void *x, const void *y)
{
	const struct change *a = x, *b = y;
	return a->off < b->off ? -1 : a->off > b->off;
}

static void assemble(const char *text, size_t len, struct change *c, size_t nc,
		     struct strbuf *out)
{
	size_t pos = 0, i;

	qsort(c, nc, sizeof(*c), by_offset);
	strbuf_reset(out);
	for (i = 0; i < nc; i++) {
		strbuf_add(out, text + pos, c[i].off - pos);
		strbuf_adds(out, c[i].text);
		pos = c[i].off + c[i].len;
	}
	strbuf_add(out, text + pos, len - pos);
}

static size_t count_lines(const char *s, size_t n)
{
	size_t k = 0;
	const char *p = s, *end = s + n;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL)
		k++, p++;
	return k;
}

int pve_conf_rewrite(const char *text, size_t len, const struct vnl_edit *edits, size_t n,
		     struct strbuf *out, struct vnl_err *err)
{
	struct vnl_vm *vm = pve_conf_parse("config", text, len, NULL), *again = NULL;
	struct change *c = xcalloc(n ? n : 1, sizeof(*c));
	size_t nc = 0, i;
	int rc = 0;

	if (vm->lock)
		rc = vnl_fail(err, "the VM is locked (lock: %s); qemu-server refuses config changes "
			      "until the lock is gone", vm->lock);
	for (i = 0; i < n && rc == 0; i++) {
		if (listed(edits, i, edits[i].nic_key))
			continue;
		rc = plan_nic(vm, text, len, edits[i].nic_key, edits, n, &c[nc], err);
		if (rc == 0)
			nc++;
	}
	if (rc == 0) {
		assemble(text, len, c, nc, out);
		again = pve_conf_parse("config", out->buf, out->len, NULL);
		if (count_lines(out->buf, out->len) != count_lines(text, len))
			rc = vnl_fail(err, "the edit would change the number of lines; not written");
		else if (wr_verify_vm(vm, again, edits, n, err) < 0)
			rc = -1;
	}
	for (i = 0; i < nc; i++)
		free(c[i].text);
	free(c);
	vnl_vm_free(again);
	vnl_vm_free(vm);
	return rc;
}
