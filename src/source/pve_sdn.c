/* Proxmox SDN zones and vnets (research/proxmox.md 5.5). The files use
 * PVE's section-config format: a header line `TYPE: ID`, then indented
 * `KEY VALUE` lines up to a blank line; `#` lines are comments. What PVE
 * would warn about and skip is reported here with its place. */
#include "config.h"

#include "pve_sdn.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pve_prop.h"

/* research/proxmox.md 5.5: a VXLAN/EVPN vnet without a zone mtu gets 1450,
 * or the interface towards the peers' mtu minus the 50 bytes of VXLAN. */
#define VXLAN_DEFAULT_MTU 1450
#define VXLAN_OVERHEAD 50

struct sdn_kv {
	const char *key;
	const char *value; /* "" when the line has only a key */
	unsigned line, col;
};

struct sdn_sec {
	enum pve_sdn_file file;
	const char *type, *id, *origin;
	unsigned line;
	struct sdn_kv *kv;
	size_t n, cap;
};

struct pve_sdn {
	struct sdn_sec *secs;
	size_t n, cap;
	bool have_controllers;
	struct arena arena;
};

struct pve_sdn *pve_sdn_new(void)
{
	return xcalloc(1, sizeof(struct pve_sdn));
}

void pve_sdn_free(struct pve_sdn *sdn)
{
	size_t i;

	if (!sdn)
		return;
	for (i = 0; i < sdn->n; i++)
		free(sdn->secs[i].kv);
	free(sdn->secs);
	arena_release(&sdn->arena);
	free(sdn);
}

static const char *const zone_types[] = { "simple", "vlan", "qinq", "vxlan", "evpn", "faucet" };

static bool zone_type_known(const char *type)
{
	size_t i;
	for (i = 0; i < VNL_ARRAY_LEN(zone_types); i++)
		if (!strcmp(type, zone_types[i]))
			return true;
	return false;
}

/* ---- parsing ------------------------------------------------------------- */

struct sdnparse {
	struct pve_sdn *sdn;
	enum pve_sdn_file file;
	const char *origin;
	const struct pve_report *rep;
	size_t cur;  /* the section being read, or SIZE_MAX */
	bool skip;   /* inside a section PVE ignores */
	int nerrors;
};

VNL_PRINTF(4, 5)
static void fail(struct sdnparse *sp, unsigned line, unsigned col, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	pve_reportf(sp->rep, VNL_SEV_ERROR, sp->origin, line, 1 + col, "%s", strbuf_str(&sb));
	strbuf_release(&sb);
	sp->nerrors++;
}

static const char *what(enum pve_sdn_file file)
{
	return file == PVE_SDN_ZONES ? "zone" : file == PVE_SDN_VNETS ? "vnet" : "controller";
}

static size_t skip_blanks(const char *s, size_t n, size_t i)
{
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	return i;
}

static size_t skip_word(const char *s, size_t n, size_t i)
{
	while (i < n && !isspace((unsigned char)s[i]))
		i++;
	return i;
}

/* `TYPE: ID` (SectionConfig's header: `^(\S+):\s*(\S+)\s*$`). */
static void start_section(struct sdnparse *sp, const char *s, size_t n, unsigned line)
{
	struct pve_sdn *sdn = sp->sdn;
	const char *colon = memchr(s, ':', n);
	size_t tn = colon ? (size_t)(colon - s) : 0, is, ie;
	struct sdn_sec *sec;
	char *type;

	sp->cur = SIZE_MAX;
	sp->skip = true;
	is = colon ? skip_blanks(s, n, tn + 1) : n;
	ie = skip_word(s, n, is);
	if (!colon || tn == 0 || skip_word(s, tn, 0) != tn || is == ie ||
	    skip_blanks(s, n, ie) != n) {
		fail(sp, line, 0, "cannot parse '%.*s': a section starts with 'TYPE: ID'; Proxmox "
		     "ignores this line", (int)(n > 60 ? 60 : n), s);
		return;
	}
	type = arena_strndup(&sdn->arena, s, tn);
	if ((sp->file == PVE_SDN_ZONES && !zone_type_known(type)) ||
	    (sp->file == PVE_SDN_VNETS && strcmp(type, "vnet"))) {
		fail(sp, line, 0, "unknown %s type '%s'; Proxmox skips %s '%.*s'", what(sp->file),
		     type, what(sp->file), (int)(ie - is), s + is);
		return;
	}
	vnl_grow(&sdn->secs, &sdn->cap, sdn->n + 1, sizeof(*sdn->secs));
	sec = &sdn->secs[sdn->n];
	memset(sec, 0, sizeof(*sec));
	sec->file = sp->file;
	sec->type = type;
	sec->id = arena_strndup(&sdn->arena, s + is, ie - is);
	sec->origin = sp->origin;
	sec->line = line;
	sp->cur = sdn->n++;
	sp->skip = false;
}

