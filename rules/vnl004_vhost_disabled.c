/* VNL004 vhost-disabled: a virtio NIC forced onto QEMU's userspace datapath
 * with <driver name='qemu'>. Facts: research/libvirt.md 1.3 (driver name,
 * qemuInterfaceOpenVhostNet). */
#include "config.h"

#include <string.h>

#include "rule.h"

/* vhost is only ever used for <domain type='kvm'> (libvirt.md 1.3): on a
 * TCG domain name='qemu' changes nothing. Unknown type: assume kvm. */
static bool could_use_vhost(const struct vnl_vm *vm)
{
	return !vm->virt_type || !strcmp(vm->virt_type, "kvm");
}

static bool forces_userspace(const struct vnl_nic *nic)
{
	const char *type = nic->type.raw ? nic->type.raw : "";

	/* vhost-user NICs ignore the name (1.3); hostdev has vfio/kvm names */
	return nic->family == VNL_NIC_VIRTIO && nic->driver_name.raw &&
	       !strcmp(nic->driver_name.raw, "qemu") && strcmp(type, "vhostuser") != 0;
}

static void check_vhost_disabled(struct vnl_check *chk)
{
	struct vnl_vm *vm = chk->vm;
	size_t i;

	if (!could_use_vhost(vm))
		return;
	for (i = 0; i < vm->nnics; i++) {
		const struct vnl_nic *nic = &vm->nics[i];
		struct vnl_finding *f;

		if (!forces_userspace(nic))
			continue;
		f = vnl_report(chk, VNL_SEV_WARNING, nic, nic->driver_name.loc,
			       "%s %s: <driver name='qemu'> keeps this virtio NIC off vhost-net; "
			       "every packet goes through QEMU's userspace datapath",
			       vnl_vm_label(vm), vnl_nic_label(vm, nic));
		f->value = xstrdup("driver name=qemu");
	}
}

/* Remove the name rather than set vhost: without it libvirt uses vhost
 * when the host has it and falls back silently when not (1.3), so the VM
 * still starts on a host without vhost-net. */
static void fix_vhost_disabled(struct vnl_check *chk, const struct vnl_nic *nic,
			       struct vnl_finding *f)
{
	(void)chk;
	vnl_finding_add_edit(f, nic->key, VNL_EDIT_REMOVE, VNL_PROP_DRIVER_NAME, 0, NULL);
}

const struct vnl_rule rule_vhost_disabled = {
	.id = "VNL004",
	.name = "vhost-disabled",
	.severity = VNL_SEV_WARNING,
	.summary = "virtio NIC with <driver name='qemu'>: the slow userspace datapath",
	.doc =
	"What it does\n"
	"  Flags libvirt virtio NICs with <driver name='qemu'> on KVM domains\n"
	"  (and domains of unknown type). vhost-user NICs, which ignore the name,\n"
	"  and TCG domains (<domain type='qemu'>), which never use vhost, are left\n"
	"  alone. Proxmox has no such setting.\n"
	"\n"
	"Why it matters\n"
	"  name='qemu' selects QEMU's userspace virtio-net backend; name='vhost'\n"
	"  or no name selects the in-kernel vhost-net datapath, with a silent\n"
	"  fallback to userspace when vhost is not available. libvirt opens vhost\n"
	"  file descriptors only for KVM domains without name='qemu'. Multiqueue\n"
	"  still works in userspace, so nothing breaks - it is just slower, which\n"
	"  matters most on firewalls and routers that forward every packet.\n"
	"  (research/libvirt.md 1.3: <driver> attributes; src/qemu/\n"
	"  qemu_interface.c qemuInterfaceOpenVhostNet.)\n"
	"\n"
	"Example\n"
	"  <model type='virtio'/>\n"
	"  <driver name='qemu' queues='4'/>\n"
	"\n"
	"How to fix\n"
	"  Remove name='qemu' (vmnetlint's edit): libvirt then picks vhost when the\n"
	"  host has it and falls back when it has not. name='vhost' works too,\n"
	"  without that fallback. Running guests refuse driver changes: edit the\n"
	"  persistent definition (virsh edit) and cold-restart the VM.\n",
	.check = check_vhost_disabled,
	.fix = fix_vhost_disabled,
};
