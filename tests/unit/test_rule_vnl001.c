/* VNL001 pfsync-multiqueue: fires on pf firewalls with virtio queues > 1
 * (error with pfsync/CARP evidence, warning without), never elsewhere. */
#include "config.h"

#include "helpers.h"
#include "tap.h"

static const char *fw_pair =
	"name: fw-a\n"
	"tags: opnsense;carp\n"
	"net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n"
	"net1: virtio=BC:24:11:00:00:02,bridge=vmbr1\n"
	"net2: virtio=BC:24:11:00:00:03,bridge=vmbr2,queues=1\n"
	"net3: virtio=BC:24:11:00:00:04,bridge=vmbr3,queues=8\n";

static void must_fire(void)
{
	struct vnl_finding_list l = { 0 };
	struct vnl_vm *vm = pve_vm("101", fw_pair);
	const struct vnl_finding *f;

	run_rule("VNL001", vm, &l);
	is_int((long long)l.n, 2, "fires on each NIC with queues > 1");
	is_int(count_findings(&l, "net0", VNL_SEV_ERROR), 1, "net0 is an error (pfsync evidence)");
	is_int(count_findings(&l, "net3", VNL_SEV_ERROR), 1, "net3 is an error");
	is_int(count_findings(&l, "net2", -1), 0, "queues=1 is no finding");
	f = finding_on(&l, "net0");
	has_str(f ? f->evidence : NULL, "tag 'opnsense'", "cites the firewall evidence");
	has_str(f ? f->evidence : NULL, "tag 'carp'", "cites the pfsync evidence");
	is_int(f ? f->col : 0, 45, "points at queues=");
	ok(has_edit(&l, "net0", VNL_EDIT_REMOVE, VNL_PROP_QUEUES), "edit: remove queues from net0");
	ok(has_edit(&l, "net3", VNL_EDIT_REMOVE, VNL_PROP_QUEUES), "edit: remove queues from net3");
	ok(has_edit(&l, "net2", VNL_EDIT_REMOVE, VNL_PROP_QUEUES),
	   "edit: remove queues=1 from net2 too (every virtio NIC of the VM)");
	ok(!has_edit(&l, "net1", VNL_EDIT_REMOVE, VNL_PROP_QUEUES), "no edit where nothing is set");
	is_int(f ? (long long)f->nedits : 0, 2, "net0's finding carries net0 and net2");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);

	vm = pve_vm("105", "name: pfsense-lab\nostype: other\n"
			   "net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=2\n");
	run_rule("VNL001", vm, &l);
	is_int(count_findings(&l, "net0", VNL_SEV_WARNING), 1,
	       "a pf firewall without pfsync evidence gets a warning");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);
}

static void must_not_fire(void)
{
	static const struct {
		const char *why;
		const char *config;
	} cases[] = {
		{ "a Linux router with multiqueue",
		  "name: vyos-edge\nostype: l26\ntags: router;firewall\n"
		  "net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n" },
		{ "an ordinary VM with multiqueue",
		  "name: web01\nostype: l26\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=8\n" },
		{ "a pf firewall without queues",
		  "name: opnsense-a\ntags: carp\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n" },
		{ "a pf firewall with queues=1",
		  "name: opnsense-a\ntags: carp\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=1\n" },
		{ "queues on an e1000 NIC (ignored by PVE)",
		  "name: opnsense-a\ntags: carp\nnet0: e1000=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n" },
		{ "CARP evidence without a firewall",
		  "name: app\nostype: l26\ntags: carp\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vnl_finding_list l = { 0 };
		struct vnl_vm *vm = pve_vm("200", cases[i].config);
		run_rule("VNL001", vm, &l);
		is_int((long long)l.n, 0, "does not fire: %s", cases[i].why);
		vnl_finding_list_clear(&l);
		vnl_vm_free(vm);
	}
}

int main(void)
{
	must_fire();
	must_not_fire();
	return done_testing();
}
