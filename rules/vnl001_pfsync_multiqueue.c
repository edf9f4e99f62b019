/* VNL001 pfsync-multiqueue: virtio multiqueue on a pf firewall, above all on
 * one in a CARP/pfsync HA pair. Facts: research/network.md 2.4 and 6 (a),
 * research/proxmox.md 7.1. */
#include "config.h"

#include "rule.h"

static bool nic_is_multiqueue(const struct vnl_nic *nic)
{
	return nic->family == VNL_NIC_VIRTIO && vnl_nic_queue_count(nic) > 1;
}

static void check_pfsync_multiqueue(struct vnl_check *chk)
{
	struct vnl_vm *vm = chk->vm;
	bool pfsync = vnl_vm_has_role(vm, VNL_ROLE_PFSYNC);
	size_t i;

	if (!vnl_vm_has_role(vm, VNL_ROLE_FIREWALL))
		return;
	for (i = 0; i < vm->nnics; i++) {
		const struct vnl_nic *nic = &vm->nics[i];
		struct vnl_finding *f;

		if (!nic_is_multiqueue(nic))
			continue;
		f = vnl_report(chk, pfsync ? VNL_SEV_ERROR : VNL_SEV_WARNING, nic, nic->queues.loc,
			       pfsync ? "%s %s: virtio queues=%s on a pf firewall with pfsync/CARP; "
					"inbound TCP flows stall and pf counts state-mismatch"
				      : "%s %s: virtio queues=%s on a pf firewall; multiqueue breaks "
					"pf state tracking once pfsync/CARP is added",
			       vnl_vm_label(vm), vnl_nic_label(vm, nic), nic->queues.raw);
		f->value = xasprintf("queues=%s", nic->queues.raw);
		vnl_finding_cite_role(chk, f, VNL_ROLE_FIREWALL);
		if (pfsync)
			vnl_finding_cite_role(chk, f, VNL_ROLE_PFSYNC);
	}
}

static const struct vnl_nic *first_multiqueue_nic(const struct vnl_vm *vm)
{
	size_t i;
	for (i = 0; i < vm->nnics; i++)
		if (nic_is_multiqueue(&vm->nics[i]))
			return &vm->nics[i];
	return NULL;
}

/* Remove queues from every virtio NIC of the VM: the field fix was to take
 * queues off all NICs, not only the pfsync one (network.md 2.4). Each
 * multiqueue NIC's finding removes its own queues; the first one also
 * carries the removal of a harmless queues=1 elsewhere, so the VM ends up
 * uniform and no edit is proposed twice. */
static void fix_pfsync_multiqueue(struct vnl_check *chk, const struct vnl_nic *nic,
				  struct vnl_finding *f)
{
	const struct vnl_vm *vm = chk->vm;
	size_t i;

	vnl_finding_add_edit(f, nic->key, VNL_EDIT_REMOVE, VNL_PROP_QUEUES, 0, NULL);
	if (first_multiqueue_nic(vm) != nic)
		return;
	for (i = 0; i < vm->nnics; i++) {
		const struct vnl_nic *other = &vm->nics[i];
		if (other != nic && other->family == VNL_NIC_VIRTIO && VNL_SET(other->queues) &&
		    !nic_is_multiqueue(other))
			vnl_finding_add_edit(f, other->key, VNL_EDIT_REMOVE, VNL_PROP_QUEUES, 0,
					     NULL);
	}
}

const struct vnl_rule rule_pfsync_multiqueue = {
	.id = "VNL001",
	.name = "pfsync-multiqueue",
	.severity = VNL_SEV_ERROR,
	.summary = "virtio multiqueue (queues > 1) on a pf firewall, above all with pfsync/CARP",
	.doc =
	"What it does\n"
	"  Flags every virtio NIC with more than one queue on a VM that has pf\n"
	"  firewall evidence (OPNsense, pfSense, FreeBSD pf). With pfsync/CARP\n"
	"  evidence as well (an HA pair) it is an error, otherwise a warning.\n"
	"  It never applies to Linux routers.\n"
	"\n"
	"Why it matters\n"
	"  Field incident: an OPNsense 25.7 (FreeBSD 14.3) CARP/pfsync pair on\n"
	"  Proxmox VE 9.1 with `queues=4` on its virtio NICs. Inbound TCP flows at\n"
	"  multi-Gbit/s died after about 20 seconds; pf counted `state-mismatch`.\n"
	"  Removing `queues=` from every NIC of the firewall VM fixed it, at\n"
	"  4.7 Gbit/s. opnsense/core#8059 reports the same (2-4 % of TCP downloads\n"
	"  fail with HA + pfsync + multiqueue), and opnsense/src#327 shows a pfsync\n"
	"  code path that rolls TCP window state back when the two directions of\n"
	"  one flow are handled on different CPUs - which virtio multiqueue causes,\n"
	"  because vtnet has no RSS and the host picks the queue.\n"
	"  Without pfsync the risk is lower, but the VM is one HA step away from it.\n"
	"  (research/network.md 2.4; research/proxmox.md 7.1.)\n"
	"\n"
	"Example\n"
	"  tags: opnsense;carp\n"
	"  net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n"
	"\n"
	"How to fix\n"
	"  Remove `queues` from every virtio NIC of the VM (not only the pfsync\n"
	"  one): on Proxmox `qm set <vmid> --net0 virtio=<MAC>,bridge=...` without\n"
	"  queues; on libvirt drop `queues` from <driver>. `vmnetlint scan --fix`\n"
	"  proposes exactly that. Inside the guest, `hw.vtnet.mq_disable=1` is the\n"
	"  equivalent loader tunable. The change needs a cold restart of the VM.\n"
	"\n"
	"Evidence used\n"
	"  firewall: tags, name, title or description words opnsense, pfsense,\n"
	"  firewall, pf; libosinfo/agent OS ids. pfsync: words carp, pfsync.\n",
	.check = check_pfsync_multiqueue,
	.fix = fix_pfsync_multiqueue,
};
