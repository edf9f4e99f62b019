/* VNL004 vhost-disabled: <driver name='qemu'> on a virtio NIC of a KVM
 * domain, on libvirt XML and on test:/// domains; never elsewhere. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tap.h"
#include "test_libvirt_helpers.h"

/* A domain of type dtype with one NIC; VNL004 on it from XML and live. */
static void both(const char *dtype, const char *type, const char *model, const char *driver,
		 size_t want, const char *why)
{
	char *iface = xasprintf("    <interface type='%s'><mac address='52:54:00:00:00:07'/>"
				"%s<model type='%s'/>%s</interface>\n", type,
				!strcmp(type, "vhostuser")
					? "<source type='unix' path='/run/vh.sock' mode='server'/>"
					: "<source bridge='br0'/>", model, driver);
	char *xml = lv_domain("vm1", NULL, iface);
	char *typed = xasprintf("<domain type='%s'>%s", dtype, strchr(xml, '>') + 1);
	struct vnl_vm *vms[2] = { lv_vm(typed), lv_live_one(typed) };
	const char *where[2] = { "xml", "test:///" };
	size_t k;

	for (k = 0; k < 2; k++) {
		struct vnl_finding_list l = { 0 };
		if (!vms[k]) {
			ok(0, "%s (%s): the domain loads", why, where[k]);
			continue;
		}
		run_rule("VNL004", vms[k], &l);
		is_int((long long)l.n, (long long)want, "%s (%s)", why, where[k]);
		if (want && l.n) {
			is_int(l.items[0]->severity, VNL_SEV_WARNING, "%s (%s): a warning", why,
			       where[k]);
			ok(has_edit(&l, "net0", VNL_EDIT_REMOVE, VNL_PROP_DRIVER_NAME),
			   "%s (%s): the edit removes the driver name", why, where[k]);
			has_str(l.items[0]->message, "net0 (52:54:00:00:00:07)",
				"%s (%s): names the NIC with its MAC", why, where[k]);
		}
		vnl_finding_list_clear(&l);
		vnl_vm_free(vms[k]);
	}
	free(typed);
	free(xml);
	free(iface);
}

int main(void)
{
	struct vnl_finding_list l = { 0 };
	struct vnl_vm *vm;

	both("kvm", "bridge", "virtio", "<driver name='qemu'/>", 1, "name='qemu' on KVM");
	both("kvm", "bridge", "virtio-non-transitional", "<driver name='qemu' queues='2'/>",
	     1, "a transitional virtio model too");
	both("kvm", "bridge", "virtio", "<driver name='vhost'/>", 0, "name='vhost'");
	both("kvm", "bridge", "virtio", "<driver queues='4'/>", 0, "no name");
	both("kvm", "bridge", "e1000", "<driver name='qemu'/>", 0, "an emulated NIC");
	both("qemu", "bridge", "virtio", "<driver name='qemu'/>", 0,
	     "a TCG domain never uses vhost");
	both("kvm", "vhostuser", "virtio", "<driver name='qemu'/>", 0,
	     "vhost-user ignores the name");

	vm = lv_vm("<domain><name>notype</name><devices><interface type='bridge'>"
		   "<model type='virtio'/><driver name='qemu'/></interface></devices></domain>");
	run_rule("VNL004", vm, &l);
	is_int((long long)l.n, 1, "a domain without type counts as KVM");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);

	vm = pve_vm("100", "name: web\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n");
	run_rule("VNL004", vm, &l);
	is_int((long long)l.n, 0, "Proxmox has no driver name: never fires");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);
	return done_testing();
}
