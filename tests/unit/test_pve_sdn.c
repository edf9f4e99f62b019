/* SDN zones.cfg and vnets.cfg into the network environment: zone types,
 * the vnet MTU defaults and underlays (research/proxmox.md 5.5), EVPN ARP/ND
 * suppression (7.3), and problems with their place. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "netenv.h"
#include "source/pve_interfaces.h"
#include "source/pve_sdn.h"
#include "tap.h"

struct msgs {
	char text[16][256];
	unsigned line[16], col[16];
	size_t n;
};

static void collect(void *data, enum vnl_severity sev, const struct vnl_loc *loc, const char *msg)
{
	struct msgs *m = data;
	(void)sev;
	if (m->n == 16)
		return;
	snprintf(m->text[m->n], sizeof(m->text[0]), "%s", msg);
	m->line[m->n] = loc->line;
	m->col[m->n] = loc->col;
	m->n++;
}

static const char *const pve1_ifaces =
	"iface eno1 inet manual\n\tmtu 9000\n"
	"iface vmbr0 inet static\n\taddress 10.0.0.11/24\n\tbridge-ports eno1\n";
static const char *const pve2_ifaces =
	"iface eno1 inet manual\n\tmtu 9000\n"
	"iface vmbr0 inet static\n\taddress 10.0.0.12/24\n\tbridge-ports eno1\n\tmtu 9000\n";

static const char *const zones =
	"simple: simp\n"
	"\tipam pve\n"
	"\n"
	"vlan: vlz1\n"
	"\tbridge vmbr0\n"
	"\tipam pve\n"
	"\n"
	"qinq: qz1\n"
	"\tbridge vmbr0\n"
	"\ttag 100\n"
	"\tmtu 1496\n"
	"\n"
	"vxlan: vxz1\n"
	"\tpeers 10.0.0.11,10.0.0.12\n"
	"\tipam pve\n"
	"\n"
	"evpn: evz1\n"
	"\tcontroller evctl\n"
	"\tvrf-vxlan 10000\n"
	"\tmtu 1400\n"
	"\tdisable-arp-nd-suppression 1\n"
	"\n"
	"evpn: evz2\n"
	"\tcontroller evctl\n"
	"\tvrf-vxlan 10001\n"
	"\tnodes pve2\n";

static const char *const vnets =
	"vnet: vxnet1\n\tzone vxz1\n\ttag 100000\n\n"
	"vnet: vlnet20\n\tzone vlz1\n\ttag 20\n\tvlanaware 1\n\n"
	"vnet: qnet\n\tzone qz1\n\ttag 20\n\n"
	"vnet: evnet1\n\tzone evz1\n\ttag 11000\n\n"
	"vnet: evnet2\n\tzone evz2\n\ttag 11001\n\n"
	"vnet: simple1\n\tzone simp\n\n"
	"vnet: orphan\n\tzone nozone\n\ttag 5\n";

static const char *const controllers = "evpn: evctl\n\tasn 65000\n\tpeers 10.0.0.11,10.0.0.12\n";

static void build(struct vnl_netenv *env, struct msgs *m, const char *z, const char *v,
		  const char *c)
{
	struct pve_report rep = { collect, m };
	struct pve_hostnet hn;
	struct pve_sdn *sdn = pve_sdn_new();

	memset(m, 0, sizeof(*m));
	vnl_netenv_init(env);
	pve_hostnet_init(&hn);
	pve_interfaces_parse(&hn, "pve1/interfaces", "pve1", pve1_ifaces, strlen(pve1_ifaces), &rep);
	pve_interfaces_parse(&hn, "pve2/interfaces", "pve2", pve2_ifaces, strlen(pve2_ifaces), &rep);
	pve_interfaces_apply(&hn, env);
	if (z)
		pve_sdn_parse(sdn, PVE_SDN_ZONES, "zones.cfg", z, strlen(z), &rep);
	if (v)
		pve_sdn_parse(sdn, PVE_SDN_VNETS, "vnets.cfg", v, strlen(v), &rep);
	if (c)
		pve_sdn_parse(sdn, PVE_SDN_CONTROLLERS, "controllers.cfg", c, strlen(c), &rep);
	pve_sdn_apply(sdn, &hn, env, &rep);
	pve_sdn_free(sdn);
	pve_hostnet_release(&hn);
}

/* The entry exactly for node (NULL: the cluster-wide one). */
static const struct vnl_bridge *exact(const struct vnl_netenv *env, const char *name,
				      const char *node)
{
	size_t i;
	for (i = 0; i < env->n; i++) {
		const struct vnl_bridge *b = &env->bridges[i];
		if (!strcmp(b->name, name) && ((!node && !b->node) ||
					       (node && b->node && !strcmp(node, b->node))))
			return b;
	}
	return NULL;
}

