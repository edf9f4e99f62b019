/* The netN property string: every key, the alias, columns, and each reason
 * PVE refuses a value (research/proxmox.md 2.1-2.2). */
#include "config.h"

#include <string.h>

#include "model.h"
#include "source/pve_prop.h"
#include "tap.h"

/* Parse value as net0 on line 7 at column 6; returns the parse result. */
static int parse(struct vnl_vm *vm, struct vnl_nic **nic, const char *value)
{
	*nic = vnl_vm_add_nic(vm, "net0");
	return pve_net_parse(vm, *nic, value, strlen(value), 7, 6);
}

static void test_all_keys(void)
{
	struct vnl_vm *vm = vnl_vm_new(VNL_SRC_PVE_FILE, "t.conf");
	struct vnl_nic *nic;
	int rc = parse(vm, &nic,
		       "virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,firewall=1,host-tunnel=0,"
		       "link_down=off,mtu=1450,queues=4,rate=12.5,tag=10,trunks=20;30-40");

	is_int(rc, 0, "a line with every key parses");
	is_int((long long)vm->nproblems, 0, "and records no problem");
	is_str(nic->model.raw, "virtio", "model from the <model>=<MAC> alias");
	ok(nic->family == VNL_NIC_VIRTIO, "virtio family");
	is_str(nic->mac.raw, "BC:24:11:AA:BB:CC", "MAC from the alias");
	is_int(nic->mac.loc.col, 6 + 7, "the MAC's column is after 'virtio='");
	is_str(nic->bridge.raw, "vmbr0", "bridge");
	ok(nic->firewall.value && !nic->link_down.value && !nic->host_tunnel.value,
	   "booleans: 1, off, 0");
	is_int(nic->mtu.value, 1450, "mtu");
	is_int(nic->queues.value, 4, "queues");
	is_int(nic->queues.loc.line, 7, "queues line");
	is_int(nic->queues.loc.col, 6 + (long long)strlen("virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,"
							 "firewall=1,host-tunnel=0,link_down=off,mtu=1450,"),
	       "queues column points at 'queues='");
	is_str(nic->rate.raw, "12.5", "rate");
	is_int(nic->vlan_tag.value, 10, "tag");
	is_str(nic->trunks.raw, "20;30-40", "trunks");
	vnl_vm_free(vm);
}

static void test_forms(void)
{
	struct vnl_vm *vm = vnl_vm_new(VNL_SRC_PVE_FILE, "t.conf");
	struct vnl_nic *nic;

	is_int(parse(vm, &nic, "model=e1000,macaddr=bc:24:11:aa:bb:cc,bridge=vmbr1,"), 0,
	       "model= and macaddr= keys, lower-case MAC, trailing comma");
	ok(nic->family == VNL_NIC_EMULATED, "e1000 is emulated");
	is_int(parse(vm, &nic, "virtio,bridge=vmbr0"), 0, "a bare model without MAC");
	ok(!nic->mac.raw, "no MAC");
	is_int(parse(vm, &nic, "virtio=BC:24:11:AA:BB:CC,queues=004"), 0,
	       "integers may have leading zeros");
	is_int(nic->queues.value, 4, "queues=004 is 4");
	is_int(parse(vm, &nic, "virtio=BC:24:11:AA:BB:CC,firewall=yes,link_down=TRUE"), 0,
	       "yes/TRUE are booleans");
	is_int((long long)vm->nproblems, 0, "no problems for the valid forms");
	vnl_vm_free(vm);
}

/* Each bad value: refused, one problem, the problem names the reason. */
static void expect_refused(const char *value, const char *reason, unsigned col)
{
	struct vnl_vm *vm = vnl_vm_new(VNL_SRC_PVE_FILE, "t.conf");
	struct vnl_nic *nic;
	int rc = parse(vm, &nic, value);

	ok(rc < 0 && vm->nproblems >= 1, "refused: %s", value);
	if (vm->nproblems) {
		has_str(vm->problems[0].message, reason, "  reason '%s'", reason);
		ok(vm->problems[0].severity == VNL_SEV_ERROR, "  an error (the NIC is dropped)");
		if (col)
			is_int(vm->problems[0].loc.col, col, "  column of the bad part");
	}
	vnl_vm_free(vm);
}

