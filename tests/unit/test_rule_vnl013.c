/* VNL013 pfsync-mtu. */
#include "config.h"

#include "config_file.h"
#include "helpers.h"
#include "tap.h"

static const char *fw =
	"name: fw-a\ntags: opnsense;carp\n"
	"net0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n"
	"net3: virtio=BC:24:11:00:00:04,bridge=vmbr9,mtu=9000\n";

int main(void)
{
	struct vnl_finding_list l = { 0 };
	struct vnl_config cfg;
	struct vnl_err err;
	struct vnl_vm *vm = pve_vm("101", fw);

	run_rule("VNL013", vm, &l);
	is_int((long long)count_findings(&l, "net3", VNL_SEV_WARNING), 1,
	       "fires (warning) on a jumbo NIC of a pfsync firewall when the sync NIC is not named");
	is_int((long long)count_findings(&l, "net0", -1), 0, "does not fire at 1500");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);

	vnl_config_init(&cfg);
	vnl_config_parse(&cfg, "t.conf", "[vm \"fw-*\"]\npfsync-nic = net3\n", &err);
	vm = pve_vm("101", fw);
	vnl_config_apply_vm(&cfg, vm);
	run_rule_env("VNL013", vm, NULL, &cfg, &l);
	is_int((long long)count_findings(&l, "net3", VNL_SEV_ERROR), 1, "an error on the declared sync NIC");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);
	vnl_config_release(&cfg);

	vm = pve_vm("102", "name: web\nostype: l26\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0,mtu=9000\n");
	run_rule("VNL013", vm, &l);
	is_int((long long)l.n, 0, "does not fire on a VM without pfsync");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);
	return done_testing();
}
