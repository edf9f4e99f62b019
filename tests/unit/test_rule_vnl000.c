/* VNL000 config-parse: must fire on what PVE drops, must not on clean configs. */
#include "config.h"

#include "helpers.h"
#include "tap.h"

int main(void)
{
	struct vnl_finding_list l = { 0 };
	struct vnl_vm *vm;

	vm = pve_vm("130", "name: m\nnet1: virtio=BC:24:11:00:00:02,bridge=vmbr2,queue=2\n"
			   "bogus: 1\n");
	run_rule("VNL000", vm, &l);
	is_int((long long)l.n, 2, "fires once per bad line");
	is_int(count_findings(&l, "net1", VNL_SEV_ERROR), 1, "the dropped NIC is an error on net1");
	has_str(l.n ? l.items[0]->message : NULL, "VM 130 (m) net1: invalid key 'queue'",
		"the message names VM, NIC and reason");
	is_int(l.n ? l.items[0]->line : 0, 2, "line of the NIC");
	is_int(l.n ? l.items[0]->col : 0, 45, "column of the bad key");
	is_int(count_findings(&l, NULL, VNL_SEV_WARNING), 1, "the unknown key is a warning");
	ok(l.n > 1 && l.items[1]->nedits == 0, "no edit is proposed for a broken line");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);

	vm = pve_vm("131", "name: ok\nnet0: virtio=BC:24:11:00:00:02,bridge=vmbr2,queues=2\n"
			   "cores: 2\n#notes with a colon%3A fine\n");
	run_rule("VNL000", vm, &l);
	is_int((long long)l.n, 0, "does not fire on a clean config");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);
	return done_testing();
}
