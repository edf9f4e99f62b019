/* Reading a qm config the way qemu-server's parse_vm_config does
 * (research/proxmox.md 1.1): split on '\n', skip blank lines, section
 * headers, '#' description lines, `key: value` lines checked against the
 * schema. Invalid lines are warned about and dropped by PVE, so each is a
 * problem here. Only the main section becomes the model; [PENDING] becomes
 * the VM's pending view. */
#include "config.h"

#include "pve_conf.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pve_keys.h"
#include "pve_prop.h"
#include "suppress.h"

enum section {
	SEC_MAIN,
	SEC_PENDING,
	SEC_SPECIAL,
	SEC_SNAPSHOT,
	SEC_UNKNOWN,
};

struct span {
	const char *s;
	size_t n;
	unsigned line;
	unsigned col;
};

/* Deferred [PENDING] entries that change what the VM's NICs or CPUs will be. */
struct pending_entry {
	struct span key;
	struct span value;
	const char *origin; /* the VM's origin when it was read (API: "...#netN") */
};

#define MAX_TRACKED_SECTIONS 256

struct conf_parse {
	struct vnl_vm *vm;
	enum section sec;
	struct strbuf description;
	struct pending_entry *pending;
	size_t npending, pending_cap;
	struct span pending_delete;
	const char *pending_delete_origin;
	char *sections[MAX_TRACKED_SECTIONS];
	size_t nsections;
	unsigned long long nets_seen; /* bit N: netN seen in main */
	struct vnl_int sockets, cores, vcpus, smp;
};

static size_t trim_right(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return n;
}

static const char *span_dup(struct conf_parse *cp, struct span sp)
{
	return arena_strndup(&cp->vm->arena, sp.s, sp.n);
}

/* ---- sections ---------------------------------------------------------- */