static const struct sdn_kv *get(const struct sdn_sec *sec, const char *key)
{
	size_t i;
	for (i = 0; sec && i < sec->n; i++)
		if (!strcmp(sec->kv[i].key, key))
			return &sec->kv[i];
	return NULL;
}

static bool key_in(const char *key, const char *const *keys)
{
	for (; *keys; keys++)
		if (!strcmp(key, *keys))
			return true;
	return false;
}

/* The values vmnetlint reads must have the type PVE's schema gives them. */
static bool check_value(struct sdnparse *sp, const struct sdn_sec *sec, const struct sdn_kv *kv)
{
	static const char *const zone_ints[] = { "mtu", "tag", "vxlan-port", NULL };
	static const char *const zone_bools[] = { "disable-arp-nd-suppression",
						  "bridge-disable-mac-learning", NULL };
	static const char *const vnet_ints[] = { "tag", NULL };
	static const char *const vnet_bools[] = { "vlanaware", "isolate-ports", NULL };
	bool is_int = sec->file == PVE_SDN_ZONES ? key_in(kv->key, zone_ints)
			: sec->file == PVE_SDN_VNETS && key_in(kv->key, vnet_ints);
	bool is_bool = sec->file == PVE_SDN_ZONES ? key_in(kv->key, zone_bools)
			 : sec->file == PVE_SDN_VNETS && key_in(kv->key, vnet_bools);
	size_t vn = strlen(kv->value);
	long long x;
	bool b;

	if (is_int && (!str_to_ll(kv->value, vn, false, &x) ||
		       (!strcmp(kv->key, "mtu") && (x < 1 || x > 65520)))) {
		fail(sp, kv->line, kv->col - 1, "%s %s: %s '%s' is not %s; Proxmox ignores it",
		     what(sec->file), sec->id, kv->key, kv->value,
		     strcmp(kv->key, "mtu") ? "a number" : "an MTU (1..65520)");
		return false;
	}
	if (is_bool && !pve_parse_bool(kv->value, vn, &b)) {
		fail(sp, kv->line, kv->col - 1, "%s %s: %s '%s' is not 0/1 or yes/no; Proxmox "
		     "ignores it", what(sec->file), sec->id, kv->key, kv->value);
		return false;
	}
	return true;
}

/* An indented `KEY [VALUE]` line of the current section. */
static void take_property(struct sdnparse *sp, const char *s, size_t n, size_t ks,
			  unsigned line)
{
	struct sdn_sec *sec = &sp->sdn->secs[sp->cur];
	size_t ke = skip_word(s, n, ks), vs = skip_blanks(s, n, ke), ve = n;
	struct sdn_kv kv;

	while (ve > vs && isspace((unsigned char)s[ve - 1]))
		ve--;
	kv.key = arena_strndup(&sp->sdn->arena, s + ks, ke - ks);
	kv.value = arena_strndup(&sp->sdn->arena, s + vs, ve - vs);
	kv.line = line;
	kv.col = (unsigned)(vs < ve ? vs : ks) + 1;
	if (get(sec, kv.key)) {
		fail(sp, line, ks, "%s %s: duplicate '%s'; Proxmox keeps line %u", what(sec->file),
		     sec->id, kv.key, get(sec, kv.key)->line);
		return;
	}
	if (!check_value(sp, sec, &kv))
		return;
	vnl_grow(&sec->kv, &sec->cap, sec->n + 1, sizeof(*sec->kv));
	sec->kv[sec->n++] = kv;
}

