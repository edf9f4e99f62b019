/* VNL030 carp-macfilter. */
#include "config.h"

#include <string.h>

#include "helpers.h"
#include "rule.h"
#include "tap.h"

static const char *carp =
	"name: fw-a\ntags: opnsense;carp\n"
	"net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1\n"
	"net1: virtio=BC:24:11:00:00:02,bridge=vmbr1\n";

static size_t run(const char *cluster_fw, const char *vm_fw, bool fw_dir, const char *ifaces,
		  struct vnl_finding_list *l)
{
	struct vnl_netenv *net = netenv_from_text("pve1", ifaces, NULL, NULL);
	struct vnl_vm *vm = pve_vm("101", carp);

	if (cluster_fw)
		netenv_cluster_fw(net, cluster_fw);
	if (fw_dir)
		vm_set_fw(vm, vm_fw);
	run_rule_env("VNL030", vm, net, NULL, l);
	vnl_vm_free(vm);
	netenv_free(net);
	return l->n;
}

/* What the scan is told: (rule, gap) per call. */
struct heard {
	size_t calls;
	size_t gap;
	const struct vnl_rule *rule;
};

static void heard_not_checked(const struct vnl_rule *rule, size_t gap, void *data)
{
	struct heard *h = data;
	h->calls++;
	h->gap = gap;
	h->rule = rule;
}

/* The firewall state could not be read (a 403): no guess, "not checked". */
static void test_gaps(void)
{
	struct vnl_finding_list l = { 0 };
	struct vnl_netenv *net = netenv_from_text("pve1", NULL, NULL, NULL);
	struct vnl_vm *vm = pve_vm("101", carp);
	struct heard h = { 0 };
	struct vnl_rule_env env = { net, NULL, NULL, &h, heard_not_checked };
	size_t g;

	ok(vnl_netenv_gap(net, VNL_CTX_CLUSTER_FIREWALL, NULL) < 0, "no gap before one is added");
	g = vnl_netenv_add_gap(net, VNL_CTX_CLUSTER_FIREWALL, NULL, "pve://h/cluster/firewall/options",
			       "403 on /cluster/firewall/options");
	is_int((long long)vnl_netenv_add_gap(net, VNL_CTX_CLUSTER_FIREWALL, NULL, "x", "y"),
	       (long long)g, "the same gap twice is one gap");
	is_int(vnl_netenv_gap(net, VNL_CTX_CLUSTER_FIREWALL, "pve1"), (long long)g,
	       "a cluster-wide gap covers every node");
	ok(vnl_netenv_gap(net, VNL_CTX_VM_FIREWALL, "pve1") < 0, "other contexts are not affected");
	vnl_rule_run(vnl_rule_find("VNL030"), vm, &env, &l);
	is_int((long long)l.n, 0, "datacenter firewall unreadable: no finding (no guess)");
	is_int((long long)h.calls, 1, "the scan hears 'not checked' once");
	ok(h.rule && !strcmp(h.rule->id, "VNL030") && h.gap == g, "for VNL030 and that gap");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);

	/* the datacenter firewall is on, the VM's options of node pve1 unreadable */
	netenv_free(net);
	net = netenv_from_text("pve1", NULL, NULL, NULL);
	netenv_cluster_fw(net, "[OPTIONS]\nenable: 1\n");
	g = vnl_netenv_add_gap(net, VNL_CTX_VM_FIREWALL, "pve2", "o", "403 on pve2");
	env.net = net;
	vm = pve_vm("101", carp);
	vm->node = "pve1";
	memset(&h, 0, sizeof(h));
	vnl_rule_run(vnl_rule_find("VNL030"), vm, &env, &l);
	is_int((long long)count_findings(&l, "net0", VNL_SEV_INFO), 1,
	       "a gap on another node: the usual 'state unknown' info");
	is_int((long long)h.calls, 0, "and no 'not checked'");
	vnl_finding_list_clear(&l);
	vnl_netenv_add_gap(net, VNL_CTX_VM_FIREWALL, "pve1", "o", "403 on pve1");
	vnl_rule_run(vnl_rule_find("VNL030"), vm, &env, &l);
	is_int((long long)l.n, 0, "a gap on the VM's node: no finding");
	is_int((long long)h.calls, 1, "but 'not checked'");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);
	netenv_free(net);
}

int main(void)
{
	struct vnl_finding_list l = { 0 };
	const char *on = "[OPTIONS]\nenable: 1\n";

	is_int((long long)run(on, on, true, NULL, &l), 1, "fires: both firewalls on, macfilter default");
	is_int((long long)count_findings(&l, "net0", VNL_SEV_ERROR), 1, "an error on the firewall=1 NIC");
	vnl_finding_list_clear(&l);
	is_int((long long)run(on, "[OPTIONS]\nenable: 1\nmacfilter: 0\n", true, NULL, &l), 0,
	       "does not fire with macfilter: 0");
	vnl_finding_list_clear(&l);
	is_int((long long)run("[OPTIONS]\nenable: 0\n", on, true, NULL, &l), 0,
	       "does not fire with the datacenter firewall off");
	vnl_finding_list_clear(&l);
	is_int((long long)run(on, NULL, true, NULL, &l), 0,
	       "does not fire when the VM has no .fw file (VM firewall off by default)");
	vnl_finding_list_clear(&l);
	is_int((long long)run(NULL, NULL, false, NULL, &l), 1, "unknown state: one finding");
	is_int((long long)count_findings(&l, "net0", VNL_SEV_INFO), 1, "... at info severity");
	vnl_finding_list_clear(&l);
	is_int((long long)run("[OPTIONS]\nenable: 0\n", NULL, true,
			      "auto vmbr1\niface vmbr1 inet manual\n\tbridge-ports eno2\n"
			      "\tbridge-disable-mac-learning 1\n", &l), 1,
	       "fires on a bridge without MAC learning");
	is_int((long long)count_findings(&l, "net1", VNL_SEV_ERROR), 1, "on the NIC of that bridge");
	vnl_finding_list_clear(&l);
	test_gaps();
	return done_testing();
}
