/* VNL033 value-range: values Proxmox, libvirt or QEMU reject or cannot
 * honour. The Proxmox file parser already drops what PVE refuses (VNL000),
 * so this mostly speaks for libvirt and API inputs. Facts: proxmox.md 2.1
 * (queues 0..64, tag 1..4094, unicast MAC), libvirt.md 1.5-1.6 and network.md
 * 3 (tap has at most 256 queues; vtnet frames up to 9216 bytes). */
#include "config.h"

#include <stdarg.h>

#include "rule.h"

static bool mac_is_multicast(const char *mac)
{
	int d = mac && mac[0] && mac[1] ? hex_digit_value(mac[1]) : -1;
	return d >= 0 && (d & 1);
}

static bool is_pve(const struct vnl_vm *vm)
{
	return vm->kind == VNL_SRC_PVE_FILE || vm->kind == VNL_SRC_PVE_API;
}

VNL_PRINTF(6, 7)
static void out_of_range(struct vnl_check *chk, enum vnl_severity sev, const struct vnl_nic *nic,
			 struct vnl_loc loc, const char *value, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct vnl_finding *f;
	va_list ap;

	if (vnl_vm_problem_at(chk->vm, nic->key, loc.line))
		return; /* the source said it already (VNL000) */
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	f = vnl_report(chk, sev, nic, loc, "%s %s: %s", vnl_vm_label(chk->vm), vnl_nic_label(chk->vm, nic),
		       strbuf_str(&sb));
	f->value = xstrdup(value);
	strbuf_release(&sb);
}

static void check_nic(struct vnl_check *chk, const struct vnl_nic *nic)
{
	long long max_queues = is_pve(chk->vm) ? 64 : 256;

	if (mac_is_multicast(nic->mac.raw))
		out_of_range(chk, VNL_SEV_ERROR, nic, nic->mac.loc, nic->mac.raw,
			     "MAC %s has the multicast (I/G) bit set; a NIC needs a unicast "
			     "address", nic->mac.raw);
	if (VNL_SET(nic->vlan_tag) && (nic->vlan_tag.value < 1 || nic->vlan_tag.value > 4094))
		out_of_range(chk, VNL_SEV_ERROR, nic, nic->vlan_tag.loc, nic->vlan_tag.raw,
			     "VLAN tag %s is outside 1..4094 (0 and 4095 are reserved)",
			     nic->vlan_tag.raw);
	if (VNL_SET(nic->queues) && nic->queues.value > max_queues)
		out_of_range(chk, VNL_SEV_ERROR, nic, nic->queues.loc, nic->queues.raw,
			     "queues=%s is above %lld, the most %s", nic->queues.raw, max_queues,
			     is_pve(chk->vm) ? "Proxmox accepts" : "a tap device supports");
	if (VNL_SET(nic->mtu) && (nic->mtu.value > 65520 || (nic->mtu.value > 1 && nic->mtu.value < 68)))
		out_of_range(chk, VNL_SEV_ERROR, nic, nic->mtu.loc, nic->mtu.raw,
			     "mtu %s is outside what a NIC can carry (68..65520)", nic->mtu.raw);
	else if (VNL_SET(nic->mtu) && nic->mtu.value > 9216 && nic->family == VNL_NIC_VIRTIO &&
		 vnl_vm_has_role(chk->vm, VNL_ROLE_FIREWALL))
		out_of_range(chk, VNL_SEV_WARNING, nic, nic->mtu.loc, nic->mtu.raw,
			     "mtu %s is above 9216, the largest frame FreeBSD's vtnet supports",
			     nic->mtu.raw);
}

static void check_value_range(struct vnl_check *chk)
{
	size_t i;
	for (i = 0; i < chk->vm->nnics; i++)
		check_nic(chk, &chk->vm->nics[i]);
}

const struct vnl_rule rule_value_range = {
	.id = "VNL033",
	.name = "value-range",
	.severity = VNL_SEV_ERROR,
	.summary = "NIC values the hypervisor rejects: multicast MAC, VLAN 0/4095, too many queues",
	.doc =
	"What it does\n"
	"  Flags NIC values outside what Proxmox, libvirt or QEMU accept or can\n"
	"  honour: a MAC with the multicast bit, a VLAN tag outside 1..4094,\n"
	"  queues above 64 (Proxmox) or 256 (a tap device), an MTU outside\n"
	"  68..65520, and an MTU above 9216 on a FreeBSD firewall's virtio NIC.\n"
	"\n"
	"Why it matters\n"
	"  These values make the VM fail to define or start, or are cut down\n"
	"  silently. Proxmox config files with such values are already reported\n"
	"  as VNL000 (Proxmox drops the line); this rule covers libvirt XML and\n"
	"  API inputs. (research/proxmox.md 2.1; research/libvirt.md 1.5-1.6;\n"
	"  research/network.md 3; vtnet(4).)\n"
	"\n"
	"How to fix\n"
	"  Correct the value by hand; there is no safe automatic choice.\n",
	.check = check_value_range,
	.fix = NULL,
};