static void test_vxlan(const struct vnl_netenv *env)
{
	const struct vnl_bridge *b = exact(env, "vxnet1", NULL);

	ok(b != NULL, "a vnet is a cluster-wide bridge");
	if (!b)
		return;
	is_str(b->zone, "vxz1", "with its zone");
	ok(b->overlay == VNL_OVERLAY_VXLAN, "a VXLAN zone: overlay vxlan");
	ok(!VNL_SET(b->mtu), "no zone mtu");
	is_int(b->mtu_default, 1450, "VXLAN default 1450");
	is_int(b->underlay_mtu, 0, "cluster-wide the underlay is unknown");
	is_str(b->loc.origin, "vnets.cfg", "defined in vnets.cfg");
	is_int(b->loc.line, 1, "on its header line");
	b = exact(env, "vxnet1", "pve1");
	ok(b != NULL, "pve1 holds a peer address: a bridge for pve1");
	is_int(b ? b->underlay_mtu : 0, 9000, "pve1: underlay = vmbr0 (ports at 9000)");
	is_int(b ? b->mtu_default : 0, 1450, "pve1: vmbr0 has no mtu line, so PVE uses 1450");
	ok(b && b->underlay_family == VNL_FAMILY_IPV4, "IPv4 peers");
	b = exact(env, "vxnet1", "pve2");
	is_int(b ? b->mtu_default : 0, 8950, "pve2: vmbr0 mtu 9000 - 50");
	is_int(vnl_bridge_mtu(vnl_netenv_find(env, "vxnet1", "pve3")), 1450,
	       "a node without interfaces gets the cluster-wide vnet");
}

static void test_zones(const struct vnl_netenv *env)
{
	const struct vnl_bridge *b = exact(env, "vlnet20", NULL);

	ok(b->overlay == VNL_OVERLAY_VLAN, "a VLAN zone: overlay vlan");
	ok(b->vlan_aware, "vlanaware 1");
	is_int(b->mtu_default, 0, "cluster-wide the VLAN zone's bridge MTU is unknown");
	is_str(b->ports, "vmbr0", "on the zone's bridge");
	b = exact(env, "vlnet20", "pve1");
	is_int(b ? b->mtu_default : 0, 9000, "pve1: the bridge's MTU");
	is_int(b ? b->underlay_mtu : 0, 9000, "and the underlay");

	b = exact(env, "qnet", NULL);
	ok(b->overlay == VNL_OVERLAY_QINQ, "a QinQ zone: overlay qinq");
	is_int(b->mtu.value, 1496, "the zone mtu");
	is_str(b->mtu.loc.origin, "zones.cfg", "written in zones.cfg");
	is_int(b->mtu.loc.line, 11, "on the zone's mtu line");
	is_int(b->mtu.loc.col, 6, "at the value");
	is_int(exact(env, "qnet", "pve2")->underlay_mtu, 9000, "QinQ underlay: the zone bridge");

	b = exact(env, "evnet1", NULL);
	ok(b->overlay == VNL_OVERLAY_VXLAN, "an EVPN zone: overlay vxlan");
	is_int(vnl_bridge_mtu(b), 1400, "the zone mtu wins");
	ok(!b->arp_nd_suppression, "disable-arp-nd-suppression 1");
	b = exact(env, "evnet2", NULL);
	ok(b->arp_nd_suppression, "EVPN suppresses ARP/ND by default");
	b = exact(env, "evnet2", "pve2");
	is_int(b ? b->mtu_default : 0, 8950, "EVPN peers come from the controller");
	ok(exact(env, "evnet2", "pve1") == NULL, "zone nodes: pve2 only");

	b = exact(env, "simple1", NULL);
	ok(b->overlay == VNL_OVERLAY_NONE, "a simple zone: no overlay");
	is_int(vnl_bridge_mtu(b), 0, "and no known MTU");
	ok(vnl_netenv_find(env, "orphan", NULL) == NULL, "a vnet without its zone is not created");
	ok(vnl_netenv_find(env, "vmbr0", "pve1") != NULL, "the interfaces are still there");
}

