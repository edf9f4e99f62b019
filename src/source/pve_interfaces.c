/* /etc/network/interfaces as ifupdown2 reads it on a Proxmox node
 * (research/proxmox.md 5.4): `auto`/`allow-*` lines, `iface NAME [inet|inet6
 * METHOD]` stanzas whose following lines are options, `source` and
 * `source-directory` lines, `#` comment lines. Only what the network rules
 * need is kept: MTUs, ports, VLAN awareness, MAC learning, addresses, and
 * the VLAN and VXLAN devices that bridges are built on. */
#include "config.h"

#include "pve_interfaces.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pve_prop.h"

/* The mtu range of Proxmox's network API schema (research/proxmox.md 5.4). */
#define PVE_MTU_MIN 1280
#define PVE_MTU_MAX 65520
/* An interface the file gives no MTU and no way to derive one: Ethernet's
 * 1500, the kernel default (research/proxmox.md 5.4 and 8: the MTU of an
 * interface without an `mtu` line is UNVERIFIED there). */
#define DEFAULT_MTU 1500
#define MAX_DEPTH 8 /* ports of ports of ...: stops a loop in a broken file */

void pve_reportf(const struct pve_report *rep, enum vnl_severity sev, const char *origin,
		 unsigned line, unsigned col, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct vnl_loc loc = { origin, line, col };
	va_list ap;

	if (!rep || !rep->fn)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	rep->fn(rep->data, sev, &loc, strbuf_str(&sb));
	strbuf_release(&sb);
}

void pve_hostnet_init(struct pve_hostnet *hn)
{
	memset(hn, 0, sizeof(*hn));
}

void pve_hostnet_release(struct pve_hostnet *hn)
{
	free(hn->ifaces);
	arena_release(&hn->arena);
	memset(hn, 0, sizeof(*hn));
}

/* ---- words ------------------------------------------------------------- */

struct word {
	const char *s;
	size_t n;
	unsigned col;
};

/* The next blank-separated word of line[0..n) from *pos; false at the end. */
static bool next_word(const char *line, size_t n, size_t *pos, struct word *w)
{
	size_t i = *pos, j;

	while (i < n && isspace((unsigned char)line[i]))
		i++;
	if (i >= n)
		return false;
	for (j = i; j < n && !isspace((unsigned char)line[j]); j++)
		;
	w->s = line + i;
	w->n = j - i;
	w->col = (unsigned)i + 1;
	*pos = j;
	return true;
}

static bool word_is(struct word w, const char *s)
{
	return strlen(s) == w.n && !memcmp(w.s, s, w.n);
}

/* Is token (of length n) one of the words of list? */
static bool list_has(const char *list, const char *token, size_t n)
{
	size_t pos = 0;
	struct word w;

	while (list && next_word(list, strlen(list), &pos, &w))
		if (w.n == n && !memcmp(w.s, token, n))
			return true;
	return false;
}

/* ---- lookups ------------------------------------------------------------- */

static const struct pve_iface *find_n(const struct pve_hostnet *hn, const char *name, size_t n,
				      const char *node)
{
	const struct pve_iface *any = NULL;
	size_t i;

	for (i = 0; i < hn->n; i++) {
		const struct pve_iface *ifc = &hn->ifaces[i];
		if (strlen(ifc->name) != n || memcmp(ifc->name, name, n))
			continue;
		if (node && ifc->node && !strcmp(ifc->node, node))
			return ifc;
		if (!ifc->node && !any)
			any = ifc;
	}
	return any;
}

const struct pve_iface *pve_hostnet_find(const struct pve_hostnet *hn, const char *name,
					 const char *node)
{
	return name ? find_n(hn, name, strlen(name), node) : NULL;
}

const struct pve_iface *pve_hostnet_by_address(const struct pve_hostnet *hn, const char *ip,
					       const char *node)
{
	const struct pve_iface *any = NULL;
	size_t i;

	for (i = 0; ip && i < hn->n; i++) {
		const struct pve_iface *ifc = &hn->ifaces[i];
		if (!list_has(ifc->addresses, ip, strlen(ip)))
			continue;
		if (node && ifc->node && !strcmp(ifc->node, node))
			return ifc;
		if (!ifc->node && !any)
			any = ifc;
	}
	return any;
}

