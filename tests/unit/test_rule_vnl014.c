/* VNL014 mtu-ignored. */
#include "config.h"

#include "helpers.h"
#include "tap.h"

int main(void)
{
	struct vnl_finding_list l = { 0 };
	struct vnl_vm *vm = pve_vm("100", "net0: e1000=BC:24:11:00:00:01,bridge=vmbr0,mtu=9000,queues=4\n"
					  "net1: virtio=BC:24:11:00:00:02,bridge=vmbr0,mtu=9000,queues=4\n"
					  "net2: rtl8139=BC:24:11:00:00:03,bridge=vmbr0,mtu=1,queues=1\n");

	run_rule("VNL014", vm, &l);
	is_int((long long)count_findings(&l, "net0", VNL_SEV_WARNING), 2, "fires for mtu and queues on e1000");
	is_int((long long)count_findings(&l, "net1", -1), 0, "does not fire on virtio");
	is_int((long long)count_findings(&l, "net2", -1), 0, "does not fire on mtu=1 and queues=1");
	ok(has_edit(&l, "net0", VNL_EDIT_REMOVE, VNL_PROP_MTU), "edit: remove mtu");
	ok(has_edit(&l, "net0", VNL_EDIT_REMOVE, VNL_PROP_QUEUES), "edit: remove queues");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);
	return done_testing();
}
