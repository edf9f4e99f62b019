/* VNL020 queues-exceed-vcpus. Facts: research/network.md 3 and 6 (d):
 * guests use at most min(queues, vCPUs) queue pairs (Linux clamps at probe,
 * FreeBSD vtnet to the CPU count); every extra queue still costs two MSI-X
 * vectors and a vhost thread on the host (proxmox.md 7.2). */
#include "config.h"

#include <stdio.h>

#include "rule.h"

/* Where VNL001 applies it wins: its edit removes queues altogether. */
static bool pfsync_rule_applies(const struct vnl_vm *vm)
{
	return vnl_vm_has_role(vm, VNL_ROLE_FIREWALL);
}

static void check_queues_exceed_vcpus(struct vnl_check *chk)
{
	struct vnl_vm *vm = chk->vm;
	size_t i;

	if (!VNL_SET(vm->vcpus) || vm->vcpus.value < 1 || pfsync_rule_applies(vm))
		return;
	for (i = 0; i < vm->nnics; i++) {
		const struct vnl_nic *nic = &vm->nics[i];
		struct vnl_finding *f;

		if (nic->family != VNL_NIC_VIRTIO || vnl_nic_queue_count(nic) <= vm->vcpus.value)
			continue;
		f = vnl_report(chk, VNL_SEV_WARNING, nic, nic->queues.loc,
			       "%s %s: queues=%lld but the VM has %lld vCPU%s (%s); the guest uses "
			       "at most %lld queue pair%s, the rest only cost host vectors and threads",
			       vnl_vm_label(vm), vnl_nic_label(vm, nic), nic->queues.value, vm->vcpus.value,
			       vm->vcpus.value == 1 ? "" : "s", vm->vcpus_from, vm->vcpus.value,
			       vm->vcpus.value == 1 ? "" : "s");
		f->value = xasprintf("queues=%lld", nic->queues.value);
	}
}

static void fix_queues_exceed_vcpus(struct vnl_check *chk, const struct vnl_nic *nic,
				    struct vnl_finding *f)
{
	char value[24];

	if (chk->vm->vcpus.value <= 1) {
		vnl_finding_add_edit(f, nic->key, VNL_EDIT_REMOVE, VNL_PROP_QUEUES, 0, NULL);
		return;
	}
	snprintf(value, sizeof(value), "%lld", chk->vm->vcpus.value);
	vnl_finding_add_edit(f, nic->key, VNL_EDIT_SET, VNL_PROP_QUEUES, 0, value);
}

const struct vnl_rule rule_queues_exceed_vcpus = {
	.id = "VNL020",
	.name = "queues-exceed-vcpus",
	.severity = VNL_SEV_WARNING,
	.summary = "virtio queues above the VM's vCPU count",
	.doc =
	"What it does\n"
	"  Flags a virtio NIC with more queues than the VM has vCPUs (Proxmox:\n"
	"  vcpus, else sockets x cores; libvirt: <vcpu current>, else <vcpu>).\n"
	"  It stays quiet on pf firewalls, where VNL001 decides.\n"
	"\n"
	"Why it matters\n"
	"  A guest never uses more queue pairs than it has CPUs: Linux sets\n"
	"  min(max_queue_pairs, online CPUs) at probe, FreeBSD vtnet clamps to the\n"
	"  CPU count. Each queue still costs the host two MSI-X vectors and a vhost\n"
	"  thread. Proxmox, OpenStack nova and KubeVirt all set queues = vCPUs.\n"
	"  (research/network.md 3; research/proxmox.md 7.2.)\n"
	"\n"
	"Example\n"
	"  cores: 2\n"
	"  net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=8\n"
	"\n"
	"How to fix\n"
	"  Set queues to the vCPU count (the proposed edit); with one vCPU remove\n"
	"  queues. Takes effect after a cold restart.\n",
	.check = check_queues_exceed_vcpus,
	.fix = fix_queues_exceed_vcpus,
};