static void test_refused(void)
{
	expect_refused("virtio=BC:24:11:AA:BB:CC,queue=4", "invalid key 'queue'", 6 + 25);
	expect_refused("virtio=BC:24:11:AA:BB:CC,queues=65", "out of range 0..64", 0);
	expect_refused("virtio=BC:24:11:AA:BB:CC,queues=abc", "not an integer", 0);
	expect_refused("virtio=BC:24:11:AA:BB:CC,tag=4095", "out of range 1..4094", 0);
	expect_refused("virtio=BC:24:11:AA:BB:CC,tag=0", "out of range", 0);
	expect_refused("virtio=BC:24:11:AA:BB:CC,mtu=70000", "out of range 1..65520", 0);
	expect_refused("virtio=BC:24:11:AA:BB:CC,firewall=maybe", "not a boolean", 0);
	expect_refused("virtio=01:00:5E:00:00:01", "multicast", 0);
	expect_refused("virtio=BC:24:11:AA:BB", "not a MAC address", 0);
	expect_refused("Virtio=BC:24:11:AA:BB:CC", "invalid key 'Virtio'", 0);
	expect_refused("virtio,e1000", "duplicate key 'model'", 0);
	expect_refused("virtio=BC:24:11:AA:BB:CC,e1000=BC:24:11:AA:BB:CD", "key alias 'model' is already defined", 0);
	expect_refused("virtio=BC:24:11:AA:BB:CC,macaddr=BC:24:11:AA:BB:CD", "already defined (via alias)", 0);
	expect_refused("virtio=BC:24:11:AA:BB:CC,queues=2,queues=4", "duplicate key 'queues'", 0);
	expect_refused("virtio=BC:24:11:AA:BB:CC,bridge= vmbr0", "not a valid bridge name", 0);
	expect_refused("virtio=BC:24:11:AA:BB:CC,bridge=", "empty value", 0);
	expect_refused("bridge=vmbr0", "no NIC model", 0);
	expect_refused("virtio=BC:24:11:AA:BB:CC,trunks=10;5000", "not a list of VLAN ids", 0);
	expect_refused("virtio=BC:24:11:AA:BB:CC,rate=fast", "not a number", 0);
	expect_refused("rtl8168=BC:24:11:AA:BB:CC", "invalid key 'rtl8168'", 0);
}

static void test_decode(void)
{
	char out[64];
	size_t n = pve_decode_text("Maintainer%3A netops %C3%A9 50%", 31, out);
	is_str(out, "Maintainer: netops \xc3\xa9 50%", "percent-decoding, UTF-8 bytes, a lone %%");
	is_int((long long)n, (long long)strlen(out), "decoded length");
	pve_decode_text("%zz%4", 5, out);
	is_str(out, "%zz%4", "malformed escapes are kept");
}

static void test_small_parsers(void)
{
	bool b = false;
	ok(pve_parse_bool("on", 2, &b) && b, "on is true");
	ok(pve_parse_bool("False", 5, &b) && !b, "False is false");
	ok(!pve_parse_bool("2", 1, &b), "2 is not a boolean");
	ok(pve_tag_valid("opnsense", 8) && pve_tag_valid("ha_pair-1.a", 11), "valid tags");
	ok(!pve_tag_valid("-x", 2) && !pve_tag_valid("a b", 3), "invalid tags");
	ok(pve_net_model_known("vmxnet3", 7) && !pve_net_model_known("virtio-net", 10),
	   "known models");
}

int main(void)
{
	test_all_keys();
	test_forms();
	test_refused();
	test_decode();
	test_small_parsers();
	return done_testing();
}
