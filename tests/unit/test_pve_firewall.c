/* cluster.fw and <vmid>.fw [OPTIONS]: the datacenter firewall, a VM's
 * firewall and MAC filter, PVE's defaults (research/proxmox.md 7.3). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "netenv.h"
#include "source/pve_firewall.h"
#include "source/pve_tree.h"
#include "tap.h"

#define TXT(s) s, strlen(s)

struct msgs {
	char text[8][256];
	unsigned line[8], col[8];
	size_t n;
};

static void collect(void *data, enum vnl_severity sev, const struct vnl_loc *loc, const char *msg)
{
	struct msgs *m = data;
	(void)sev;
	if (m->n == 8)
		return;
	snprintf(m->text[m->n], sizeof(m->text[0]), "%s", msg);
	m->line[m->n] = loc->line;
	m->col[m->n] = loc->col;
	m->n++;
}

static void test_cluster(void)
{
	struct msgs m = { .n = 0 };
	struct pve_report rep = { collect, &m };
	struct vnl_netenv env;
	const char *on = "[OPTIONS]\n\nenable: 1\n\n[RULES]\n\nIN ACCEPT -p tcp -dport 8006\n";
	const char *off = "# no options at all\n[RULES]\nIN ACCEPT -p vrrp\n";

	vnl_netenv_init(&env);
	is_int(env.cluster_firewall.value, -1, "unknown before cluster.fw is read");
	is_int(pve_firewall_parse_cluster("cluster.fw", on, strlen(on), &env, &rep), 0, "no errors");
	is_int(env.cluster_firewall.value, 1, "enable: 1");
	is_int(env.cluster_firewall.loc.line, 3, "its line");
	is_int(env.cluster_firewall.loc.col, 9, "its column");
	is_str(env.cluster_firewall.loc.origin, "cluster.fw", "its file");
	pve_firewall_parse_cluster("cluster.fw", off, strlen(off), &env, &rep);
	is_int(env.cluster_firewall.value, 0, "a cluster.fw without enable: off");
	pve_firewall_parse_cluster("c.fw", TXT("[options]\n ENABLE:   1700000000 \n"), &env, &rep);
	is_int(env.cluster_firewall.value, 0, "a timestamp (enable for 60 s) is off by now");
	is_int((long long)m.n, 0, "no problems so far");
	pve_firewall_parse_cluster("c.fw", TXT("[OPTIONS]\nenable: yes\n"), &env, &rep);
	is_int((long long)m.n, 1, "enable: yes is a problem");
	has_str(m.text[0], "enable: 'yes' is not a number; Proxmox ignores this option",
		"and says what PVE does");
	is_int(m.line[0], 2, "at its line");
	is_int(m.col[0], 9, "at the value");
	is_int(env.cluster_firewall.value, 0, "and the firewall stays off");
	vnl_netenv_release(&env);
}

static void test_vm(void)
{
	struct msgs m = { .n = 0 };
	struct pve_report rep = { collect, &m };
	struct vnl_vm *vm = pve_vm("101", "net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1\n"
				   "[PENDING]\nnet1: virtio=BC:24:11:00:00:02,bridge=vmbr1\n");
	const char *fw = "[OPTIONS]\n\nenable: 1\nmacfilter: 0\npolicy_in: DROP\nlayer2_protocols: ARP\n\n"
			 "[IPSET ipfilter-net0]\n10.0.0.1\n\n[RULES]\n\nIN ACCEPT -p vrrp\n";

	ok(!vm->fw_known, "unknown until the firewall files are looked at");
	is_int(pve_firewall_parse_vm("101.fw", fw, strlen(fw), vm, &rep), 0, "no errors");
	ok(vm->fw_known, "known once read");
	ok(vm->fw_enable.value, "enable: 1");
	is_str(vm->fw_enable.raw, "1", "raw text");
	is_int(vm->fw_enable.loc.line, 3, "enable line");
	is_str(vm->fw_enable.loc.origin, "101.fw", "in the .fw file");
	ok(!vm->fw_macfilter.value, "macfilter: 0");
	is_int(vm->fw_macfilter.loc.line, 4, "macfilter line");
	is_int(vm->fw_macfilter.loc.col, 12, "macfilter column");
	ok(vm->pending && vm->pending->fw_known && !vm->pending->fw_macfilter.value,
	   "the pending view sees the same firewall");

	m.n = 0;
	pve_firewall_parse_vm("101.fw", TXT("[OPTIONS]\nenable: 1\n"), vm, &rep);
	ok(vm->fw_macfilter.value && !vm->fw_macfilter.raw, "macfilter unset: on (the default)");

	pve_firewall_parse_vm("101.fw", TXT("enable: 1\n[OPTIONS]\nmacfilter: off\nenable:2\nbogus\n"),
			      vm, &rep);
	is_int((long long)m.n, 4, "four problems");
	has_str(m.text[0], "'enable: 1' is outside any section", "an option before [OPTIONS]");
	has_str(m.text[1], "macfilter: 'off' is not 0 or 1", "macfilter takes 0 or 1");
	has_str(m.text[1], "the MAC filter stays on", "and says the effect");
	is_int(m.line[1], 3, "at its line");
	has_str(m.text[2], "enable: '2' is not 0 or 1", "VM enable takes 0 or 1");
	has_str(m.text[3], "cannot parse option 'bogus'", "a line that is no option");
	ok(!vm->fw_enable.value && vm->fw_macfilter.value, "bad values leave the defaults");

	pve_firewall_vm_defaults(vm);
	ok(vm->fw_known && !vm->fw_enable.value && vm->fw_macfilter.value && !vm->fw_enable.raw,
	   "no .fw file: firewall off, MAC filter on");
	vm_set_fw(vm, "[OPTIONS]\nmacfilter: 0\n");
	ok(!vm->fw_macfilter.value, "vm_set_fw helper");
	vnl_vm_free(vm);
}

/* <root>/firewall/<vmid>.fw next to <root>/nodes/<node>/qemu-server/. */
static void test_tree(void)
{
	const char *src = getenv("SRCDIR");
	struct msgs m = { .n = 0 };
	struct pve_report rep = { collect, &m };
	char path[512];
	struct vnl_vm *vm;

	if (!src) {
		diag("SRCDIR not set: tree tests skipped");
		return;
	}
	vm = pve_vm("101", "name: fw-a\n");
	snprintf(path, sizeof(path), "%s/tests/fixtures/pve-net/nodes/pve1/qemu-server/101.conf",
		 src);
	pve_tree_vm_firewall(path, vm, NULL, &rep);
	ok(vm->fw_known && vm->fw_enable.value && !vm->fw_macfilter.value,
	   "firewall/101.fw: enable 1, macfilter 0");
	has_str(vm->fw_macfilter.loc.origin, "pve-net/firewall/101.fw", "the place is the .fw file");
	vnl_vm_free(vm);

	vm = pve_vm("102", "name: web1\n");
	snprintf(path, sizeof(path), "%s/tests/fixtures/pve-net/nodes/pve1/qemu-server/102.conf",
		 src);
	pve_tree_vm_firewall(path, vm, NULL, &rep);
	ok(vm->fw_known && !vm->fw_enable.value && vm->fw_macfilter.value,
	   "no 102.fw in an existing firewall directory: the defaults");
	vnl_vm_free(vm);

	vm = pve_vm("100", "name: other\n");
	snprintf(path, sizeof(path), "%s/tests/fixtures/pve/clean/100.conf", src);
	pve_tree_vm_firewall(path, vm, NULL, &rep);
	ok(!vm->fw_known, "outside a pmxcfs tree the firewall stays unknown");
	vnl_vm_free(vm);
	is_int((long long)m.n, 0, "no problems");
}

int main(void)
{
	test_cluster();
	test_vm();
	test_tree();
	return done_testing();
}