/* ---- MTU and overlay ---------------------------------------------------- */

static int iface_mtu(const struct pve_hostnet *hn, const struct pve_iface *ifc, int depth);

/* A bridge without an `mtu` line: the kernel gives a bridge the smallest MTU
 * of its ports; a port the file does not describe counts as 1500, and so
 * does a bridge without ports (research/proxmox.md 5.4: "absent = probably
 * 1500 or taken from the ports", UNVERIFIED there, section 8). */
static int bridge_default_mtu(const struct pve_hostnet *hn, const struct pve_iface *br, int depth)
{
	size_t pos = 0;
	struct word w;
	int best = 0;

	while (br->ports && next_word(br->ports, strlen(br->ports), &pos, &w)) {
		const struct pve_iface *port;
		int m;
		if (word_is(w, "none"))
			continue;
		port = find_n(hn, w.s, w.n, br->node);
		m = port && port != br ? iface_mtu(hn, port, depth + 1) : DEFAULT_MTU;
		if (!best || m < best)
			best = m;
	}
	return best ? best : DEFAULT_MTU;
}

static int default_mtu(const struct pve_hostnet *hn, const struct pve_iface *ifc, int depth)
{
	const struct pve_iface *raw;

	if (depth > MAX_DEPTH)
		return DEFAULT_MTU;
	switch (ifc->kind) {
	case PVE_IF_BRIDGE:
	case PVE_IF_OVS_BRIDGE:
		return bridge_default_mtu(hn, ifc, depth);
	case PVE_IF_VLAN:
		/* a VLAN device starts with the MTU of the device under it */
		raw = pve_hostnet_find(hn, ifc->raw_device, ifc->node);
		return raw && raw != ifc ? iface_mtu(hn, raw, depth + 1) : DEFAULT_MTU;
	default:
		return DEFAULT_MTU;
	}
}

static int iface_mtu(const struct pve_hostnet *hn, const struct pve_iface *ifc, int depth)
{
	if (VNL_SET(ifc->mtu))
		return (int)ifc->mtu.value;
	return default_mtu(hn, ifc, depth);
}

int pve_hostnet_mtu(const struct pve_hostnet *hn, const struct pve_iface *ifc)
{
	return ifc ? iface_mtu(hn, ifc, 0) : 0;
}

struct underlay {
	enum vnl_overlay overlay;
	int mtu; /* 0 = unknown */
	enum vnl_ip_family family;
};

static enum vnl_ip_family family_of(const char *ip)
{
	if (!ip)
		return VNL_FAMILY_UNKNOWN;
	return strchr(ip, ':') ? VNL_FAMILY_IPV6 : VNL_FAMILY_IPV4;
}

static int overlay_rank(enum vnl_overlay o)
{
	return o == VNL_OVERLAY_VXLAN ? 3 : o == VNL_OVERLAY_QINQ ? 2 : o == VNL_OVERLAY_VLAN ? 1 : 0;
}

static struct underlay underlay_of(const struct pve_hostnet *hn, const struct pve_iface *ifc,
				   int depth);

/* A bridge is built on what its ports are built on (a VXLAN device makes it
 * a VXLAN bridge); the strongest encapsulation among the ports counts. */
static struct underlay bridge_underlay(const struct pve_hostnet *hn, const struct pve_iface *br,
				       int depth)
{
	struct underlay best = { VNL_OVERLAY_NONE, 0, VNL_FAMILY_UNKNOWN };
	size_t pos = 0;
	struct word w;

	while (br->ports && next_word(br->ports, strlen(br->ports), &pos, &w)) {
		const struct pve_iface *port = find_n(hn, w.s, w.n, br->node);
		struct underlay u;
		if (!port || port == br)
			continue;
		u = underlay_of(hn, port, depth + 1);
		if (overlay_rank(u.overlay) > overlay_rank(best.overlay))
			best = u;
	}
	return best;
}

