/* VNL014 mtu-ignored: mtu or queues on a model that cannot use them.
 * Facts: research/proxmox.md 2.4 (queues used only for virtio, mtu ignored
 * with a warning for other models); research/libvirt.md 1.3 (libvirt drops
 * the whole virtio <driver> content of a non-virtio model on define). */
#include "config.h"

#include "rule.h"

#include <string.h>

static void report_ignored(struct vnl_check *chk, const struct vnl_nic *nic, const char *what,
			   const struct vnl_int *v)
{
	struct vnl_finding *f = vnl_report(chk, VNL_SEV_WARNING, nic, v->loc,
		"%s %s: %s=%s is ignored on a %s NIC (only virtio uses it)",
		vnl_vm_label(chk->vm), vnl_nic_label(chk->vm, nic), what, v->raw,
		nic->model.raw ? nic->model.raw : "model-less");
	f->value = xasprintf("%s=%s", what, v->raw);
}

static void check_mtu_ignored(struct vnl_check *chk)
{
	struct vnl_vm *vm = chk->vm;
	size_t i;

	/* libvirt drops these on define; its source reports that (VNL000) */
	if (vm->kind != VNL_SRC_PVE_FILE && vm->kind != VNL_SRC_PVE_API)
		return;
	for (i = 0; i < vm->nnics; i++) {
		const struct vnl_nic *nic = &vm->nics[i];
		if (nic->family == VNL_NIC_VIRTIO)
			continue;
		/* mtu=1 (inherit) and queues 0/1 change nothing anywhere */
		if (VNL_SET(nic->mtu) && nic->mtu.value > 1)
			report_ignored(chk, nic, "mtu", &nic->mtu);
		if (VNL_SET(nic->queues) && nic->queues.value > 1)
			report_ignored(chk, nic, "queues", &nic->queues);
	}
}

/* Removing a setting nothing reads is always safe. The finding's value says
 * which one it is about. */
static void fix_mtu_ignored(struct vnl_check *chk, const struct vnl_nic *nic,
			    struct vnl_finding *f)
{
	(void)chk;
	if (!f->value || !strncmp(f->value, "mtu=", 4) || !f->value[0])
		vnl_finding_add_edit(f, nic->key, VNL_EDIT_REMOVE, VNL_PROP_MTU, 0, NULL);
	else
		vnl_finding_add_edit(f, nic->key, VNL_EDIT_REMOVE, VNL_PROP_QUEUES, 0, NULL);
}

const struct vnl_rule rule_mtu_ignored = {
	.id = "VNL014",
	.name = "mtu-ignored",
	.severity = VNL_SEV_WARNING,
	.summary = "mtu or queues on a non-virtio NIC model, where it is silently ignored",
	.doc =
	"What it does\n"
	"  Flags mtu (other than 1) and queues (above 1) on NICs whose model is\n"
	"  not virtio: e1000, e1000e, rtl8139, vmxnet3, ...\n"
	"\n"
	"Why it matters\n"
	"  Only virtio-net has the multiqueue and host_mtu features. Proxmox drops\n"
	"  queues silently and mtu with a start-time warning; libvirt drops the\n"
	"  whole virtio <driver> content of a non-virtio model when the domain is\n"
	"  defined. The config then promises something the guest never gets: an\n"
	"  e1000 NIC on a 1450-byte VXLAN vnet still runs at 1500.\n"
	"  (research/proxmox.md 2.4 and 7.4; research/libvirt.md 1.3.)\n"
	"\n"
	"Example\n"
	"  net0: e1000=BC:24:11:00:00:01,bridge=vmbr0,mtu=9000\n"
	"\n"
	"How to fix\n"
	"  Remove the setting (the proposed edit), and set the MTU inside the guest;\n"
	"  or switch the NIC to virtio, which renames the guest's interface.\n",
	.check = check_mtu_ignored,
	.fix = fix_mtu_ignored,
};
