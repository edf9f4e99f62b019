/* PVE API JSON -> model and network environment (see pve_api_json.h). */
#include "config.h"

#include "pve_api_json.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pve_conf.h"
#include "pve_firewall.h"
#include "pve_prop.h"

/* ---- scalars (research/proxmox.md 5.1: numbers or strings) ----------------- */

bool pve_json_int(const json_t *v, long long *out)
{
	const char *s;
	size_t n;

	if (json_is_integer(v)) {
		*out = (long long)json_integer_value(v);
		return true;
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (d != floor(d) || d < -9e18 || d > 9e18)
			return false;
		*out = (long long)d;
		return true;
	}
	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return true;
	}
	if (!json_is_string(v))
		return false;
	s = json_string_value(v);
	n = json_string_length(v);
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return str_to_ll(s, n, true, out);
}

char *pve_json_text(const json_t *v)
{
	if (json_is_string(v))
		return xstrndup(json_string_value(v), json_string_length(v));
	if (json_is_integer(v))
		return xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
	if (json_is_real(v)) {
		/* shortest text that reads back the same: 0.5, not 0.50000 */
		char buf[64];
		int prec;
		for (prec = 1; prec < 17; prec++) {
			snprintf(buf, sizeof(buf), "%.*g", prec, json_real_value(v));
			if (strtod(buf, NULL) == json_real_value(v))
				break;
		}
		return xasprintf("%.*g", prec, json_real_value(v));
	}
	if (json_is_boolean(v))
		return xstrdup(json_is_true(v) ? "1" : "0");
	return NULL;
}

/* ---- the envelope (research/proxmox.md 5.1) -------------------------------------- */

int pve_json_data(const char *body, size_t len, json_t **data, struct vnl_err *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(body, len, JSON_DECODE_ANY, &jerr);
	json_t *d;

	*data = NULL;
	if (!root) {
		if (len == 0)
			return vnl_fail(err, "empty answer where JSON was expected");
		return vnl_fail(err, "answer is not valid JSON (%s at byte %d of %zu)", jerr.text,
				jerr.position, len);
	}
	d = json_is_object(root) ? json_object_get(root, "data") : NULL;
	if (!d) {
		json_decref(root);
		return vnl_fail(err, "answer has no \"data\" member; not a Proxmox VE API answer");
	}
	*data = json_incref(d);
	json_decref(root);
	return 0;
}

bool pve_json_message(const char *body, size_t len, char *buf, size_t size)
{
	json_t *root = json_loadb(body, len, 0, NULL);
	const char *m = root ? json_string_value(json_object_get(root, "message")) : NULL;
	size_t n;

	if (m) {
		n = strlen(m);
		while (n && isspace((unsigned char)m[n - 1]))
			n--;
		snprintf(buf, size, "%.*s", (int)n, m);
	}
	json_decref(root);
	return m != NULL;
}

bool pve_json_perm_failure(const char *msg, char *path, size_t psize, char *priv,
			   size_t vsize)
{
	const char *open = strstr(msg, "Permission check failed (");
	const char *comma, *close;

	if (!open)
		return false;
	open += strlen("Permission check failed (");
	comma = strchr(open, ',');
	close = comma ? strchr(comma, ')') : NULL;
	if (!close)
		return false;
	snprintf(path, psize, "%.*s", (int)(comma - open), open);
	comma++;
	while (*comma == ' ')
		comma++;
	snprintf(priv, vsize, "%.*s", (int)(close - comma), comma);
	return *path && *priv;
}

/* ---- VMs ------------------------------------------------------------------------- */

struct pairs {
	struct pve_conf_pair *items;
	size_t n, cap;
};

static void pairs_add(struct pairs *p, const char *key, char *value)
{
	vnl_grow(&p->items, &p->cap, p->n + 1, sizeof(*p->items));
	p->items[p->n].key = key;
	p->items[p->n].value = value;
	p->n++;
}

static void pairs_free(struct pairs *p)
{
	size_t i;
	for (i = 0; i < p->n; i++)
		free((char *)p->items[i].value);
	free(p->items);
}

/* GET .../pending: [{key, value?, pending?, delete?}]; delete 2 = force
 * (research/proxmox.md 1.4, 5.2). */
static void pending_pairs(json_t *pending, struct pairs *out, struct strbuf *deletes)
{
	size_t i;
	json_t *item;

	json_array_foreach(pending, i, item) {
		const char *key = json_string_value(json_object_get(item, "key"));
		json_t *val = json_object_get(item, "pending");
		long long del = 0;
		char *text;

		if (!key)
			continue;
		if (pve_json_int(json_object_get(item, "delete"), &del) && del > 0) {
			strbuf_addf(deletes, "%s%s%s", deletes->len ? "," : "", del == 2 ? "!" : "",
				    key);
			continue;
		}
		if (val && (text = pve_json_text(val)) != NULL)
			pairs_add(out, key, text);
	}
}