static void parse_line(struct sdnparse *sp, const char *s, size_t n, unsigned line)
{
	size_t i = skip_blanks(s, n, 0);

	if (i == n) {
		sp->cur = SIZE_MAX; /* a blank line ends the section */
		sp->skip = false;
		return;
	}
	if (s[0] == '#')
		return;
	if (i == 0 && sp->cur == SIZE_MAX && !sp->skip) {
		start_section(sp, s, n, line);
	} else if (i == 0) {
		fail(sp, line, 0, "'%.*s' inside a section: a new section needs a blank line "
		     "before it; Proxmox ignores this line", (int)(n > 60 ? 60 : n), s);
	} else if (sp->cur != SIZE_MAX) {
		take_property(sp, s, n, i, line);
	} else if (!sp->skip) {
		fail(sp, line, (unsigned)i, "a property line outside any section; Proxmox "
		     "ignores it");
	}
}

int pve_sdn_parse(struct pve_sdn *sdn, enum pve_sdn_file file, const char *origin,
		  const char *buf, size_t len, const struct pve_report *rep)
{
	struct sdnparse sp;
	size_t pos = 0;
	unsigned line = 0;

	memset(&sp, 0, sizeof(sp));
	sp.sdn = sdn;
	sp.file = file;
	sp.origin = arena_strdup(&sdn->arena, origin);
	sp.rep = rep;
	sp.cur = SIZE_MAX;
	if (file == PVE_SDN_CONTROLLERS)
		sdn->have_controllers = true;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		line++;
		if (memchr(buf + pos, '\0', n))
			fail(&sp, line, 0, "line contains a NUL byte");
		else
			parse_line(&sp, buf + pos, n, line);
		pos += n + 1;
	}
	return sp.nerrors;
}

/* ---- vnets into the environment -------------------------------------------- */

static const struct sdn_sec *find_sec(const struct pve_sdn *sdn, enum pve_sdn_file file,
				      const char *id)
{
	size_t i;
	for (i = 0; id && i < sdn->n; i++)
		if (sdn->secs[i].file == file && !strcmp(sdn->secs[i].id, id))
			return &sdn->secs[i];
	return NULL;
}

static const char *value_of(const struct sdn_sec *sec, const char *key)
{
	const struct sdn_kv *kv = get(sec, key);
	return kv ? kv->value : NULL;
}

static bool flag_of(const struct sdn_sec *sec, const char *key)
{
	const char *v = value_of(sec, key);
	bool b = false;
	return v && pve_parse_bool(v, strlen(v), &b) && b;
}

static enum vnl_overlay zone_overlay(const char *type)
{
	if (!strcmp(type, "vxlan") || !strcmp(type, "evpn"))
		return VNL_OVERLAY_VXLAN;
	if (!strcmp(type, "qinq"))
		return VNL_OVERLAY_QINQ;
	if (!strcmp(type, "vlan"))
		return VNL_OVERLAY_VLAN;
	return VNL_OVERLAY_NONE; /* simple, faucet */
}

/* Is token one of the entries of a PVE list ("a,b c;d")? */
static bool in_list(const char *list, const char *token)
{
	size_t n = strlen(token);
	const char *p = list;

	while (p && *p) {
		size_t k = strcspn(p, ",; \t");
		if (k == n && !memcmp(p, token, n))
			return true;
		p += k + (p[k] ? 1 : 0);
	}
	return false;
}

/* The local interface towards the VXLAN peers: the one holding a peer's
 * address (pve-network's find_local_ip_interface_peers does the same). */
static const struct pve_iface *peer_iface(const struct pve_hostnet *hn, const char *peers,
					  const char *node, enum vnl_ip_family *family)
{
	const char *p = peers;
	char ip[64];

	while (hn && p && *p) {
		size_t k = strcspn(p, ",; \t");
		if (k > 0 && k < sizeof(ip)) {
			const struct pve_iface *ifc;
			memcpy(ip, p, k);
			ip[k] = '\0';
			if ((ifc = pve_hostnet_by_address(hn, ip, node)) != NULL) {
				*family = strchr(ip, ':') ? VNL_FAMILY_IPV6 : VNL_FAMILY_IPV4;
				return ifc;
			}
		}
		p += k + (p[k] ? 1 : 0);
	}
	return NULL;
}

