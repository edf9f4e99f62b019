/* VNL020 queues-exceed-vcpus. */
#include "config.h"

#include <stdlib.h>

#include "helpers.h"
#include "tap.h"
#include "test_libvirt_helpers.h"

int main(void)
{
	struct vnl_finding_list l = { 0 };
	struct vnl_vm *vm = pve_vm("100", "cores: 2\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=8\n"
					  "net1: virtio=BC:24:11:00:00:02,bridge=vmbr0,queues=2\n");
	char *xml;

	run_rule("VNL020", vm, &l);
	is_int((long long)count_findings(&l, "net0", VNL_SEV_WARNING), 1, "fires: queues 8 on 2 vCPUs");
	is_int((long long)count_findings(&l, "net1", -1), 0, "does not fire: queues = vCPUs");
	is_str(finding_on(&l, "net0") ? finding_on(&l, "net0")->edits[0].value : NULL, "2",
	       "edit: queues = vCPUs");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);

	vm = pve_vm("101", "net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n");
	run_rule("VNL020", vm, &l);
	ok(has_edit(&l, "net0", VNL_EDIT_REMOVE, VNL_PROP_QUEUES), "one vCPU: edit removes queues");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);

	vm = pve_vm("102", "name: opnsense\ncores: 1\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n");
	run_rule("VNL020", vm, &l);
	is_int((long long)l.n, 0, "does not fire on a pf firewall (VNL001 decides)");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);

	xml = lv_domain("web", "<vcpu current='2'>8</vcpu>",
			"<interface type='bridge'><mac address='52:54:00:00:00:01'/><source bridge='br0'/>"
			"<model type='virtio'/><driver queues='4'/></interface>");
	vm = lv_vm(xml);
	run_rule("VNL020", vm, &l);
	is_int((long long)l.n, 1, "fires on libvirt: queues 4 above <vcpu current='2'>");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);
	free(xml);
	return done_testing();
}
