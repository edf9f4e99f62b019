/* VNL033 value-range (libvirt: Proxmox files drop such values as VNL000). */
#include "config.h"

#include <stdlib.h>

#include "helpers.h"
#include "tap.h"
#include "test_libvirt_helpers.h"

static size_t run(const char *iface, struct vnl_finding_list *l)
{
	char *xml = lv_domain("v", "", iface);
	struct vnl_vm *vm = lv_vm(xml);
	run_rule("VNL033", vm, l);
	vnl_vm_free(vm);
	free(xml);
	return l->n;
}

int main(void)
{
	struct vnl_finding_list l = { 0 };

	is_int((long long)run("<interface type='bridge'><mac address='52:54:00:00:00:01'/><source bridge='br0'/>"
			      "<model type='virtio'/><vlan><tag id='4095'/></vlan></interface>", &l),
	       1, "fires on VLAN tag 4095");
	vnl_finding_list_clear(&l);
	is_int((long long)run("<interface type='bridge'><mac address='52:54:00:00:00:01'/><source bridge='br0'/>"
			      "<model type='virtio'/><driver queues='300'/></interface>", &l),
	       1, "fires on queues above 256");
	vnl_finding_list_clear(&l);
	is_int((long long)run("<interface type='bridge'><mac address='52:54:00:00:00:01'/><source bridge='br0'/>"
			      "<model type='virtio'/><driver queues='8'/><mtu size='9000'/>"
			      "<vlan><tag id='100'/></vlan></interface>", &l),
	       0, "does not fire on valid values");
	vnl_finding_list_clear(&l);
	return done_testing();
}
