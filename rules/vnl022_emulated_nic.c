/* VNL022 emulated-nic: an emulated NIC model on a firewall or router.
 * Facts: research/proxmox.md 3 (GUI default for ostype `other` is e1000, so
 * FreeBSD-based firewalls often end up emulated); cv4pve-diag flags non-virtio
 * NICs too (network.md 5). */
#include "config.h"

#include "rule.h"

static void check_emulated_nic(struct vnl_check *chk)
{
	struct vnl_vm *vm = chk->vm;
	enum vnl_role role = vnl_vm_has_role(vm, VNL_ROLE_FIREWALL) ? VNL_ROLE_FIREWALL
										: VNL_ROLE_ROUTER;
	size_t i;

	if (!vnl_vm_has_role(vm, role))
		return;
	for (i = 0; i < vm->nnics; i++) {
		const struct vnl_nic *nic = &vm->nics[i];
		struct vnl_finding *f;

		if (nic->family != VNL_NIC_EMULATED)
			continue;
		f = vnl_report(chk, VNL_SEV_WARNING, nic, nic->model.loc.line ? nic->model.loc : nic->loc,
			       "%s %s: emulated %s NIC on a %s; every packet costs a VM exit, "
			       "virtio is several times faster", vnl_vm_label(vm), vnl_nic_label(vm, nic),
			       nic->model.raw, vnl_role_name(role));
		f->value = xasprintf("model=%s", nic->model.raw);
		vnl_finding_cite_role(chk, f, role);
	}
}

const struct vnl_rule rule_emulated_nic = {
	.id = "VNL022",
	.name = "emulated-nic",
	.severity = VNL_SEV_WARNING,
	.summary = "an emulated NIC model (e1000, rtl8139, ...) on a firewall or router VM",
	.doc =
	"What it does\n"
	"  Flags e1000, e1000e, rtl8139, vmxnet3, pcnet, ne2k and i8255x NICs on\n"
	"  VMs with firewall or router evidence.\n"
	"\n"
	"Why it matters\n"
	"  An emulated NIC makes QEMU imitate real hardware register by register;\n"
	"  a VM that forwards every packet twice pays for it in CPU and latency.\n"
	"  Proxmox picks e1000 by default for ostype `other`, which is what\n"
	"  FreeBSD-based firewalls usually get. (research/proxmox.md 3.)\n"
	"\n"
	"How to fix\n"
	"  Switch the NIC to virtio - but plan it: the guest sees a new device\n"
	"  (em0 becomes vtnet0 on FreeBSD, ens18 may change on Linux), and the\n"
	"  firewall's interface assignments and rules that name em0 break until\n"
	"  they are reassigned. That is why vmnetlint proposes no automatic edit.\n"
	"  On pf firewalls, turn hardware offloads off after the switch (VNL002).\n",
	.check = check_emulated_nic,
	.fix = NULL,
};
