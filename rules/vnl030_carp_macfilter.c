/* VNL030 carp-macfilter: CARP answers with a virtual MAC the host drops.
 * Facts: research/proxmox.md 7.3: CARP/VRRP use 00:00:5e:00:01:<vhid>; the
 * Proxmox MAC filter drops frames from other source MACs when the datacenter
 * firewall, the VM firewall and the NIC's firewall=1 are all on and
 * macfilter is not 0 (default 1); `bridge-disable-mac-learning` never
 * learns the virtual MAC; EVPN ARP/ND suppression breaks floating IPs. */
#include "config.h"

#include "netenv.h"
#include "rule.h"

static bool is_pve(const struct vnl_vm *vm)
{
	return vm->kind == VNL_SRC_PVE_FILE || vm->kind == VNL_SRC_PVE_API;
}

/* -1 unknown, 0 no filtering, 1 the filter drops CARP's MAC */
static int mac_filter_active(struct vnl_check *chk, const struct vnl_nic *nic)
{
	const struct vnl_vm *vm = chk->vm;
	int cluster = chk->env->net ? chk->env->net->cluster_firewall.value : -1;

	if (!nic->firewall.raw || !nic->firewall.value)
		return 0;
	if (cluster == 0 || (vm->fw_known && !vm->fw_enable.value) ||
	    (vm->fw_known && vm->fw_macfilter.raw && !vm->fw_macfilter.value))
		return 0;
	/* unknown because it could not be read: "not checked", once */
	if ((cluster < 0 && vnl_not_checked(chk, VNL_CTX_CLUSTER_FIREWALL,
					    NULL)) ||
	    (!vm->fw_known && vnl_not_checked(chk, VNL_CTX_VM_FIREWALL,
					      vm->node)))
		return 0;
	if (cluster < 0 || !vm->fw_known)
		return -1;
	return 1;
}

static void check_firewall(struct vnl_check *chk, const struct vnl_nic *nic)
{
	struct vnl_vm *vm = chk->vm;
	int active = mac_filter_active(chk, nic);
	struct vnl_finding *f;

	if (active == 0)
		return;
	if (active > 0)
		f = vnl_report(chk, VNL_SEV_ERROR, nic, nic->firewall.loc,
			       "%s %s: firewall=1 with the VM and datacenter firewalls on and "
			       "macfilter on: frames from CARP's virtual MAC 00:00:5e:00:01:xx are "
			       "dropped", vnl_vm_label(vm), vnl_nic_label(vm, nic));
	else
		f = vnl_report(chk, VNL_SEV_INFO, nic, nic->firewall.loc,
			       "%s %s: firewall=1 on a CARP VM, but the %s firewall state is not in "
			       "the inputs; if both firewalls are on and macfilter is not 0, CARP's "
			       "virtual MAC is dropped", vnl_vm_label(vm), vnl_nic_label(vm, nic),
			       vm->fw_known ? "datacenter" : "VM");
	f->value = xstrdup("firewall=1");
	vnl_finding_cite_role(chk, f, VNL_ROLE_PFSYNC);
}

static void check_bridge(struct vnl_check *chk, const struct vnl_nic *nic)
{
	const struct vnl_bridge *br = vnl_netenv_find(chk->env->net, nic->bridge.raw, chk->vm->node);
	struct vnl_finding *f = NULL;

	if (!br) {
		vnl_not_checked_bridge(chk, nic);
		return;
	}
	if (br->mac_learning_off)
		f = vnl_report(chk, VNL_SEV_ERROR, nic, nic->bridge.loc,
			       "%s %s: bridge %s has MAC learning disabled; it only forwards to "
			       "configured MACs, so CARP's virtual MAC is unreachable",
			       vnl_vm_label(chk->vm), vnl_nic_label(chk->vm, nic), br->name);
	else if (br->overlay == VNL_OVERLAY_VXLAN && br->arp_nd_suppression && br->zone)
		f = vnl_report(chk, VNL_SEV_WARNING, nic, nic->bridge.loc,
			       "%s %s: vnet %s (zone %s) suppresses ARP/ND; a CARP address that "
			       "moves between VMs needs disable-arp-nd-suppression",
			       vnl_vm_label(chk->vm), vnl_nic_label(chk->vm, nic), br->name, br->zone);
	if (!f)
		return;
	f->value = xasprintf("bridge=%s", br->name);
	vnl_finding_cite_role(chk, f, VNL_ROLE_PFSYNC);
}

static void check_carp_macfilter(struct vnl_check *chk)
{
	size_t i;

	if (!vnl_vm_has_role(chk->vm, VNL_ROLE_PFSYNC) || !is_pve(chk->vm))
		return;
	for (i = 0; i < chk->vm->nnics; i++) {
		check_firewall(chk, &chk->vm->nics[i]);
		check_bridge(chk, &chk->vm->nics[i]);
	}
}

const struct vnl_rule rule_carp_macfilter = {
	.id = "VNL030",
	.name = "carp-macfilter",
	.severity = VNL_SEV_ERROR,
	.summary = "a CARP VM's NIC where the host drops CARP's virtual MAC",
	.doc =
	"What it does\n"
	"  On Proxmox VMs with CARP/pfsync evidence, flags NICs where traffic from\n"
	"  CARP's virtual MAC (00:00:5e:00:01:<vhid>) will be dropped:\n"
	"  - firewall=1 while the datacenter firewall (cluster.fw enable: 1) and\n"
	"    the VM firewall (<vmid>.fw enable: 1) are on and macfilter is not 0;\n"
	"  - a bridge with bridge-disable-mac-learning;\n"
	"  - an EVPN vnet that suppresses ARP/ND (a warning).\n"
	"  When the firewall files are not in the inputs it says the state is\n"
	"  unknown (info) instead of guessing; when they could not be read (an\n"
	"  API token without Sys.Audit, an unreadable file) it notes once\n"
	"  \"not checked: firewall options unavailable (...)\" instead.\n"
	"\n"
	"Why it matters\n"
	"  The CARP master answers for the shared address with the virtual MAC.\n"
	"  The Proxmox MAC filter only lets the NIC's configured MAC out, so the\n"
	"  master's replies vanish and failover looks broken although CARP itself\n"
	"  is fine. A bridge without MAC learning only knows configured MACs.\n"
	"  (research/proxmox.md 7.3.)\n"
	"\n"
	"How to fix\n"
	"  Set `macfilter: 0` in the VM's firewall options ([OPTIONS] of\n"
	"  /etc/pve/firewall/<vmid>.fw, or Firewall > Options in the GUI), or\n"
	"  firewall=0 on that NIC; turn MAC learning back on for that bridge;\n"
	"  for EVPN set disable-arp-nd-suppression on the zone. No automatic edit:\n"
	"  these are firewall decisions, not NIC settings.\n",
	.check = check_carp_macfilter,
	.fix = NULL,
};