static struct underlay underlay_of(const struct pve_hostnet *hn, const struct pve_iface *ifc,
				   int depth)
{
	struct underlay u = { VNL_OVERLAY_NONE, 0, VNL_FAMILY_UNKNOWN };
	const struct pve_iface *lower;

	if (depth > MAX_DEPTH)
		return u;
	switch (ifc->kind) {
	case PVE_IF_VXLAN:
		/* the physical side: vxlan-physdev, else the interface that holds
		 * the local tunnel address */
		lower = ifc->vxlan_physdev ? pve_hostnet_find(hn, ifc->vxlan_physdev, ifc->node)
					   : pve_hostnet_by_address(hn, ifc->vxlan_local_ip, ifc->node);
		u.overlay = VNL_OVERLAY_VXLAN;
		u.mtu = lower && lower != ifc ? iface_mtu(hn, lower, depth + 1) : 0;
		u.family = family_of(ifc->vxlan_local_ip);
		return u;
	case PVE_IF_VLAN:
		lower = pve_hostnet_find(hn, ifc->raw_device, ifc->node);
		/* a VLAN on a VLAN carries two tags: QinQ */
		u.overlay = lower && lower->kind == PVE_IF_VLAN ? VNL_OVERLAY_QINQ : VNL_OVERLAY_VLAN;
		u.mtu = lower && lower != ifc ? iface_mtu(hn, lower, depth + 1) : 0;
		return u;
	case PVE_IF_BRIDGE:
	case PVE_IF_OVS_BRIDGE:
		return bridge_underlay(hn, ifc, depth);
	default:
		return u;
	}
}

static void describe(const struct pve_hostnet *hn, const struct pve_iface *ifc,
		     struct vnl_netenv *env)
{
	struct underlay u = underlay_of(hn, ifc, 0);
	int def = default_mtu(hn, ifc, 0);
	struct vnl_bridge *br = vnl_netenv_add(env, ifc->name, ifc->node, ifc->loc.origin,
					       ifc->loc.line);

	br->loc.col = ifc->loc.col;
	if (VNL_SET(ifc->mtu)) {
		br->mtu.value = ifc->mtu.value;
		br->mtu.raw = arena_strdup(&env->arena, ifc->mtu.raw);
		br->mtu.loc = ifc->mtu.loc;
		br->mtu.loc.origin = br->loc.origin;
	}
	br->mtu_default = def;
	br->vlan_aware = ifc->vlan_aware;
	br->mac_learning_off = ifc->mac_learning_off;
	br->overlay = u.overlay;
	br->underlay_mtu = u.mtu;
	br->underlay_family = u.family;
	if (ifc->ports)
		br->ports = arena_strdup(&env->arena, ifc->ports);
	else if (ifc->kind == PVE_IF_VLAN && ifc->raw_device)
		br->ports = arena_strdup(&env->arena, ifc->raw_device);
}

void pve_interfaces_apply(const struct pve_hostnet *hn, struct vnl_netenv *env)
{
	size_t i;

	for (i = 0; i < hn->n; i++)
		if (hn->ifaces[i].kind != PVE_IF_LOOPBACK)
			describe(hn, &hn->ifaces[i], env);
}

/* ---- parsing ------------------------------------------------------------- */

struct ifparse {
	struct pve_hostnet *hn;
	const char *origin; /* in hn's arena */
	const char *node;
	const struct pve_report *rep;
	size_t first;    /* the first interface of this file */
	size_t cur;      /* the stanza being read, or SIZE_MAX */
	bool in_mapping; /* a `mapping` stanza: its lines are skipped */
	int nerrors;
};

VNL_PRINTF(5, 6)
static void fail(struct ifparse *ip, enum vnl_severity sev, unsigned line, unsigned col,
		 const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	pve_reportf(ip->rep, sev, ip->origin, line, col, "%s", strbuf_str(&sb));
	strbuf_release(&sb);
	if (sev != VNL_SEV_INFO)
		ip->nerrors++;
}

