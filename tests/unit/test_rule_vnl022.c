/* VNL022 emulated-nic. */
#include "config.h"

#include "helpers.h"
#include "tap.h"

int main(void)
{
	struct vnl_finding_list l = { 0 };
	struct vnl_vm *vm = pve_vm("101", "name: pfsense\nnet0: e1000=BC:24:11:00:00:01,bridge=vmbr0\n"
					  "net1: virtio=BC:24:11:00:00:02,bridge=vmbr1\n");

	run_rule("VNL022", vm, &l);
	is_int((long long)count_findings(&l, "net0", VNL_SEV_WARNING), 1, "fires on e1000 on a firewall");
	is_int((long long)count_findings(&l, "net1", -1), 0, "does not fire on virtio");
	ok(l.n && l.items[0]->nedits == 0, "no automatic edit (interfaces would be renamed)");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);

	vm = pve_vm("102", "name: win\nostype: win11\nnet0: e1000=BC:24:11:00:00:01,bridge=vmbr0\n");
	run_rule("VNL022", vm, &l);
	is_int((long long)l.n, 0, "does not fire on an ordinary VM");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);
	return done_testing();
}
