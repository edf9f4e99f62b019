/* The Proxmox rewriter (src/write/pve_text.c), round trip: parse a qm
 * config, propose edits on its NICs (as rules do: remove or set queues,
 * mtu, host-tunnel), rewrite, parse the result again. When the rewriter
 * accepts, the new config must be the old one with exactly the edits (an
 * independent check of what its own verification promises), every line
 * but the edited netN lines must be byte for byte the same, and a second
 * rewrite with the same edits must change nothing. The first three bytes
 * choose the edits, the rest is the config. */
#include "config.h"

#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "source/pve_conf.h"
#include "write/pve_text.h"

#define MAX_EDITS 5

static const char *const values[] = { "1", "2", "4", "8", "64", "0", "1400", "9000", "65520",
				      "65521", "abc", "" };

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* One NIC's edit from 3 bits of sel and a value from v. */
static bool make_edit(struct vnl_edit *e, const char *key, unsigned op, unsigned v)
{
	static const enum vnl_edit_prop props[] = { VNL_PROP_QUEUES, VNL_PROP_MTU,
						    VNL_PROP_HOST_TUNNEL };
	memset(e, 0, sizeof(*e));
	if (op == 0)
		return false;
	e->nic_key = xstrdup(key);
	e->prop = props[(op - 1) % 3];
	e->op = op <= 3 ? VNL_EDIT_REMOVE : VNL_EDIT_SET;
	if (e->op == VNL_EDIT_SET)
		e->value = xstrdup(e->prop == VNL_PROP_HOST_TUNNEL ? (v & 1 ? "1" : "0")
								   : values[v % VNL_ARRAY_LEN(values)]);
	if (op == 7) { /* a property the PVE writer does not know: must be refused */
		e->prop = VNL_PROP_DRIVER_NAME;
		e->op = VNL_EDIT_REMOVE;
	}
	return true;
}

static const struct vnl_text *edited_text(const struct vnl_nic *nic, enum vnl_edit_prop p,
					  struct vnl_text *tmp)
{
	const struct vnl_int *i = p == VNL_PROP_QUEUES ? &nic->queues : &nic->mtu;
	if (p == VNL_PROP_HOST_TUNNEL) {
		tmp->raw = nic->host_tunnel.raw;
		return tmp;
	}
	tmp->raw = i->raw;
	return tmp;
}

/* after is before with exactly the edits, NIC by NIC */
static void check_vm(const struct vnl_vm *before, const struct vnl_vm *after,
		     const struct vnl_edit *edits, size_t n, const uint8_t *data, size_t size)
{
	size_t i, k;

	if (before->nnics != after->nnics || before->nproblems != after->nproblems)
		fuzz_fail("the rewritten config has other NICs or other problems", data, size);
	for (i = 0; i < before->nnics; i++) {
		const struct vnl_nic *a = &before->nics[i];
		const struct vnl_nic *b = vnl_vm_find_nic(after, a->key);
		enum vnl_edit_prop props[] = { VNL_PROP_QUEUES, VNL_PROP_MTU, VNL_PROP_HOST_TUNNEL };
		size_t p;

		if (!b)
			fuzz_fail("a NIC is gone after the rewrite", data, size);
		if (!same(a->model.raw, b->model.raw) || !same(a->mac.raw, b->mac.raw) ||
		    !same(a->bridge.raw, b->bridge.raw) || !same(a->vlan_tag.raw, b->vlan_tag.raw) ||
		    !same(a->trunks.raw, b->trunks.raw) || !same(a->rate.raw, b->rate.raw) ||
		    !same(a->firewall.raw, b->firewall.raw) ||
		    !same(a->link_down.raw, b->link_down.raw) || a->pending != b->pending)
			fuzz_fail("a setting no edit names changed", data, size);
		for (p = 0; p < VNL_ARRAY_LEN(props); p++) {
			struct vnl_text ta, tb;
			const char *want = edited_text(a, props[p], &ta)->raw;
			for (k = 0; k < n; k++)
				if (!strcmp(edits[k].nic_key, a->key) && edits[k].prop == props[p])
					want = edits[k].op == VNL_EDIT_SET ? edits[k].value : NULL;
			if (!same(want, edited_text(b, props[p], &tb)->raw))
				fuzz_fail("an edit did not take, or took wrong", data, size);
		}
	}
}