struct vnl_vm *pve_json_vm(const char *origin, const char *vmid, const char *node,
			   json_t *config, json_t *pending)
{
	struct pve_conf_hint hint = { vmid, node };
	struct pairs cur = { 0 }, pend = { 0 };
	struct strbuf deletes = STRBUF_INIT;
	const char *key;
	json_t *val;
	struct vnl_vm *vm;

	json_object_foreach(config, key, val) {
		char *text;
		if (!strcmp(key, "digest"))
			continue; /* of the file, not a setting (research/proxmox.md 4.4) */
		if ((text = pve_json_text(val)) != NULL)
			pairs_add(&cur, key, text);
	}
	if (json_is_array(pending))
		pending_pairs(pending, &pend, &deletes);
	if (deletes.len)
		pairs_add(&pend, "delete", strbuf_detach(&deletes));
	vm = pve_conf_from_pairs(origin, cur.items, cur.n, pend.items, pend.n, &hint);
	pairs_free(&cur);
	pairs_free(&pend);
	strbuf_release(&deletes);
	return vm;
}

/* `agent` is a property string whose default key is `enabled`
 * (research/proxmox.md 5.6). */
bool pve_json_agent_enabled(json_t *config)
{
	char *text = pve_json_text(json_object_get(config, "agent"));
	const char *p = text;
	bool on = false;

	while (p && *p) {
		size_t n = strcspn(p, ",");
		const char *v = p;
		size_t vn = n;
		if (n >= 8 && !strncmp(p, "enabled=", 8))
			v += 8, vn -= 8;
		else if (memchr(p, '=', n))
			v = NULL;
		if (v) {
			pve_parse_bool(v, vn, &on);
			break;
		}
		p += n + (p[n] == ',');
	}
	free(text);
	return on;
}

/* ---- firewall options ---------------------------------------------------------------- */

static bool take_fw_flag(struct vnl_vm *vm, struct vnl_flag *dst, const char *origin,
			 json_t *options, const char *key)
{
	char *text = pve_json_text(json_object_get(options, key));
	bool ok = text && (!strcmp(text, "0") || !strcmp(text, "1"));

	if (ok) {
		dst->value = text[0] == '1';
		dst->raw = arena_strdup(&vm->arena, text);
		dst->loc.origin = arena_printf(&vm->arena, "%s#%s", origin, key);
		dst->loc.line = dst->loc.col = 0;
	}
	free(text);
	return ok;
}

void pve_json_vm_firewall(struct vnl_vm *vm, const char *origin, json_t *options)
{
	pve_firewall_vm_defaults(vm);
	take_fw_flag(vm, &vm->fw_enable, origin, options, "enable");
	take_fw_flag(vm, &vm->fw_macfilter, origin, options, "macfilter");
	if (vm->pending) {
		vm->pending->fw_enable = vm->fw_enable;
		vm->pending->fw_macfilter = vm->fw_macfilter;
	}
}

/* `enable` above 1 is a point in time that pve-firewall treats as off once
 * it has passed (research/proxmox.md 7.3), as the file reader does. */
void pve_json_cluster_firewall(struct vnl_netenv *env, const char *origin, json_t *options)
{
	json_t *v = json_object_get(options, "enable");
	long long on = 0;
	struct vnl_setting *s = &env->cluster_firewall;

	s->value = 0;
	s->loc.line = s->loc.col = 0;
	if (v && pve_json_int(v, &on)) {
		s->value = on == 1;
		s->loc.origin = arena_printf(&env->arena, "%s#enable", origin);
	} else {
		s->loc.origin = arena_strdup(&env->arena, origin);
	}
}

/* ---- node network (research/proxmox.md 5.4) ---------------------------------------------- */

static enum pve_iface_kind iface_kind(const char *type, json_t *e)
{
	if (json_object_get(e, "vxlan-id"))
		return PVE_IF_VXLAN;
	if (!strcmp(type, "bridge"))
		return PVE_IF_BRIDGE;
	if (!strcmp(type, "OVSBridge"))
		return PVE_IF_OVS_BRIDGE;
	if (!strcmp(type, "bond") || !strcmp(type, "OVSBond"))
		return PVE_IF_BOND;
	if (!strcmp(type, "vlan"))
		return PVE_IF_VLAN;
	return PVE_IF_ETH;
}

static const char *field(struct pve_hostnet *hn, json_t *e, const char *key)
{
	char *t = pve_json_text(json_object_get(e, key));
	const char *s = t && *t ? arena_strdup(&hn->arena, t) : NULL;
	free(t);
	return s;
}

