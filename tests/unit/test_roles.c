/* Role evidence: what makes a VM a pf firewall, a pfsync member, a router. */
#include "config.h"

#include <string.h>

#include "helpers.h"
#include "tap.h"

static bool evidence_has(const struct vnl_vm *vm, enum vnl_role role, const char *text)
{
	size_t i;
	for (i = 0; i < vm->roles[role].n; i++)
		if (!strcmp(vm->roles[role].items[i], text))
			return true;
	return false;
}

int main(void)
{
	struct vnl_vm *vm;

	vm = pve_vm("1", "name: edge-fw\ntags: opnsense;carp\n");
	ok(evidence_has(vm, VNL_ROLE_FIREWALL, "tag 'opnsense'"), "tag opnsense -> firewall");
	ok(evidence_has(vm, VNL_ROLE_PFSYNC, "tag 'carp'"), "tag carp -> pfsync");
	vnl_vm_free(vm);

	vm = pve_vm("1", "name: pfsense-backup\n#pfsync peer of pfsense-master\n");
	ok(evidence_has(vm, VNL_ROLE_FIREWALL, "name word 'pfsense'"), "name word pfsense");
	ok(evidence_has(vm, VNL_ROLE_PFSYNC, "description word 'pfsync'"), "description word");
	vnl_vm_free(vm);

	vm = pve_vm("1", "name: carpool-app\ntags: carpet\n");
	ok(!vnl_vm_has_role(vm, VNL_ROLE_PFSYNC), "carpool and carpet are not CARP");
	vnl_vm_free(vm);

	vm = pve_vm("1", "name: fw01\nostype: l26\ntags: firewall;router\n");
	ok(!vnl_vm_has_role(vm, VNL_ROLE_FIREWALL), "a Linux VM tagged firewall is not pf");
	ok(vnl_vm_has_role(vm, VNL_ROLE_LINUX), "ostype l26 is Linux evidence");
	ok(vnl_vm_has_role(vm, VNL_ROLE_ROUTER), "tag router -> router");
	vnl_vm_free(vm);

	vm = pve_vm("1", "name: opnsense\nostype: l26\n");
	ok(vnl_vm_has_role(vm, VNL_ROLE_FIREWALL), "explicit OPNsense evidence beats ostype l26");
	vnl_vm_free(vm);

	vm = pve_vm("1", "name: gw\nostype: other\ntags: firewall\n");
	ok(evidence_has(vm, VNL_ROLE_FIREWALL, "tag 'firewall'"),
	   "a non-Linux VM tagged firewall is taken as pf");
	vnl_vm_free(vm);

	vm = pve_vm("1", "name: wg1\ntags: wireguard\n");
	ok(vnl_vm_has_role(vm, VNL_ROLE_OVERLAY), "wireguard -> overlay");
	ok(!vnl_vm_has_role(vm, VNL_ROLE_FIREWALL), "wireguard alone is no firewall");
	vnl_vm_free(vm);

	vm = pve_vm("1", "name: db01\nostype: l26\n");
	ok(!vnl_vm_has_role(vm, VNL_ROLE_FIREWALL) && !vnl_vm_has_role(vm, VNL_ROLE_PFSYNC) &&
	   !vnl_vm_has_role(vm, VNL_ROLE_ROUTER), "an ordinary VM has no network role");
	vnl_vm_free(vm);
	return done_testing();
}