static struct pve_iface *cur(struct ifparse *ip)
{
	return &ip->hn->ifaces[ip->cur];
}

/* `iface NAME [FAMILY [METHOD]]`: a stanza for NAME; a second stanza of the
 * same name in the file (inet6 after inet) adds to the first. */
static void start_iface(struct ifparse *ip, const char *s, size_t n, size_t pos, unsigned line)
{
	struct pve_hostnet *hn = ip->hn;
	struct word name, family, method;
	size_t i;

	ip->in_mapping = false;
	ip->cur = SIZE_MAX;
	if (!next_word(s, n, &pos, &name)) {
		fail(ip, VNL_SEV_ERROR, line, 1, "'iface' without an interface name");
		return;
	}
	if (next_word(s, n, &pos, &family) && !word_is(family, "inet") && !word_is(family, "inet6"))
		fail(ip, VNL_SEV_ERROR, line, family.col,
		     "iface %.*s: unknown address family '%.*s' (inet or inet6)", (int)name.n,
		     name.s, (int)family.n, family.s);
	for (i = ip->first; i < hn->n && ip->cur == SIZE_MAX; i++)
		if (strlen(hn->ifaces[i].name) == name.n && !memcmp(hn->ifaces[i].name, name.s, name.n))
			ip->cur = i;
	if (ip->cur == SIZE_MAX) {
		vnl_grow(&hn->ifaces, &hn->cap, hn->n + 1, sizeof(*hn->ifaces));
		ip->cur = hn->n++;
		memset(cur(ip), 0, sizeof(*cur(ip)));
		cur(ip)->name = arena_strndup(&hn->arena, name.s, name.n);
		cur(ip)->node = ip->node;
		cur(ip)->loc.origin = ip->origin;
		cur(ip)->loc.line = line;
		cur(ip)->loc.col = name.col;
	}
	if (next_word(s, n, &pos, &method) && word_is(method, "loopback"))
		cur(ip)->kind = PVE_IF_LOOPBACK;
}

/* "old" + " " + "more" in the arena (ports and addresses given on several lines). */
static const char *append(struct ifparse *ip, const char *old, const char *s, size_t n)
{
	if (!old)
		return arena_strndup(&ip->hn->arena, s, n);
	return arena_printf(&ip->hn->arena, "%s %.*s", old, (int)n, s);
}

static void take_mtu(struct ifparse *ip, const char *key, struct word v, unsigned line)
{
	struct pve_iface *ifc = cur(ip);
	long long m;

	if (!str_to_ll(v.s, v.n, false, &m)) {
		fail(ip, VNL_SEV_ERROR, line, v.col, "%s: %s '%.*s' is not a number; the MTU of %s "
		     "is unknown", ifc->name, key, (int)v.n, v.s, ifc->name);
		return;
	}
	if (m < PVE_MTU_MIN || m > PVE_MTU_MAX) {
		fail(ip, VNL_SEV_ERROR, line, v.col, "%s: %s %lld is outside %d..%d, the range "
		     "Proxmox accepts; ignored", ifc->name, key, m, PVE_MTU_MIN, PVE_MTU_MAX);
		return;
	}
	ifc->mtu.value = m;
	ifc->mtu.raw = arena_strndup(&ip->hn->arena, v.s, v.n);
	ifc->mtu.loc.origin = ip->origin;
	ifc->mtu.loc.line = line;
	ifc->mtu.loc.col = v.col;
}

static void take_bool(struct ifparse *ip, bool *dst, const char *key, struct word v,
		      unsigned line)
{
	if (!pve_parse_bool(v.s, v.n, dst))
		fail(ip, VNL_SEV_ERROR, line, v.col, "%s: %s '%.*s' is not yes/no or 1/0",
		     cur(ip)->name, key, (int)v.n, v.s);
}

static void take_number(struct ifparse *ip, const char *key, struct word v, unsigned line,
			long long max)
{
	long long x;
	if (!str_to_ll(v.s, v.n, false, &x) || x > max)
		fail(ip, VNL_SEV_ERROR, line, v.col, "%s: %s '%.*s' is not a number up to %lld",
		     cur(ip)->name, key, (int)v.n, v.s, max);
}