/* The peers' addresses tell the underlay family even when no local
 * interface is known: all IPv4 or all IPv6; mixed or none = unknown. */
static enum vnl_ip_family peers_family(const char *peers)
{
	bool v4 = false, v6 = false;
	const char *p = peers;

	while (p && *p) {
		size_t k = strcspn(p, ",; \t");
		if (k > 0) {
			if (memchr(p, ':', k))
				v6 = true;
			else if (memchr(p, '.', k))
				v4 = true;
		}
		p += k + (p[k] ? 1 : 0);
	}
	return v4 == v6 ? VNL_FAMILY_UNKNOWN : v4 ? VNL_FAMILY_IPV4 : VNL_FAMILY_IPV6;
}

struct vnet_ctx {
	const struct pve_sdn *sdn;
	const struct pve_hostnet *hn;
	const struct sdn_sec *zone, *vnet;
};

/* VXLAN and EVPN: 1450, or the peers' interface mtu - 50, unless the zone
 * sets mtu (research/proxmox.md 5.5). EVPN zones take their peers from
 * their controller. With a fabric the interface is not known. */
static bool fill_vxlan(const struct vnet_ctx *c, const char *node, struct vnl_bridge *b)
{
	const char *peers = value_of(c->zone, "peers");
	const struct pve_iface *ifc;

	b->mtu_default = VXLAN_DEFAULT_MTU;
	if (!strcmp(c->zone->type, "evpn")) {
		peers = value_of(find_sec(c->sdn, PVE_SDN_CONTROLLERS,
					  value_of(c->zone, "controller")), "peers");
		/* ARP/ND suppression is on unless disabled (research/proxmox.md 7.3) */
		b->arp_nd_suppression = !flag_of(c->zone, "disable-arp-nd-suppression");
	}
	b->underlay_family = peers_family(peers);
	ifc = peer_iface(c->hn, peers, node, &b->underlay_family);
	if (!ifc)
		return false;
	b->underlay_mtu = pve_hostnet_mtu(c->hn, ifc);
	if (VNL_SET(ifc->mtu))
		b->mtu_default = (int)ifc->mtu.value - VXLAN_OVERHEAD;
	return true;
}

/* VLAN and QinQ: the vnet's port is a VLAN on the zone's bridge, so without
 * a zone mtu it gets that bridge's MTU (research/proxmox.md 5.5: "no mtu
 * line (kernel/port default)"). */
static bool fill_vlan(const struct vnet_ctx *c, const char *node, struct vnl_bridge *b)
{
	const char *bridge = value_of(c->zone, "bridge");
	const struct pve_iface *ifc = c->hn ? pve_hostnet_find(c->hn, bridge, node) : NULL;

	b->ports = bridge;
	b->mac_learning_off = flag_of(c->zone, "bridge-disable-mac-learning");
	if (!ifc)
		return false;
	b->underlay_mtu = pve_hostnet_mtu(c->hn, ifc);
	b->mtu_default = b->underlay_mtu;
	return true;
}

/* The vnet as node sees it (NULL: cluster-wide). True if node's interfaces
 * told something the cluster-wide view cannot know. */
static bool fill_vnet(const struct vnet_ctx *c, const char *node, struct vnl_bridge *b)
{
	const struct sdn_kv *mtu = get(c->zone, "mtu");
	const char *type = c->zone->type;
	bool specific = false;

	memset(b, 0, sizeof(*b));
	b->zone = c->zone->id;
	b->overlay = zone_overlay(type);
	b->vlan_aware = flag_of(c->vnet, "vlanaware");
	if (b->overlay == VNL_OVERLAY_VXLAN)
		specific = fill_vxlan(c, node, b);
	else if (b->overlay != VNL_OVERLAY_NONE)
		specific = fill_vlan(c, node, b);
	if (mtu) {
		str_to_ll(mtu->value, strlen(mtu->value), false, &b->mtu.value);
		b->mtu.raw = mtu->value;
		b->mtu.loc.origin = c->zone->origin;
		b->mtu.loc.line = mtu->line;
		b->mtu.loc.col = mtu->col;
	}
	return specific;
}

