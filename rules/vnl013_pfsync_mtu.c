/* VNL013 pfsync-mtu: jumbo frames on the pfsync sync NIC. Facts:
 * research/network.md 2.3: pfsync0 takes the syncdev's MTU; pfsync's
 * m_get2() cannot allocate more than MJUMPAGESIZE (4096), so every send
 * fails, bulk sync fails and CARP stays demoted (opnsense/src#316, clamp
 * proposed at ~4080; opnsense/core#4540 for lagg > 1500). */
#include "config.h"

#include <string.h>

#include "config_file.h"
#include "nic_mtu.h"
#include "rule.h"

static void check_pfsync_mtu(struct vnl_check *chk)
{
	struct vnl_vm *vm = chk->vm;
	int limit = vnl_rule_config(chk)->pfsync_max_mtu.value;
	size_t i;

	if (!vnl_vm_has_role(vm, VNL_ROLE_FIREWALL) || !vnl_vm_has_role(vm, VNL_ROLE_PFSYNC))
		return;
	for (i = 0; i < vm->nnics; i++) {
		const struct vnl_nic *nic = &vm->nics[i];
		bool declared = vm->pfsync_nic && !strcmp(vm->pfsync_nic, nic->key);
		struct vnl_mtu_view v;
		struct vnl_finding *f;

		if (vm->pfsync_nic && !declared)
			continue; /* the sync NIC is known and it is another one */
		vnl_nic_mtu(vm, nic, chk->env->net, &v);
		if (!v.known && vnl_not_checked_bridge(chk, nic))
			continue; /* the bridge's MTU could not be read */
		if (v.mtu <= limit)
			continue;
		f = vnl_report(chk, declared ? VNL_SEV_ERROR : VNL_SEV_WARNING, nic,
			       VNL_SET(nic->mtu) ? nic->mtu.loc : nic->loc,
			       declared ? "%s %s: the pfsync sync NIC has MTU %d (%s); pfsync cannot "
					  "send packets above %d bytes, so state sync and CARP fail"
					: "%s %s: MTU %d (%s) on a pfsync firewall; if this is the pfsync "
					  "sync NIC, pfsync cannot send above %d bytes",
			       vnl_vm_label(vm), vnl_nic_label(vm, nic), v.mtu, v.why, limit);
		f->value = xasprintf("mtu=%d", v.mtu);
		vnl_finding_cite_role(chk, f, VNL_ROLE_PFSYNC);
	}
}

const struct vnl_rule rule_pfsync_mtu = {
	.id = "VNL013",
	.name = "pfsync-mtu",
	.severity = VNL_SEV_ERROR,
	.summary = "the pfsync sync NIC's MTU is above what pfsync can send (~4080)",
	.doc =
	"What it does\n"
	"  On a pf firewall with pfsync/CARP evidence, flags the pfsync sync NIC\n"
	"  when its MTU is above [pfsync] max-mtu (default 4080). Name the sync NIC\n"
	"  with `pfsync-nic = net3` in a [vm] section of vmnetlint.conf to make it\n"
	"  an error on that NIC only; without it every NIC above the limit gets a\n"
	"  warning.\n"
	"\n"
	"Why it matters\n"
	"  pfsync0 copies the MTU of its syncdev. pfsync builds each packet in one\n"
	"  mbuf from m_get2(), which cannot allocate more than 4096 bytes, so with\n"
	"  a jumbo syncdev (e.g. 8930) every pfsync send fails: the bulk update\n"
	"  never completes and CARP stays demoted on the backup.\n"
	"  (research/network.md 2.3: opnsense/src#316, opnsense/core#4540.)\n"
	"\n"
	"Example\n"
	"  net3: virtio=BC:24:11:00:00:04,bridge=vmbr9,mtu=9000   (the sync link)\n"
	"\n"
	"How to fix\n"
	"  Give the sync link an MTU of at most 4080 (on both members), or clamp\n"
	"  pfsync0's MTU inside the guest. No automatic edit: the MTU of a link\n"
	"  has to change on both ends together.\n",
	.check = check_pfsync_mtu,
	.fix = NULL,
};
