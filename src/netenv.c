#include "config.h"

#include "netenv.h"

#include <stdlib.h>
#include <string.h>

static const char *const overlay_names[VNL_OVERLAY__COUNT] = {
	"none", "vlan", "qinq", "vxlan", "geneve", "wireguard", "gre", "gretap",
	"ipsec", "netbird", "tailscale",
};

const char *vnl_overlay_name(enum vnl_overlay o)
{
	return (unsigned)o < VNL_OVERLAY__COUNT ? overlay_names[o] : "?";
}

enum vnl_overlay vnl_overlay_from_name(const char *name)
{
	size_t i;
	if (!strcmp(name, "evpn"))
		return VNL_OVERLAY_VXLAN;
	for (i = 0; i < VNL_OVERLAY__COUNT; i++)
		if (!strcmp(name, overlay_names[i]))
			return (enum vnl_overlay)i;
	return VNL_OVERLAY__COUNT;
}

/* research/network.md section 0. IPsec: ESP tunnel with AES-GCM, the upper
 * end of the derived range (57/77). NetBird and Tailscale are WireGuard. */
int vnl_overlay_overhead(enum vnl_overlay o, enum vnl_ip_family family)
{
	bool v4 = family == VNL_FAMILY_IPV4;

	switch (o) {
	case VNL_OVERLAY_NONE:
	case VNL_OVERLAY_VLAN: return 0;
	case VNL_OVERLAY_QINQ: return 4;
	case VNL_OVERLAY_VXLAN:
	case VNL_OVERLAY_GENEVE: return v4 ? 50 : 70;
	case VNL_OVERLAY_WIREGUARD:
	case VNL_OVERLAY_NETBIRD:
	case VNL_OVERLAY_TAILSCALE: return v4 ? 60 : 80;
	case VNL_OVERLAY_GRE: return v4 ? 24 : 44;
	case VNL_OVERLAY_GRETAP: return v4 ? 38 : 58;
	case VNL_OVERLAY_IPSEC: return v4 ? 57 : 77;
	case VNL_OVERLAY__COUNT: break;
	}
	return 0;
}

void vnl_netenv_init(struct vnl_netenv *env)
{
	memset(env, 0, sizeof(*env));
	env->cluster_firewall.value = -1;
}

void vnl_netenv_release(struct vnl_netenv *env)
{
	free(env->bridges);
	free(env->gaps);
	arena_release(&env->arena);
	memset(env, 0, sizeof(*env));
}

static bool same_node(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

struct vnl_bridge *vnl_netenv_add(struct vnl_netenv *env, const char *name, const char *node,
				  const char *origin, unsigned line)
{
	struct vnl_bridge *br = NULL;
	size_t i;

	for (i = 0; i < env->n && !br; i++)
		if (!strcmp(env->bridges[i].name, name) && same_node(env->bridges[i].node, node))
			br = &env->bridges[i];
	if (!br) {
		vnl_grow(&env->bridges, &env->cap, env->n + 1, sizeof(*env->bridges));
		br = &env->bridges[env->n++];
	}
	memset(br, 0, sizeof(*br));
	br->name = arena_strdup(&env->arena, name);
	br->node = node ? arena_strdup(&env->arena, node) : NULL;
	br->loc.origin = origin ? arena_strdup(&env->arena, origin) : NULL;
	br->loc.line = line;
	return br;
}

const struct vnl_bridge *vnl_netenv_find(const struct vnl_netenv *env, const char *name,
					 const char *node)
{
	const struct vnl_bridge *any = NULL;
	size_t i;

	if (!env || !name)
		return NULL;
	for (i = 0; i < env->n; i++) {
		const struct vnl_bridge *br = &env->bridges[i];
		if (strcmp(br->name, name))
			continue;
		if (node && br->node && !strcmp(br->node, node))
			return br;
		if (!br->node || !node)
			any = any ? any : br;
	}
	return any;
}

int vnl_bridge_mtu(const struct vnl_bridge *br)
{
	if (!br)
		return 0;
	if (VNL_SET(br->mtu))
		return (int)br->mtu.value;
	return br->mtu_default;
}

const char *vnl_context_name(enum vnl_context what)
{
	switch (what) {
	case VNL_CTX_CLUSTER_FIREWALL: return "firewall options";
	case VNL_CTX_VM_FIREWALL: return "VM firewall options";
	case VNL_CTX_SDN: return "SDN";
	case VNL_CTX_NODE_NETWORK: return "node network";
	case VNL_CTX__COUNT: break;
	}
	return "context";
}

static long find_gap(const struct vnl_netenv *env, enum vnl_context what, const char *node)
{
	size_t i;

	for (i = 0; i < env->ngaps; i++)
		if (env->gaps[i].what == what && same_node(env->gaps[i].node, node))
			return (long)i;
	return -1;
}

size_t vnl_netenv_add_gap(struct vnl_netenv *env, enum vnl_context what, const char *node,
			  const char *origin, const char *why)
{
	long old = find_gap(env, what, node);
	struct vnl_context_gap *g;

	if (old >= 0)
		return (size_t)old;
	vnl_grow(&env->gaps, &env->gaps_cap, env->ngaps + 1, sizeof(*env->gaps));
	g = &env->gaps[env->ngaps];
	g->what = what;
	g->node = node ? arena_strdup(&env->arena, node) : NULL;
	g->origin = arena_strdup(&env->arena, origin ? origin : "");
	g->why = arena_strdup(&env->arena, why ? why : "not readable");
	return env->ngaps++;
}

long vnl_netenv_gap(const struct vnl_netenv *env, enum vnl_context what, const char *node)
{
	long i;

	if (!env)
		return -1;
	i = node ? find_gap(env, what, node) : -1;
	return i >= 0 ? i : find_gap(env, what, NULL);
}
