/* VNL021 router-single-queue. Facts: research/network.md 3 and 6 (d):
 * one queue pair puts all of a NIC's packet work on one vCPU; Proxmox
 * recommends multiqueue for routers (qm.adoc) but warns of extra CPU load,
 * so this is advisory. Never on pf firewalls (VNL001's field incident). */
#include "config.h"

#include <stdio.h>

#include "config_file.h"
#include "rule.h"

static bool wants_multiqueue(const struct vnl_vm *vm)
{
	if (vnl_vm_has_role(vm, VNL_ROLE_FIREWALL))
		return false;
	return vnl_vm_has_role(vm, VNL_ROLE_ROUTER) || vnl_vm_has_role(vm, VNL_ROLE_OVERLAY);
}

static long long wanted_queues(struct vnl_check *chk)
{
	long long cap = vnl_rule_config(chk)->max_queues.value;
	long long v = chk->vm->vcpus.value;
	return v < cap ? v : cap;
}

static void check_router_single_queue(struct vnl_check *chk)
{
	struct vnl_vm *vm = chk->vm;
	size_t i;

	if (!wants_multiqueue(vm) || !VNL_SET(vm->vcpus) || vm->vcpus.value < 2)
		return;
	for (i = 0; i < vm->nnics; i++) {
		const struct vnl_nic *nic = &vm->nics[i];
		struct vnl_finding *f;

		if (nic->family != VNL_NIC_VIRTIO || vnl_nic_queue_count(nic) > 1)
			continue;
		f = vnl_report(chk, VNL_SEV_INFO, nic, VNL_SET(nic->queues) ? nic->queues.loc : nic->loc,
			       "%s %s: one virtio queue on a %lld-vCPU router; all of this NIC's "
			       "packet work lands on one vCPU (queues=%lld would spread it)",
			       vnl_vm_label(vm), vnl_nic_label(vm, nic), vm->vcpus.value, wanted_queues(chk));
		f->value = xasprintf("queues=%lld", vnl_nic_queue_count(nic));
		vnl_finding_cite_role(chk, f, vnl_vm_has_role(vm, VNL_ROLE_ROUTER) ?
						      VNL_ROLE_ROUTER : VNL_ROLE_OVERLAY);
	}
}

static void fix_router_single_queue(struct vnl_check *chk, const struct vnl_nic *nic,
				    struct vnl_finding *f)
{
	char value[24];
	snprintf(value, sizeof(value), "%lld", wanted_queues(chk));
	vnl_finding_add_edit(f, nic->key, VNL_EDIT_SET, VNL_PROP_QUEUES, 0, value);
}

const struct vnl_rule rule_router_single_queue = {
	.id = "VNL021",
	.name = "router-single-queue",
	.severity = VNL_SEV_INFO,
	.summary = "a multi-vCPU router or tunnel VM with single-queue virtio NICs (advisory)",
	.doc =
	"What it does\n"
	"  On a VM with router or overlay evidence (router, vyos, wireguard, ...)\n"
	"  and at least two vCPUs, flags virtio NICs with one queue. Never on pf\n"
	"  firewalls: there multiqueue is what breaks pfsync (VNL001).\n"
	"\n"
	"Why it matters\n"
	"  With one queue pair, receive and transmit processing of the NIC runs on\n"
	"  one vCPU however many the VM has. Proxmox documents multiqueue for\n"
	"  routers, reverse proxies and busy servers, and queues = vCPUs is what\n"
	"  OpenStack nova and KubeVirt configure. It also raises host CPU load, so\n"
	"  this is advice, not an error. (research/network.md 3; qm.adoc.)\n"
	"\n"
	"Example\n"
	"  tags: router;wireguard\n"
	"  cores: 4\n"
	"  net0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n"
	"\n"
	"How to fix\n"
	"  Set queues to the vCPU count, capped at [queues] max (default 8): the\n"
	"  proposed edit. Linux guests use the queues at once; older kernels need\n"
	"  `ethtool -L <if> combined N`.\n",
	.check = check_router_single_queue,
	.fix = fix_router_single_queue,
};
