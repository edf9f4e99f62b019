/* VNL021 router-single-queue. */
#include "config.h"

#include "helpers.h"
#include "tap.h"

int main(void)
{
	struct vnl_finding_list l = { 0 };
	struct vnl_vm *vm = pve_vm("110", "cores: 16\ntags: router\n"
					  "net0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n"
					  "net1: virtio=BC:24:11:00:00:02,bridge=vmbr0,queues=4\n");

	run_rule("VNL021", vm, &l);
	is_int((long long)count_findings(&l, "net0", VNL_SEV_INFO), 1, "fires (info) on a single-queue router NIC");
	is_int((long long)count_findings(&l, "net1", -1), 0, "does not fire on a multiqueue NIC");
	is_str(finding_on(&l, "net0") ? finding_on(&l, "net0")->edits[0].value : NULL, "8",
	       "edit: queues = vCPUs capped at queues.max (8)");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);

	vm = pve_vm("111", "cores: 4\ntags: router;opnsense\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n");
	run_rule("VNL021", vm, &l);
	is_int((long long)l.n, 0, "does not fire on a pf firewall that routes");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);

	vm = pve_vm("112", "cores: 1\ntags: router\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n");
	run_rule("VNL021", vm, &l);
	is_int((long long)l.n, 0, "does not fire with one vCPU");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);

	vm = pve_vm("113", "cores: 8\nname: web\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n");
	run_rule("VNL021", vm, &l);
	is_int((long long)l.n, 0, "does not fire on an ordinary VM");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);
	return done_testing();
}
