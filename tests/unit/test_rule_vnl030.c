/* VNL030 carp-macfilter. */
#include "config.h"

#include "helpers.h"
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
	return done_testing();
}
