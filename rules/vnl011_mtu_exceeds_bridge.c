/* VNL011 mtu-exceeds-bridge: a NIC MTU Proxmox refuses at VM start.
 * Facts: research/proxmox.md 2.4 (mtu < 576: "smaller than the IP minimum
 * MTU"; mtu > bridge MTU: "bigger than the bridge MTU"; both fail the start). */
#include "config.h"

#include "nic_mtu.h"
#include "rule.h"

#include <stdio.h>

static void check_mtu_exceeds_bridge(struct vnl_check *chk)
{
	struct vnl_vm *vm = chk->vm;
	size_t i;

	for (i = 0; i < vm->nnics; i++) {
		const struct vnl_nic *nic = &vm->nics[i];
		struct vnl_mtu_view v;
		struct vnl_finding *f = NULL;

		if (nic->family != VNL_NIC_VIRTIO || !vnl_nic_mtu_explicit(nic))
			continue;
		vnl_nic_mtu(vm, nic, chk->env->net, &v);
		if (nic->mtu.value < 576)
			f = vnl_report(chk, VNL_SEV_ERROR, nic, nic->mtu.loc,
				       "%s %s: mtu=%lld is below the IP minimum of 576; the VM does "
				       "not start", vnl_vm_label(vm), vnl_nic_label(vm, nic), nic->mtu.value);
		else if (!v.bridge && vnl_not_checked_bridge(chk, nic))
			continue; /* the bridge's MTU could not be read */
		else if (v.bridge_mtu && nic->mtu.value > v.bridge_mtu)
			f = vnl_report(chk, VNL_SEV_ERROR, nic, nic->mtu.loc,
				       "%s %s: mtu=%lld is above the MTU %d of bridge %s; the VM "
				       "does not start (Proxmox) or the extra bytes are dropped",
				       vnl_vm_label(vm), vnl_nic_label(vm, nic), nic->mtu.value, v.bridge_mtu,
				       nic->bridge.raw);
		if (f)
			f->value = xasprintf("mtu=%lld", nic->mtu.value);
	}
}

/* Safe edit only when the bridge MTU is known: use it. */
static void fix_mtu_exceeds_bridge(struct vnl_check *chk, const struct vnl_nic *nic,
				   struct vnl_finding *f)
{
	struct vnl_mtu_view v;
	char value[16];

	vnl_nic_mtu(chk->vm, nic, chk->env->net, &v);
	if (!v.bridge_mtu)
		return;
	snprintf(value, sizeof(value), "%d", v.bridge_mtu);
	vnl_finding_add_edit(f, nic->key, VNL_EDIT_SET, VNL_PROP_MTU, 0, value);
}

const struct vnl_rule rule_mtu_exceeds_bridge = {
	.id = "VNL011",
	.name = "mtu-exceeds-bridge",
	.severity = VNL_SEV_ERROR,
	.summary = "NIC mtu above its bridge's MTU, or below 576: the VM does not start",
	.doc =
	"What it does\n"
	"  Flags a virtio NIC whose explicit mtu is larger than the MTU of the\n"
	"  bridge it is plugged into (when the bridge is described by the inputs:\n"
	"  /etc/network/interfaces, SDN zones, libvirt networks or vmnetlint.conf),\n"
	"  or smaller than 576.\n"
	"\n"
	"Why it matters\n"
	"  qemu-server checks both when it builds the QEMU command line: below 576\n"
	"  is 'smaller than the IP minimum MTU', above the bridge is 'bigger than\n"
	"  the bridge MTU', and the VM fails to start. On libvirt the tap device\n"
	"  cannot carry frames the bridge drops. (research/proxmox.md 2.4.)\n"
	"\n"
	"Example\n"
	"  net0: virtio=BC:24:11:00:00:01,bridge=vnet1,mtu=1500   (vnet1: 1450)\n"
	"\n"
	"How to fix\n"
	"  Set mtu to the bridge's MTU (the proposed edit), or on Proxmox VE 9 use\n"
	"  mtu=1 / no mtu to inherit it.\n",
	.check = check_mtu_exceeds_bridge,
	.fix = fix_mtu_exceeds_bridge,
};