/* Add each address (`10.0.0.11/24` -> `10.0.0.11`) of an address line. */
static void take_address(struct ifparse *ip, const char *s, size_t n, size_t pos)
{
	struct word w;

	while (next_word(s, n, &pos, &w)) {
		const char *slash = memchr(w.s, '/', w.n);
		size_t len = slash ? (size_t)(slash - w.s) : w.n;
		cur(ip)->addresses = append(ip, cur(ip)->addresses, w.s, len);
	}
}

/* "bridge_ports" and "bridge-ports" are the same option for ifupdown2. */
static void normalize_key(struct word k, char *buf, size_t size)
{
	size_t i;
	for (i = 0; i < k.n && i + 1 < size; i++)
		buf[i] = k.s[i] == '_' ? '-' : (char)tolower((unsigned char)k.s[i]);
	buf[i] = '\0';
}

static void take_option(struct ifparse *ip, const char *s, size_t n, struct word k, size_t pos,
			unsigned line)
{
	struct pve_iface *ifc = cur(ip);
	size_t vpos = pos;
	struct word v;
	char key[48];

	normalize_key(k, key, sizeof(key));
	if (!next_word(s, n, &vpos, &v))
		return; /* an option without a value sets nothing we read */
	/* the value runs to the end of the line */
	v.n = (size_t)(s + n - v.s);
	while (v.n && isspace((unsigned char)v.s[v.n - 1]))
		v.n--;
	if (!strcmp(key, "mtu") || !strcmp(key, "ovs-mtu"))
		take_mtu(ip, key, v, line);
	else if (!strcmp(key, "bridge-ports") || !strcmp(key, "ovs-ports")) {
		ifc->ports = append(ip, ifc->ports, v.s, v.n);
		if (ifc->kind != PVE_IF_OVS_BRIDGE && !strcmp(key, "bridge-ports"))
			ifc->kind = PVE_IF_BRIDGE;
	} else if (!strcmp(key, "bridge-vlan-aware"))
		take_bool(ip, &ifc->vlan_aware, key, v, line);
	else if (!strcmp(key, "bridge-disable-mac-learning"))
		take_bool(ip, &ifc->mac_learning_off, key, v, line);
	else if (!strcmp(key, "bond-slaves") || !strcmp(key, "ovs-bonds")) {
		if (!word_is(v, "none"))
			ifc->ports = append(ip, ifc->ports, v.s, v.n);
		ifc->kind = PVE_IF_BOND;
	} else if (!strcmp(key, "bond-mode"))
		ifc->kind = PVE_IF_BOND;
	else if (!strcmp(key, "bond-master"))
		ifc->bond_master = arena_strndup(&ip->hn->arena, v.s, v.n);
	else if (!strcmp(key, "ovs-type") && word_is(v, "OVSBridge"))
		ifc->kind = PVE_IF_OVS_BRIDGE;
	else if (!strcmp(key, "ovs-type") && word_is(v, "OVSBond"))
		ifc->kind = PVE_IF_BOND;
	else if (!strcmp(key, "vxlan-id")) {
		take_number(ip, key, v, line, 16777215); /* a 24-bit VNI */
		ifc->kind = PVE_IF_VXLAN;
	} else if (!strcmp(key, "vxlan-local-tunnelip"))
		ifc->vxlan_local_ip = arena_strndup(&ip->hn->arena, v.s, v.n);
	else if (!strcmp(key, "vxlan-physdev"))
		ifc->vxlan_physdev = arena_strndup(&ip->hn->arena, v.s, v.n);
	else if (!strcmp(key, "vlan-raw-device")) {
		ifc->raw_device = arena_strndup(&ip->hn->arena, v.s, v.n);
		ifc->kind = PVE_IF_VLAN;
	} else if (!strcmp(key, "vlan-id"))
		take_number(ip, key, v, line, 4094);
	else if (!strcmp(key, "address"))
		take_address(ip, s, n, pos);
}