static void test_good(void)
{
	struct vnl_netenv env;
	struct msgs m;

	build(&env, &m, zones, vnets, controllers);
	is_int((long long)m.n, 1, "one problem: the vnet whose zone is missing");
	has_str(m.text[0], "vnet orphan: zone 'nozone' is not defined in zones.cfg",
		"named clearly");
	is_int(m.line[0], 26, "at the vnet's zone line");
	is_int(m.col[0], 7, "at the zone name");
	test_vxlan(&env);
	test_zones(&env);
	vnl_netenv_release(&env);
}

static void test_bad(void)
{
	struct vnl_netenv env;
	struct msgs m;

	build(&env, &m,
	      "\tmtu 1400\n"
	      "vxlan: z1\n"
	      "\tmtu abc\n"
	      "\tpeers 10.0.0.1\n"
	      "\tpeers 10.0.0.2\n"
	      "vlan: z2\n"
	      "\n"
	      "foo: z3\n"
	      "\tmtu 1500\n"
	      "\n"
	      "vlan: z4\n"
	      "\tmtu 99999\n"
	      "\n"
	      "vlan z5\n",
	      "vnet: v1\n\tzone z1\n\tvlanaware maybe\n\n"
	      "vnet: v2\n\ttag 3\n",
	      "evpn: other\n\tpeers 10.0.0.1\n");
	is_int((long long)m.n, 9, "nine problems");
	has_str(m.text[0], "a property line outside any section", "property before a header");
	is_int(m.line[0], 1, "line 1");
	has_str(m.text[1], "zone z1: mtu 'abc' is not an MTU", "bad zone mtu");
	is_int(m.line[1], 3, "line 3");
	is_int(m.col[1], 6, "at the value");
	has_str(m.text[2], "zone z1: duplicate 'peers'; Proxmox keeps line 4", "duplicate key");
	has_str(m.text[3], "'vlan: z2' inside a section", "a header without a blank line");
	has_str(m.text[4], "unknown zone type 'foo'", "unknown zone type");
	is_int(m.line[4], 8, "its line");
	has_str(m.text[5], "zone z4: mtu '99999' is not an MTU (1..65520)", "MTU out of range");
	has_str(m.text[6], "cannot parse 'vlan z5'", "a header without colon");
	has_str(m.text[7], "vnet v1: vlanaware 'maybe' is not 0/1", "bad boolean");
	has_str(m.text[8], "vnet v2 has no zone", "vnet without zone");
	is_int(vnl_bridge_mtu(exact(&env, "v1", NULL)), 1450,
	       "the bad mtu is ignored: the VXLAN default");
	vnl_netenv_release(&env);

	build(&env, &m, "evpn: e1\n\tcontroller nope\n", "vnet: v\n\tzone e1\n",
	      "evpn: other\n\tasn 1\n");
	has_str(m.n ? m.text[0] : "", "zone e1: controller 'nope' is not defined",
		"a missing controller is named");
	vnl_netenv_release(&env);
}

static void test_helper(void)
{
	struct vnl_netenv *env = netenv_from_text("pve1", pve1_ifaces, zones, vnets);
	const struct vnl_bridge *b = vnl_netenv_find(env, "vxnet1", "pve1");
	is_int(b ? b->underlay_mtu : 0, 9000, "netenv_from_text: SDN over the node's interfaces");
	netenv_free(env);
}

int main(void)
{
	test_good();
	test_bad();
	test_helper();
	return done_testing();
}
