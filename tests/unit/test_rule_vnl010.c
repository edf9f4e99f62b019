/* VNL010 mtu-overlay: hypervisor overlays (SDN VXLAN vnets) and tunnels the
 * guest terminates; must fire / must not fire. */
#include "config.h"

#include <stdlib.h>

#include "config_file.h"
#include "helpers.h"
#include "tap.h"
#include "test_libvirt_helpers.h"

static const char *zones_1500 = "vxlan: z1\n\tpeers 10.0.0.1,10.0.0.2\n\tmtu 1500\n\n";
static const char *zones_default = "vxlan: z1\n\tpeers 10.0.0.1,10.0.0.2\n\n";
static const char *zones_v6 = "vxlan: z1\n\tpeers fd00::1,fd00::2\n\n";
static const char *vnets = "vnet: vnet1\n\tzone z1\n\ttag 100\n\n";

static size_t run(const char *conf, struct vnl_netenv *net, const struct vnl_config *cfg,
		  struct vnl_finding_list *l)
{
	struct vnl_vm *vm = pve_vm("100", conf);
	vnl_config_apply_vm(cfg, vm);
	run_rule_env("VNL010", vm, net, cfg, l);
	vnl_vm_free(vm);
	return l->n;
}

static void hypervisor_overlay(void)
{
	struct vnl_finding_list l = { 0 };
	struct vnl_config cfg;
	struct vnl_netenv *net;
	const char *vm_on_vnet = "name: a\nnet0: virtio=BC:24:11:00:00:01,bridge=vnet1\n";

	vnl_config_init(&cfg);
	net = netenv_from_text("pve1", NULL, zones_1500, vnets);
	is_int((long long)run(vm_on_vnet, net, &cfg, &l), 1,
	       "fires: a VXLAN zone at 1500 on a 1500 underlay, the VM inherits 1500");
	has_str(l.n ? l.items[0]->message : NULL, "+ 50 bytes of vxlan over IPv4",
		"IPv4 peers give the IPv4 overhead");
	ok(has_edit(&l, "net0", VNL_EDIT_SET, VNL_PROP_MTU), "proposes mtu = underlay - overhead");
	is_str(l.n && l.items[0]->nedits ? l.items[0]->edits[0].value : NULL, "1450", "mtu=1450");
	vnl_finding_list_clear(&l);
	netenv_free(net);

	net = netenv_from_text("pve1", NULL, zones_default, vnets);
	is_int((long long)run(vm_on_vnet, net, &cfg, &l), 0,
	       "does not fire: the default 1450 vnet MTU fits VXLAN over IPv4");
	vnl_finding_list_clear(&l);
	is_int((long long)run("name: b\nnet0: e1000=BC:24:11:00:00:02,bridge=vnet1\n", net, &cfg, &l),
	       1, "fires: an e1000 NIC on a 1450 vnet runs at 1500");
	ok(l.n && l.items[0]->nedits == 0, "no edit for a NIC that cannot carry an MTU hint");
	vnl_finding_list_clear(&l);
	netenv_free(net);

	net = netenv_from_text("pve1", NULL, zones_v6, vnets);
	is_int((long long)run(vm_on_vnet, net, &cfg, &l), 1,
	       "fires: 1450 + 70 bytes of VXLAN over IPv6 exceeds 1500");
	vnl_finding_list_clear(&l);
	netenv_free(net);

	net = netenv_from_text("pve1", NULL, NULL, NULL);
	is_int((long long)run("name: c\nnet0: virtio=BC:24:11:00:00:03,bridge=vmbr0\n", net, &cfg, &l),
	       0, "does not fire on a plain bridge");
	vnl_finding_list_clear(&l);
	netenv_free(net);
	vnl_config_release(&cfg);
}

static void guest_tunnel(void)
{
	struct vnl_finding_list l = { 0 };
	struct vnl_config cfg;
	struct vnl_err err;
	struct vnl_netenv *net = netenv_from_text("pve1", NULL, zones_default, vnets);

	vnl_config_init(&cfg);
	is_int((long long)run("name: wg1\ntags: wireguard\nnet0: virtio=BC:24:11:00:00:01,bridge=vnet1\n",
			      net, &cfg, &l), 1,
	       "fires: WireGuard's default 1420 + 80 does not fit a 1450 NIC");
	ok(l.n && l.items[0]->severity == VNL_SEV_WARNING, "a warning while the inner MTU is assumed");
	has_str(l.n ? l.items[0]->evidence : NULL, "tag 'wireguard'", "cites the overlay evidence");
	vnl_finding_list_clear(&l);
	is_int((long long)run("name: wg2\ntags: wireguard\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n",
			      net, &cfg, &l), 0, "does not fire: 1420 + 80 fits 1500");
	vnl_finding_list_clear(&l);
	is_int((long long)run("name: nb\ntags: netbird\nnet0: virtio=BC:24:11:00:00:01,bridge=vnet1\n",
			      net, &cfg, &l), 0, "does not fire: NetBird's 1280 fits 1450");
	vnl_finding_list_clear(&l);

	vnl_config_parse(&cfg, "t.conf", "[vm \"gw\"]\noverlay = wireguard\ninner-mtu = 1440\n"
			 "overlay-family = ipv4\n[vm \"slack\"]\noverlay = wireguard\n"
			 "inner-mtu = 1280\noverlay-family = ipv4\n", &err);
	is_int((long long)run("name: gw\nnet0: virtio=BC:24:11:00:00:01,bridge=vnet1\n", net, &cfg, &l),
	       1, "fires: a declared inner MTU 1440 + 60 (IPv4) > the NIC's 1450");
	ok(l.n && l.items[0]->severity == VNL_SEV_ERROR, "an error when the inner MTU is declared");
	has_str(l.n ? l.items[0]->origin : NULL, "t.conf", "points at the declaration");
	vnl_finding_list_clear(&l);
	is_int((long long)run("name: gw\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n", net, &cfg, &l),
	       0, "does not fire: 1440 + 60 fits 1500 exactly");
	vnl_finding_list_clear(&l);
	is_int((long long)run("name: slack\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n", net, &cfg, &l),
	       1, "info: inner MTU 1280 where 1440 fits");
	ok(l.n && l.items[0]->severity == VNL_SEV_INFO, "the slack finding is info");
	vnl_finding_list_clear(&l);
	netenv_free(net);
	vnl_config_release(&cfg);
}

static void libvirt_case(void)
{
	struct vnl_finding_list l = { 0 };
	char *xml = lv_domain("wg", "<title>wireguard gateway</title>",
			      "<interface type='bridge'><mac address='52:54:00:00:00:01'/>"
			      "<source bridge='br0'/><model type='virtio'/><mtu size='1400'/></interface>");
	struct vnl_vm *vm = lv_vm(xml);

	run_rule_env("VNL010", vm, NULL, NULL, &l);
	is_int((long long)l.n, 1, "fires on libvirt: WireGuard 1420 + 80 > <mtu size='1400'>");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);
	free(xml);
}

int main(void)
{
	hypervisor_overlay();
	guest_tunnel();
	libvirt_case();
	return done_testing();
}