static const char *env_dup(struct vnl_netenv *env, const char *s)
{
	return s ? arena_strdup(&env->arena, s) : NULL;
}

static void add_vnet(struct vnl_netenv *env, const struct vnet_ctx *c, const char *node,
		     const struct vnl_bridge *b)
{
	struct vnl_bridge *br = vnl_netenv_add(env, c->vnet->id, node, c->vnet->origin,
					       c->vnet->line);
	struct vnl_loc loc = br->loc;
	const char *name = br->name, *brnode = br->node;

	*br = *b;
	br->name = name;
	br->node = brnode;
	br->loc = loc;
	br->loc.col = 1;
	br->zone = env_dup(env, b->zone);
	br->ports = env_dup(env, b->ports);
	br->mtu.raw = env_dup(env, b->mtu.raw);
	br->mtu.loc.origin = env_dup(env, b->mtu.loc.origin);
}

/* The nodes whose own interfaces files were read (files for every node
 * count for the cluster-wide view). */
static size_t hostnet_nodes(const struct pve_hostnet *hn, const char **out, size_t max)
{
	size_t i, k, n = 0;

	for (i = 0; hn && i < hn->n; i++) {
		const char *node = hn->ifaces[i].node;
		bool seen = false;
		for (k = 0; k < n && !seen; k++)
			seen = node && out[k] && !strcmp(out[k], node);
		if (node && !seen && n < max)
			out[n++] = node;
	}
	return n;
}

static void apply_vnet(const struct vnet_ctx *c, struct vnl_netenv *env)
{
	const char *nodes[256];
	const char *only = value_of(c->zone, "nodes");
	size_t i, n = hostnet_nodes(c->hn, nodes, VNL_ARRAY_LEN(nodes));
	struct vnl_bridge b;

	fill_vnet(c, NULL, &b);
	add_vnet(env, c, NULL, &b);
	for (i = 0; i < n; i++) {
		if (only && *only && !in_list(only, nodes[i]))
			continue; /* the zone does not exist on that node */
		if (fill_vnet(c, nodes[i], &b))
			add_vnet(env, c, nodes[i], &b);
	}
}

/* Problems that only show once every file is read: references. */
static void check_zone_refs(const struct pve_sdn *sdn, const struct pve_report *rep)
{
	size_t i;

	for (i = 0; i < sdn->n && sdn->have_controllers; i++) {
		const struct sdn_sec *z = &sdn->secs[i];
		const struct sdn_kv *ctl = z->file == PVE_SDN_ZONES ? get(z, "controller") : NULL;
		if (ctl && !find_sec(sdn, PVE_SDN_CONTROLLERS, ctl->value))
			pve_reportf(rep, VNL_SEV_ERROR, z->origin, ctl->line, ctl->col,
				    "zone %s: controller '%s' is not defined in controllers.cfg",
				    z->id, ctl->value);
	}
}

void pve_sdn_apply(const struct pve_sdn *sdn, const struct pve_hostnet *hn,
		   struct vnl_netenv *env, const struct pve_report *rep)
{
	size_t i;

	check_zone_refs(sdn, rep);
	for (i = 0; i < sdn->n; i++) {
		struct vnet_ctx c = { sdn, hn, NULL, &sdn->secs[i] };
		const struct sdn_kv *zone;

		if (c.vnet->file != PVE_SDN_VNETS)
			continue;
		zone = get(c.vnet, "zone");
		if (!zone) {
			pve_reportf(rep, VNL_SEV_ERROR, c.vnet->origin, c.vnet->line, 1,
				    "vnet %s has no zone; Proxmox cannot create it", c.vnet->id);
			continue;
		}
		c.zone = find_sec(sdn, PVE_SDN_ZONES, zone->value);
		if (!c.zone) {
			pve_reportf(rep, VNL_SEV_ERROR, c.vnet->origin, zone->line, zone->col,
				    "vnet %s: zone '%s' is not defined in zones.cfg; Proxmox cannot "
				    "create this vnet", c.vnet->id, zone->value);
			continue;
		}
		apply_vnet(&c, env);
	}
}