static bool snapshot_name_valid(const char *s, size_t n)
{
	size_t i;
	if (n < 2 || !isalpha((unsigned char)s[0]))
		return false;
	for (i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

static void note_duplicate_section(struct conf_parse *cp, const char *name, size_t n,
				   unsigned line)
{
	size_t i;
	for (i = 0; i < cp->nsections; i++) {
		if (strlen(cp->sections[i]) == n && !strncasecmp(cp->sections[i], name, n)) {
			vnl_vm_problem(cp->vm, VNL_SEV_WARNING, line, 1, NULL,
				       "duplicate section [%.*s]; Proxmox keeps only the later one",
				       (int)n, name);
			return;
		}
	}
	if (cp->nsections < MAX_TRACKED_SECTIONS)
		cp->sections[cp->nsections++] = xstrndup(name, n);
}

static void start_section(struct conf_parse *cp, const char *name, size_t n, unsigned line)
{
	if (n == 7 && !strncasecmp(name, "PENDING", 7)) {
		cp->sec = SEC_PENDING;
	} else if (n > 8 && !strncasecmp(name, "special:", 8)) {
		const char *what = name + 8;
		size_t wn = n - 8;
		bool known = (wn == 9 && !strncasecmp(what, "cloudinit", 9)) ||
			     (wn == 8 && !strncasecmp(what, "fleecing", 8));
		cp->sec = known ? SEC_SPECIAL : SEC_UNKNOWN;
	} else if (snapshot_name_valid(name, n)) {
		cp->sec = SEC_SNAPSHOT;
	} else {
		cp->sec = SEC_UNKNOWN;
	}
	if (cp->sec == SEC_UNKNOWN) {
		vnl_vm_problem(cp->vm, VNL_SEV_WARNING, line, 1, NULL,
			       "unknown section [%.*s]; Proxmox ignores it and every line up to "
			       "the next section", (int)n, name);
		return;
	}
	note_duplicate_section(cp, name, n, line);
}

/* A header is the whole line: '[' name ']' with trailing blanks allowed. */
static bool parse_header(struct conf_parse *cp, const char *s, size_t n, unsigned line)
{
	n = trim_right(s, n);
	if (n < 2 || s[0] != '[' || s[n - 1] != ']')
		return false;
	start_section(cp, s + 1, n - 2, line);
	return true;
}

/* ---- description --------------------------------------------------------- */

static void add_description(struct conf_parse *cp, const char *s, size_t n, bool newline)
{
	char *tmp;
	size_t len;

	if (cp->sec != SEC_MAIN)
		return;
	tmp = xmalloc(n + 1);
	len = pve_decode_text(s, n, tmp);
	strbuf_add(&cp->description, tmp, len);
	if (newline)
		strbuf_addch(&cp->description, '\n');
	free(tmp);
}

/* ---- value checks ---------------------------------------------------------- */

static void check_tags(struct conf_parse *cp, struct span v, bool keep)
{
	size_t i = 0;
	if (keep)
		cp->vm->tags_loc = vnl_loc_at(cp->vm, v.line, v.col);
	while (i < v.n) {
		size_t j = i;
		/* split on ';', ',' or whitespace (ParseUtils split_list) */
		while (j < v.n && !strchr(";, \t", v.s[j]))
			j++;
		if (j > i) {
			if (!pve_tag_valid(v.s + i, j - i))
				vnl_vm_problem(cp->vm, VNL_SEV_WARNING, v.line, v.col + (unsigned)i,
					       NULL, "tags: '%.*s' is not a valid tag", (int)(j - i),
					       v.s + i);
			else if (keep)
				vnl_vm_add_tag(cp->vm, v.s + i, j - i);
		}
		i = j + 1;
	}
}

static bool check_scalar(struct conf_parse *cp, enum pve_key_type type, struct span k,
			 struct span v)
{
	bool b;
	long long n;
	const char *what = NULL;

	switch (type) {
	case PVE_KEY_BOOL:
		if (!pve_parse_bool(v.s, v.n, &b))
			what = "a boolean";
		break;
	case PVE_KEY_INT:
		if (!str_to_ll(v.s, v.n, false, &n))
			what = "an integer";
		break;
	case PVE_KEY_NUMBER: {
		const char *dot = memchr(v.s, '.', v.n);
		size_t ilen = dot ? (size_t)(dot - v.s) : v.n;
		bool ok = str_is_digits(v.s, ilen) || (dot && ilen == 0);
		if (dot)
			ok = ok && str_is_digits(dot + 1, v.n - ilen - 1);
		if (!ok)
			what = "a number";
		break;
	}
	default:
		break;
	}
	if (what)
		vnl_vm_problem(cp->vm, VNL_SEV_WARNING, v.line, v.col, NULL,
			       "%.*s: '%.*s' is not %s; Proxmox ignores this line and drops it "
			       "when it next writes the config", (int)k.n, k.s, (int)v.n, v.s, what);
	return what == NULL;
}

static void keep_int(struct conf_parse *cp, struct vnl_int *dst, struct span v)
{
	long long n;
	if (!str_to_ll(v.s, v.n, false, &n))
		return;
	dst->value = n;
	dst->raw = span_dup(cp, v);
	dst->loc = vnl_loc_at(cp->vm, v.line, v.col);
}

/* ---- main-section keys ------------------------------------------------------ */

static bool key_is(struct span k, const char *name)
{
	return strlen(name) == k.n && !memcmp(k.s, name, k.n);
}

static void add_main_net(struct conf_parse *cp, struct span k, struct span v)
{
	char key[16];
	long long index = 0;
	struct vnl_nic *nic;

	snprintf(key, sizeof(key), "%.*s", (int)k.n, k.s);
	str_to_ll(k.s + 3, k.n - 3, false, &index);
	if (cp->nets_seen & (1ULL << index)) {
		/* PVE keeps the later line silently; the earlier NIC is lost */
		struct vnl_nic *old = vnl_vm_find_nic(cp->vm, key);
		vnl_vm_problem(cp->vm, VNL_SEV_WARNING, k.line, 1, key,
			       "%s is defined twice; Proxmox uses the later line and drops line %u",
			       key, old ? old->loc.line : 0);
		if (old) {
			size_t at = (size_t)(old - cp->vm->nics);
			memmove(old, old + 1, (cp->vm->nnics - at - 1) * sizeof(*old));
			cp->vm->nnics--;
		}
	}
	cp->nets_seen |= 1ULL << index;
	nic = vnl_vm_add_nic(cp->vm, key);
	if (pve_net_parse(cp->vm, nic, v.s, v.n, v.line, v.col) < 0)
		cp->vm->nnics--; /* PVE drops a NIC it cannot parse */
}

static void take_main_key(struct conf_parse *cp, enum pve_key_type type, struct span k,
			  struct span v)
{
	struct vnl_vm *vm = cp->vm;

	if (type == PVE_KEY_NET)
		add_main_net(cp, k, v);
	else if (type == PVE_KEY_TAGS)
		check_tags(cp, v, true);
	else if (key_is(k, "name"))
		vm->name = span_dup(cp, v);
	else if (key_is(k, "ostype"))
		vm->ostype = span_dup(cp, v);
	else if (key_is(k, "lock"))
		vm->lock = span_dup(cp, v);
	else if (key_is(k, "template"))
		pve_parse_bool(v.s, v.n, &vm->is_template);
	else if (key_is(k, "hotplug"))
		vm->hotplug = span_dup(cp, v);
	else if (key_is(k, "description"))
		add_description(cp, v.s, v.n, false);
	else if (key_is(k, "sockets"))
		keep_int(cp, &cp->sockets, v);
	else if (key_is(k, "cores"))
		keep_int(cp, &cp->cores, v);
	else if (key_is(k, "vcpus"))
		keep_int(cp, &cp->vcpus, v);
	else if (key_is(k, "smp"))
		keep_int(cp, &cp->smp, v);
}

static void defer_pending(struct conf_parse *cp, struct span k, struct span v)
{
	struct pending_entry *e;

	if (key_is(k, "delete")) {
		cp->pending_delete = v;
		cp->pending_delete_origin = cp->vm->origin;
		return;
	}
	if (!(k.n > 3 && !memcmp(k.s, "net", 3)) && !key_is(k, "cores") &&
	    !key_is(k, "sockets") && !key_is(k, "vcpus"))
		return;
	vnl_grow(&cp->pending, &cp->pending_cap, cp->npending + 1, sizeof(*cp->pending));
	e = &cp->pending[cp->npending++];
	e->key = k;
	e->value = v;
	e->origin = cp->vm->origin;
}

/* ---- lines ------------------------------------------------------------------ */

/* `key: value` with key = [a-z][a-z_-]*[0-9]*, value non-empty. */
static bool split_key_line(const char *s, size_t n, unsigned line, struct span *k,
			   struct span *v)
{
	size_t i = 0, vs;

	if (n == 0 || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' || s[i] == '-'))
		i++;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	if (i >= n || s[i] != ':')
		return false;
	k->s = s;
	k->n = i;
	k->line = line;
	k->col = 1;
	vs = i + 1;
	if (vs >= n)
		return false; /* nothing after the colon: no match */
	while (vs < n && isspace((unsigned char)s[vs]))
		vs++;
	v->line = line;
	if (vs >= n) {
		/* PVE's `:\s*(.+?)\s*$` backtracks: blanks alone give a value of
		 * one blank (cfg2cmd's bootorder-empty relies on that) */
		v->s = " ";
		v->n = 1;
		v->col = (unsigned)i + 2;
		return true;
	}
	n = trim_right(s, n);
	v->s = s + vs;
	v->n = n - vs;
	v->col = (unsigned)vs + 1;
	return true;
}

/* One `key: value` of the current section, from a file line or an API pair. */
static void take_key(struct conf_parse *cp, struct span k, struct span v, unsigned line)
{
	enum pve_key_type type;

	if (key_is(k, "snapstate"))
		return; /* recognised anywhere and dropped by PVE */
	if (cp->sec == SEC_SPECIAL)
		return; /* stored without validation */
	type = pve_key_type(k.s, k.n);
	if (type == PVE_KEY_UNKNOWN) {
		vnl_vm_problem(cp->vm, VNL_SEV_WARNING, line, 1, NULL,
			       "unknown setting '%.*s'; Proxmox ignores it", (int)k.n, k.s);
		return;
	}
	if (type == PVE_KEY_PENDING_DELETE && cp->sec != SEC_PENDING) {
		vnl_vm_problem(cp->vm, VNL_SEV_WARNING, line, 1, NULL,
			       "'delete:' is only allowed in [PENDING]");
		return;
	}
	if (!check_scalar(cp, type, k, v))
		return;
	if (cp->sec == SEC_MAIN)
		take_main_key(cp, type, k, v);
	else if (cp->sec == SEC_PENDING)
		defer_pending(cp, k, v);
	else if (type == PVE_KEY_TAGS)
		check_tags(cp, v, false);
}

static void parse_key_line(struct conf_parse *cp, const char *s, size_t n, unsigned line)
{
	struct span k, v;

	if (!split_key_line(s, n, line, &k, &v)) {
		vnl_vm_problem(cp->vm, VNL_SEV_WARNING, line, 1, NULL,
			       "unable to parse config line '%.*s'; Proxmox ignores it and drops "
			       "it when it next writes the config", (int)(n > 80 ? 80 : n), s);
		return;
	}
	take_key(cp, k, v, line);
}

static void parse_line(struct conf_parse *cp, const char *s, size_t n, unsigned line)
{
	size_t i = 0;

	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i == n)
		return; /* blank lines are skipped */
	if (s[0] == '[' && parse_header(cp, s, n, line))
		return;
	if (cp->sec == SEC_UNKNOWN)
		return; /* everything up to the next known header is ignored */
	if (s[0] == '#') {
		add_description(cp, s + 1, n - 1, true);
		/* `vmnetlint: ignore RULE -- reason` in the VM's notes */
		if (cp->sec == SEC_MAIN)
			vnl_suppress_read_pve_line(cp->vm, s + 1, n - 1, line);
		return;
	}
	parse_key_line(cp, s, n, line);
}

/* ---- after the last line ----------------------------------------------------- */

/* vcpus if set, else sockets*cores (QemuConfig get_derived_property). */
static void derive_vcpus(struct vnl_vm *vm, const struct vnl_int *sockets,
			 const struct vnl_int *cores, const struct vnl_int *vcpus,
			 const struct vnl_int *smp)
{
	long long s = 1, c = 1;
	const struct vnl_int *where;

	if (VNL_SET(*vcpus) && vcpus->value > 0) {
		vm->vcpus = *vcpus;
		vm->vcpus_from = "vcpus";
		return;
	}
	if (VNL_SET(*sockets) && sockets->value > 0)
		s = sockets->value;
	else if (VNL_SET(*smp) && smp->value > 0)
		s = smp->value; /* deprecated smp is treated as sockets */
	if (VNL_SET(*cores) && cores->value > 0)
		c = cores->value;
	where = VNL_SET(*cores) ? cores : VNL_SET(*sockets) ? sockets : smp;
	/* saturated: sockets and cores have no maximum in the schema, and
	 * values this absurd only have to stay comparable */
	vm->vcpus.value = s > LLONG_MAX / c ? LLONG_MAX : s * c;
	vm->vcpus.raw = where->raw ? where->raw : "1";
	vm->vcpus.loc = where->raw ? where->loc : vnl_loc_at(vm, 0, 0);
	vm->vcpus_from = "sockets*cores";
}

static void pending_delete_nics(struct conf_parse *cp, struct vnl_vm *view)
{
	struct span d = cp->pending_delete;
	size_t i = 0;

	while (i < d.n) {
		size_t j = i;
		char key[16];
		struct vnl_nic *nic;

		while (j < d.n && !strchr(",; \t", d.s[j]))
			j++;
		if (j > i && d.s[i] == '!')
			i++; /* force delete */
		snprintf(key, sizeof(key), "%.*s", (int)(j - i), d.s + i);
		if ((nic = vnl_vm_find_nic(view, key)) != NULL) {
			struct vnl_nic *orig = vnl_vm_find_nic(cp->vm, key);
			size_t at = (size_t)(nic - view->nics);
			memmove(nic, nic + 1, (view->nnics - at - 1) * sizeof(*nic));
			view->nnics--;
			/* a NIC that only [PENDING] adds has nothing current to mark */
			if (orig) {
				orig->pending = VNL_PENDING_DELETED;
				orig->pending_loc = vnl_loc_at(cp->vm, d.line, d.col + (unsigned)i);
			}
		}
		i = j + 1;
	}
}

static void pending_net(struct conf_parse *cp, struct vnl_vm *view, struct pending_entry *e)
{
	char key[16];
	struct vnl_nic *orig, *nic;
	struct vnl_nic parsed;
	struct vnl_vm *vm = cp->vm;

	snprintf(key, sizeof(key), "%.*s", (int)e->key.n, e->key.s);
	/* parse into the main VM so problems land there, then copy the NIC */
	nic = vnl_vm_add_nic(vm, key);
	if (pve_net_parse(vm, nic, e->value.s, e->value.n, e->value.line, e->value.col) < 0) {
		vm->nnics--;
		return;
	}
	parsed = *nic;
	vm->nnics--;
	orig = vnl_vm_find_nic(vm, key);
	if (orig) {
		orig->pending = VNL_PENDING_CHANGED;
		orig->pending_loc = parsed.loc;
		parsed.index = orig->index;
		*vnl_vm_find_nic(view, key) = parsed;
	} else {
		struct vnl_nic *added = vnl_vm_add_nic(view, key);
		parsed.index = added->index;
		*added = parsed;
	}
}

static void build_pending_view(struct conf_parse *cp)
{
	struct vnl_int sockets = cp->sockets, cores = cp->cores, vcpus = cp->vcpus;
	struct vnl_vm *view;
	size_t i;

	if (!cp->npending && !cp->pending_delete.n)
		return;
	view = vnl_vm_clone(cp->vm);
	for (i = 0; i < cp->npending; i++) {
		struct pending_entry *e = &cp->pending[i];
		/* places as read (a file: the same origin; the API: "...#netN") */
		cp->vm->origin = e->origin;
		if (e->key.n > 3 && !memcmp(e->key.s, "net", 3))
			pending_net(cp, view, e);
		else if (key_is(e->key, "cores"))
			keep_int(cp, &cores, e->value);
		else if (key_is(e->key, "sockets"))
			keep_int(cp, &sockets, e->value);
		else if (key_is(e->key, "vcpus"))
			keep_int(cp, &vcpus, e->value);
	}
	if (cp->pending_delete.n) {
		cp->vm->origin = cp->pending_delete_origin;
		pending_delete_nics(cp, view);
	}
	cp->vm->origin = view->origin;
	derive_vcpus(view, &sockets, &cores, &vcpus, &cp->smp);
	cp->vm->pending = view;
}

static void finish(struct conf_parse *cp)
{
	struct vnl_vm *vm = cp->vm;
	size_t n = trim_right(strbuf_str(&cp->description), cp->description.len);
	size_t i;

	if (n)
		vm->description = arena_strndup(&vm->arena, strbuf_str(&cp->description), n);
	derive_vcpus(vm, &cp->sockets, &cp->cores, &cp->vcpus, &cp->smp);
	build_pending_view(cp);
	strbuf_release(&cp->description);
	free(cp->pending);
	for (i = 0; i < cp->nsections; i++)
		free(cp->sections[i]);
}

struct vnl_vm *pve_conf_parse(const char *origin, const char *buf, size_t len,
			      const struct pve_conf_hint *hint)
{
	struct conf_parse cp;
	size_t pos = 0;
	unsigned line = 0;

	memset(&cp, 0, sizeof(cp));
	cp.vm = vnl_vm_new(VNL_SRC_PVE_FILE, origin);
	cp.sec = SEC_MAIN;
	if (hint && hint->vmid)
		cp.vm->id = arena_strdup(&cp.vm->arena, hint->vmid);
	if (hint && hint->node)
		cp.vm->node = arena_strdup(&cp.vm->arena, hint->node);
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		line++;
		if (memchr(buf + pos, '\0', n))
			vnl_vm_problem(cp.vm, VNL_SEV_WARNING, line, 1, NULL,
				       "line contains a NUL byte");
		else
			parse_line(&cp, buf + pos, n, line);
		pos += n + 1;
	}
	finish(&cp);
	return cp.vm;
}

/* ---- the same config as key/value pairs (the PVE API) ------------------------- */

/* Each pair goes through take_key like a file line. The API has no lines,
 * so every place a value gives is "<origin>#<key>" with line 0: findings
 * name the config key (`.../config#net0`). */
static void take_pairs(struct conf_parse *cp, const char *base, const struct pve_conf_pair *p,
		       size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct span k = { p[i].key, strlen(p[i].key), 0, 1 };
		struct span v = { p[i].value, strlen(p[i].value), 0, 1 };

		cp->vm->origin = arena_printf(&cp->vm->arena, "%s#%s", base, p[i].key);
		if (key_is(k, "description")) {
			/* the API sends it decoded (research/proxmox.md 5.2) */
			if (cp->sec == SEC_MAIN) {
				strbuf_add(&cp->description, v.s, v.n);
				vnl_suppress_read_description(cp->vm, v.s, v.n);
			}
			continue;
		}
		take_key(cp, k, v, 0);
	}
}

struct vnl_vm *pve_conf_from_pairs(const char *origin, const struct pve_conf_pair *current,
				   size_t ncurrent, const struct pve_conf_pair *pending,
				   size_t npending, const struct pve_conf_hint *hint)
{
	struct conf_parse cp;
	const char *base;

	memset(&cp, 0, sizeof(cp));
	cp.vm = vnl_vm_new(VNL_SRC_PVE_API, origin);
	base = cp.vm->origin;
	if (hint && hint->vmid)
		cp.vm->id = arena_strdup(&cp.vm->arena, hint->vmid);
	if (hint && hint->node)
		cp.vm->node = arena_strdup(&cp.vm->arena, hint->node);
	cp.sec = SEC_MAIN;
	take_pairs(&cp, base, current, ncurrent);
	cp.sec = SEC_PENDING;
	take_pairs(&cp, base, pending, npending);
	cp.vm->origin = base;
	finish(&cp);
	return cp.vm;
}