static void note_source(struct ifparse *ip, struct word k, const char *s, size_t n, size_t pos,
			unsigned line)
{
	struct word v = { "", 0, k.col };
	size_t rest = 0;

	if (next_word(s, n, &pos, &v))
		rest = (size_t)(s + n - v.s); /* the pattern may hold blanks */
	while (rest && isspace((unsigned char)v.s[rest - 1]))
		rest--;
	fail(ip, VNL_SEV_INFO, line, v.col, "%.*s '%.*s' is not followed: interfaces defined "
	     "there are unknown to vmnetlint (give them with --interfaces)", (int)k.n, k.s,
	     (int)rest, v.s);
}

static void parse_line(struct ifparse *ip, const char *s, size_t n, unsigned line)
{
	size_t pos = 0;
	struct word k;

	if (!next_word(s, n, &pos, &k) || k.s[0] == '#')
		return; /* blank or comment */
	if (word_is(k, "iface")) {
		start_iface(ip, s, n, pos, line);
	} else if (word_is(k, "auto") || (k.n > 6 && !memcmp(k.s, "allow-", 6))) {
		ip->cur = SIZE_MAX; /* ends a stanza; which interfaces start is not needed */
		ip->in_mapping = false;
	} else if (word_is(k, "source") || word_is(k, "source-directory")) {
		ip->cur = SIZE_MAX;
		note_source(ip, k, s, n, pos, line);
	} else if (word_is(k, "mapping")) {
		ip->cur = SIZE_MAX;
		ip->in_mapping = true;
	} else if (ip->cur != SIZE_MAX) {
		take_option(ip, s, n, k, pos, line);
	} else if (!ip->in_mapping) {
		fail(ip, VNL_SEV_ERROR, line, k.col, "'%.*s' is outside any iface stanza; ifupdown "
		     "rejects a misplaced option", (int)k.n, k.s);
	}
}

/* After the last line: types the name says, and slaves that named their bond. */
static void finish_file(struct ifparse *ip)
{
	struct pve_hostnet *hn = ip->hn;
	size_t i, k;

	for (i = ip->first; i < hn->n; i++) {
		struct pve_iface *ifc = &hn->ifaces[i];
		const char *dot = strrchr(ifc->name, '.');
		if (ifc->kind == PVE_IF_ETH && dot && dot > ifc->name && dot[1] &&
		    str_is_digits(dot + 1, strlen(dot + 1))) {
			ifc->kind = PVE_IF_VLAN;
			ifc->raw_device = arena_strndup(&hn->arena, ifc->name,
							(size_t)(dot - ifc->name));
		}
		if (!ifc->bond_master)
			continue;
		for (k = ip->first; k < hn->n; k++) {
			struct pve_iface *bond = &hn->ifaces[k];
			if (!strcmp(bond->name, ifc->bond_master) &&
			    !list_has(bond->ports, ifc->name, strlen(ifc->name))) {
				bond->ports = arena_printf(&hn->arena, "%s%s%s", bond->ports ?
							   bond->ports : "", bond->ports ? " " : "",
							   ifc->name);
				bond->kind = PVE_IF_BOND;
			}
		}
	}
}

int pve_interfaces_parse(struct pve_hostnet *hn, const char *origin, const char *node,
			 const char *buf, size_t len, const struct pve_report *rep)
{
	struct ifparse ip;
	size_t pos = 0;
	unsigned line = 0;

	memset(&ip, 0, sizeof(ip));
	ip.hn = hn;
	ip.origin = arena_strdup(&hn->arena, origin);
	ip.node = node ? arena_strdup(&hn->arena, node) : NULL;
	ip.rep = rep;
	ip.first = hn->n;
	ip.cur = SIZE_MAX;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		line++;
		if (memchr(buf + pos, '\0', n))
			fail(&ip, VNL_SEV_ERROR, line, 1, "line contains a NUL byte");
		else
			parse_line(&ip, buf + pos, n, line);
		pos += n + 1;
	}
	finish_file(&ip);
	return ip.nerrors;
}