static const char *first_field(struct pve_hostnet *hn, json_t *e, const char *const *keys)
{
	const char *s = NULL;
	for (; *keys && !s; keys++)
		s = field(hn, e, *keys);
	return s;
}

static void iface_mtu_of(struct pve_hostnet *hn, struct pve_iface *ifc, json_t *e)
{
	json_t *v = json_object_get(e, "mtu");
	long long m;

	if (!v || !pve_json_int(v, &m) || m < 1)
		return; /* only present when written in the file */
	ifc->mtu.value = m;
	ifc->mtu.raw = field(hn, e, "mtu");
	ifc->mtu.loc = ifc->loc;
}

/* The lower device of a VLAN: vlan-raw-device, else the name before the
 * last dot (eno1.20). */
static const char *raw_device(struct pve_hostnet *hn, json_t *e, const char *name)
{
	const char *raw = field(hn, e, "vlan-raw-device");
	const char *dot = strrchr(name, '.');

	if (raw)
		return raw;
	return dot && dot > name ? arena_strndup(&hn->arena, name, (size_t)(dot - name)) : NULL;
}

static void add_iface(struct pve_hostnet *hn, const char *origin, const char *node, json_t *e)
{
	static const char *const port_keys[] = { "bridge_ports", "slaves", "ovs_ports", NULL };
	const char *name = json_string_value(json_object_get(e, "iface"));
	const char *type = json_string_value(json_object_get(e, "type"));
	const char *a4, *a6;
	struct pve_iface *ifc;
	long long flag = 0;

	if (!name || !type || !strcmp(type, "vnet"))
		return; /* vnets come from the SDN configuration */
	vnl_grow(&hn->ifaces, &hn->cap, hn->n + 1, sizeof(*hn->ifaces));
	ifc = &hn->ifaces[hn->n++];
	memset(ifc, 0, sizeof(*ifc));
	ifc->name = arena_strdup(&hn->arena, name);
	ifc->node = arena_strdup(&hn->arena, node);
	ifc->loc.origin = arena_printf(&hn->arena, "%s#%s", origin, name);
	ifc->kind = iface_kind(type, e);
	iface_mtu_of(hn, ifc, e);
	ifc->ports = first_field(hn, e, port_keys);
	if (ifc->kind == PVE_IF_VLAN)
		ifc->raw_device = raw_device(hn, e, name);
	a4 = field(hn, e, "address");
	a6 = field(hn, e, "address6");
	ifc->addresses = a4 && a6 ? arena_printf(&hn->arena, "%s %s", a4, a6) : a4 ? a4 : a6;
	ifc->vxlan_local_ip = field(hn, e, "vxlan-local-tunnelip");
	ifc->vxlan_physdev = field(hn, e, "vxlan-physdev");
	ifc->bond_master = field(hn, e, "bond-master");
	ifc->vlan_aware = pve_json_int(json_object_get(e, "bridge_vlan_aware"), &flag) && flag;
	flag = 0;
	ifc->mac_learning_off =
		pve_json_int(json_object_get(e, "bridge-disable-mac-learning"), &flag) && flag;
}

void pve_json_node_network(struct pve_hostnet *hn, const char *origin, const char *node,
			   json_t *list)
{
	size_t i;
	json_t *e;

	json_array_foreach(list, i, e)
		if (json_is_object(e))
			add_iface(hn, origin, node, e);
}

/* ---- SDN (research/proxmox.md 5.5) --------------------------------------------------------- */

static bool sdn_skip(const char *key, const char *id_key)
{
	return !strcmp(key, id_key) || !strcmp(key, "type") || !strcmp(key, "digest") ||
	       !strcmp(key, "state") || !strcmp(key, "pending");
}

void pve_json_sdn_text(struct strbuf *sb, json_t *list, const char *id_key)
{
	size_t i;
	json_t *e;

	json_array_foreach(list, i, e) {
		const char *id = json_string_value(json_object_get(e, id_key));
		const char *type = json_string_value(json_object_get(e, "type"));
		const char *key;
		json_t *v;

		if (!id || !type || strpbrk(id, " \t\n:") || strpbrk(type, " \t\n:"))
			continue;
		strbuf_addf(sb, "%s: %s\n", type, id);
		json_object_foreach(e, key, v) {
			char *text;
			if (sdn_skip(key, id_key) || strpbrk(key, " \t\n"))
				continue;
			text = pve_json_text(v);
			if (text && *text && !strchr(text, '\n'))
				strbuf_addf(sb, "\t%s %s\n", key, text);
			free(text);
		}
		strbuf_addch(sb, '\n');
	}
}
