/* VNL011 mtu-exceeds-bridge. */
#include "config.h"

#include "helpers.h"
#include "tap.h"

int main(void)
{
	struct vnl_finding_list l = { 0 };
	struct vnl_netenv *net = netenv_from_text("pve1", "auto vmbr0\niface vmbr0 inet manual\n"
						  "\tbridge-ports eno1\n\tmtu 1500\n", NULL, NULL);
	struct vnl_vm *vm = pve_vm("100", "net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,mtu=9000\n"
					  "net1: virtio=BC:24:11:00:00:02,bridge=vmbr0,mtu=500\n"
					  "net2: virtio=BC:24:11:00:00:03,bridge=vmbr0,mtu=1400\n"
					  "net3: virtio=BC:24:11:00:00:04,bridge=vmbr0,mtu=1\n"
					  "net4: virtio=BC:24:11:00:00:05,bridge=vmbr7,mtu=9000\n");

	run_rule_env("VNL011", vm, net, NULL, &l);
	is_int((long long)count_findings(&l, "net0", VNL_SEV_ERROR), 1, "fires: mtu 9000 on a 1500 bridge");
	is_int((long long)count_findings(&l, "net1", VNL_SEV_ERROR), 1, "fires: mtu 500 < 576");
	is_int((long long)count_findings(&l, "net2", -1), 0, "does not fire: mtu below the bridge");
	is_int((long long)count_findings(&l, "net3", -1), 0, "does not fire: mtu=1 inherits");
	is_int((long long)count_findings(&l, "net4", -1), 0, "does not fire: bridge not in the inputs");
	ok(has_edit(&l, "net0", VNL_EDIT_SET, VNL_PROP_MTU), "edit: set mtu to the bridge MTU");
	has_str(finding_on(&l, "net0") ? finding_on(&l, "net0")->edits[0].value : NULL, "1500",
		"to 1500");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);
	netenv_free(net);
	return done_testing();
}