static bool is_edited_line(const char *s, size_t n, const struct vnl_edit *edits, size_t ne)
{
	size_t k;
	for (k = 0; k < ne; k++) {
		size_t kl = strlen(edits[k].nic_key);
		if (n > kl && !memcmp(s, edits[k].nic_key, kl) && s[kl] == ':')
			return true;
	}
	return false;
}

/* A section header as qemu-server sees one: the whole line is [...],
 * trailing blanks allowed; the parser's rule, which the harness must follow. */
static bool is_header(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
			 s[n - 1] == '\v' || s[n - 1] == '\f'))
		n--;
	/* a line with a NUL byte is skipped whole (pve_conf.c) */
	return n >= 2 && s[0] == '[' && s[n - 1] == ']' && !memchr(s, '\0', n);
}

/* every line but the edited netN lines of the main section is unchanged */
static void check_lines(const char *a, size_t an, const char *b, size_t bn,
			const struct vnl_edit *edits, size_t ne, const uint8_t *data, size_t size)
{
	size_t i = 0, j = 0;
	bool main_section = true;

	while (i <= an && j <= bn) {
		const char *ea = memchr(a + i, '\n', an - i), *eb = memchr(b + j, '\n', bn - j);
		size_t la = ea ? (size_t)(ea - (a + i)) : an - i, lb = eb ? (size_t)(eb - (b + j)) : bn - j;

		if (is_header(a + i, la))
			main_section = false;
		if (!(main_section && is_edited_line(a + i, la, edits, ne)) &&
		    (la != lb || memcmp(a + i, b + j, la)))
			fuzz_fail("a line that no edit names changed", data, size);
		if (!ea || !eb) {
			if (!ea != !eb)
				fuzz_fail("the rewritten config has another number of lines", data, size);
			return;
		}
		i += la + 1;
		j += lb + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pve_conf_hint hint = { "100", "pve1" };
	struct vnl_edit edits[MAX_EDITS];
	struct strbuf out = STRBUF_INIT, again = STRBUF_INIT, one = STRBUF_INIT;
	struct vnl_err err;
	struct vnl_vm *before, *after;
	const char *text;
	unsigned sel, vals;
	size_t n = 0, len, i;

	if (size < 3)
		return 0;
	sel = (unsigned)data[0] | (unsigned)data[1] << 8;
	vals = data[2];
	text = (const char *)data + 3;
	len = size - 3;
	before = pve_conf_parse("100.conf", text, len, &hint);
	for (i = 0; i < before->nnics && n < MAX_EDITS; i++)
		if (make_edit(&edits[n], before->nics[i].key, (sel >> (3 * i)) & 7, vals >> i))
			n++;

	err.msg[0] = '\0';
	if (pve_conf_rewrite(text, len, edits, n, &out, &err) == 0) {
		after = pve_conf_parse("100.conf", strbuf_str(&out), out.len, &hint);
		check_vm(before, after, edits, n, data, size);
		check_lines(text, len, strbuf_str(&out), out.len, edits, n, data, size);
		vnl_vm_free(after);
		if (pve_conf_rewrite(strbuf_str(&out), out.len, edits, n, &again, &err) != 0 ||
		    again.len != out.len || memcmp(again.buf, out.buf, out.len))
			fuzz_fail("a second rewrite with the same edits changed the config", data,
				  size);
	} else if (!err.msg[0]) {
		fuzz_fail("the rewrite was refused without a reason", data, size);
	}
	/* each NIC's value alone */
	for (i = 0; i < before->nnics; i++) {
		err.msg[0] = '\0';
		if (before->nics[i].raw &&
		    pve_net_rewrite(before->nics[i].key, before->nics[i].raw, edits, n, &one, &err) <
			    0 && !err.msg[0])
			fuzz_fail("a NIC rewrite was refused without a reason", data, size);
	}

	for (i = 0; i < n; i++) {
		free(edits[i].nic_key);
		free(edits[i].value);
	}
	strbuf_release(&out);
	strbuf_release(&again);
	strbuf_release(&one);
	vnl_vm_free(before);
	return 0;
}
