/* VNL010 mtu-overlay: a NIC MTU that leaves no room for an encapsulation.
 * Facts: research/network.md 0 and 1.5 (overheads: VXLAN/Geneve 50/70,
 * WireGuard 60/80, GRE 24/44, IPsec ESP ~57/77, QinQ 4; stacked overheads add;
 * use the IPv6 figure when the family is unknown; WireGuard defaults to 1420,
 * NetBird and Tailscale pin 1280); research/proxmox.md 5.5 and 7.4 (SDN
 * VXLAN vnets default to 1450; Proxmox only checks NIC <= bridge, never
 * bridge <= physical - overhead). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "config_file.h"
#include "nic_mtu.h"
#include "rule.h"

static enum vnl_ip_family family_of(const char *name)
{
	if (!name)
		return VNL_FAMILY_UNKNOWN;
	return strcmp(name, "ipv4") ? VNL_FAMILY_IPV6 : VNL_FAMILY_IPV4;
}

static const char *family_text(enum vnl_ip_family f)
{
	return f == VNL_FAMILY_IPV4 ? "IPv4" : f == VNL_FAMILY_IPV6 ? "IPv6" : "IPv6 (family unknown)";
}

/* (a) the hypervisor's own overlay: the bridge is a VXLAN/QinQ/... vnet */
static void check_bridge_overlay(struct vnl_check *chk, const struct vnl_nic *nic,
				 const struct vnl_mtu_view *v)
{
	const struct vnl_config *cfg = vnl_rule_config(chk);
	const struct vnl_bridge *br = v->bridge;
	enum vnl_ip_family fam;
	int underlay, overhead;
	struct vnl_finding *f;

	if (!br || br->overlay == VNL_OVERLAY_NONE || br->overlay == VNL_OVERLAY_VLAN)
		return;
	fam = br->underlay_family ? br->underlay_family : family_of(cfg->underlay_family);
	overhead = vnl_overlay_overhead(br->overlay, fam);
	underlay = br->underlay_mtu ? br->underlay_mtu : cfg->underlay_mtu.value;
	if (v->mtu + overhead <= underlay)
		return;
	f = vnl_report(chk, VNL_SEV_ERROR, nic, VNL_SET(nic->mtu) ? nic->mtu.loc : nic->loc,
		       "%s %s: MTU %d (%s) + %d bytes of %s over %s = %d, above the underlay MTU "
		       "%d%s; large packets are dropped or fragmented",
		       vnl_vm_label(chk->vm), vnl_nic_label(chk->vm, nic), v->mtu, v->why, overhead,
		       vnl_overlay_name(br->overlay), family_text(fam), v->mtu + overhead, underlay,
		       br->underlay_mtu ? "" : cfg->underlay_mtu.loc.origin ? " (vmnetlint.conf)"
									     : " (assumed)");
	f->value = xasprintf("mtu=%d", v->mtu);
}

/* The inner MTU a guest tunnel uses when nobody said: the implementation's. */
static int default_inner_mtu(enum vnl_overlay o)
{
	switch (o) {
	case VNL_OVERLAY_WIREGUARD: return 1420;
	case VNL_OVERLAY_NETBIRD:
	case VNL_OVERLAY_TAILSCALE: return 1280;
	default: return 0;
	}
}

static bool inner_mtu_fixed(enum vnl_overlay o)
{
	return o == VNL_OVERLAY_NETBIRD || o == VNL_OVERLAY_TAILSCALE;
}

struct guest_tunnel {
	enum vnl_overlay kind;
	enum vnl_ip_family family;
	int inner;
	bool declared; /* the inner MTU comes from vmnetlint.conf */
	int overhead;
};

static bool guest_tunnel(struct vnl_check *chk, struct guest_tunnel *t)
{
	const struct vnl_vm *vm = chk->vm;

	if (!vm->overlay)
		return false;
	t->kind = vnl_overlay_from_name(vm->overlay);
	if (t->kind == VNL_OVERLAY__COUNT || t->kind == VNL_OVERLAY_NONE)
		return false;
	t->family = family_of(vm->overlay_family ? vm->overlay_family
						 : vnl_rule_config(chk)->underlay_family);
	t->declared = VNL_SET(vm->overlay_inner_mtu);
	t->inner = t->declared ? (int)vm->overlay_inner_mtu.value : default_inner_mtu(t->kind);
	t->overhead = vnl_overlay_overhead(t->kind, t->family);
	return t->inner > 0;
}

static void report_tunnel(struct vnl_check *chk, const struct vnl_nic *nic,
			  const struct vnl_mtu_view *v, const struct guest_tunnel *t)
{
	struct vnl_finding *f;
	struct vnl_loc loc = t->declared ? chk->vm->overlay_inner_mtu.loc : nic->loc;

	f = vnl_report(chk, t->declared ? VNL_SEV_ERROR : VNL_SEV_WARNING, nic, loc,
		       "%s %s: %s inner MTU %d%s + %d bytes over %s = %d, above the NIC's MTU %d "
		       "(%s); tunnelled packets above %d bytes are lost", vnl_vm_label(chk->vm),
		       nic->key, vnl_overlay_name(t->kind), t->inner,
		       t->declared ? "" : " (its default)", t->overhead, family_text(t->family),
		       t->inner + t->overhead, v->mtu, v->why, v->mtu - t->overhead);
	f->value = xasprintf("inner-mtu=%d", t->inner);
	vnl_finding_cite_role(chk, f, VNL_ROLE_OVERLAY);
}

static void report_slack(struct vnl_check *chk, const struct vnl_nic *nic,
			 const struct vnl_mtu_view *v, const struct guest_tunnel *t)
{
	struct vnl_finding *f;
	int fits = v->mtu - t->overhead;

	f = vnl_report(chk, VNL_SEV_INFO, nic, chk->vm->overlay_inner_mtu.loc,
		       "%s %s: %s inner MTU %d is %d bytes below the %d that fits the NIC's MTU %d; "
		       "every tunnelled packet carries less than it could", vnl_vm_label(chk->vm),
		       nic->key, vnl_overlay_name(t->kind), t->inner, fits - t->inner, fits, v->mtu);
	f->value = xasprintf("inner-mtu=%d", t->inner);
}

/* (b) a tunnel the guest terminates: on the NIC it runs over, or, when the
 * config does not name one, reported when no NIC of the VM has room. */
static void check_guest_tunnel(struct vnl_check *chk)
{
	struct vnl_vm *vm = chk->vm;
	const struct vnl_config *cfg = vnl_rule_config(chk);
	struct guest_tunnel t;
	struct vnl_mtu_view v;
	size_t i;

	if (!guest_tunnel(chk, &t) || !vm->nnics)
		return;
	for (i = 0; i < vm->nnics; i++) {
		const struct vnl_nic *nic = &vm->nics[i];
		if (vm->overlay_nic && strcmp(vm->overlay_nic, nic->key))
			continue;
		vnl_nic_mtu(vm, nic, chk->env->net, &v);
		if (t.inner + t.overhead <= v.mtu) {
			if (t.declared && !inner_mtu_fixed(t.kind) &&
			    v.mtu - t.overhead - t.inner >= cfg->inner_mtu_slack.value &&
			    (vm->overlay_nic || vm->nnics == 1))
				report_slack(chk, nic, &v, &t);
			return; /* the tunnel fits over this NIC */
		}
		if (vm->overlay_nic) {
			report_tunnel(chk, nic, &v, &t);
			return;
		}
	}
	if (!vm->overlay_nic) {
		vnl_nic_mtu(vm, &vm->nics[0], chk->env->net, &v);
		report_tunnel(chk, &vm->nics[0], &v, &t);
	}
}

static void check_mtu_overlay(struct vnl_check *chk)
{
	struct vnl_vm *vm = chk->vm;
	size_t i;

	for (i = 0; i < vm->nnics; i++) {
		struct vnl_mtu_view v;
		vnl_nic_mtu(vm, &vm->nics[i], chk->env->net, &v);
		if (!v.bridge && vnl_not_checked_bridge(chk, &vm->nics[i]))
			continue; /* its node network or SDN could not be read */
		check_bridge_overlay(chk, &vm->nics[i], &v);
	}
	check_guest_tunnel(chk);
}

/* Only the hypervisor-overlay case has a safe edit: lower a virtio NIC's MTU
 * to what fits. A guest tunnel's MTU lives inside the guest. */
static void fix_mtu_overlay(struct vnl_check *chk, const struct vnl_nic *nic,
			    struct vnl_finding *f)
{
	const struct vnl_config *cfg = vnl_rule_config(chk);
	struct vnl_mtu_view v;
	enum vnl_ip_family fam;
	char value[16];
	int fit;

	if (!f->value || strncmp(f->value, "mtu=", 4) || nic->family != VNL_NIC_VIRTIO)
		return;
	vnl_nic_mtu(chk->vm, nic, chk->env->net, &v);
	if (!v.bridge)
		return;
	fam = v.bridge->underlay_family ? v.bridge->underlay_family
					: family_of(cfg->underlay_family);
	fit = (v.bridge->underlay_mtu ? v.bridge->underlay_mtu : cfg->underlay_mtu.value) -
	      vnl_overlay_overhead(v.bridge->overlay, fam);
	if (fit < 576)
		return;
	snprintf(value, sizeof(value), "%d", fit);
	vnl_finding_add_edit(f, nic->key, VNL_EDIT_SET, VNL_PROP_MTU, 0, value);
}

const struct vnl_rule rule_mtu_overlay = {
	.id = "VNL010",
	.name = "mtu-overlay",
	.severity = VNL_SEV_ERROR,
	.summary = "a NIC MTU that leaves no room for VXLAN/Geneve/WireGuard/GRE/IPsec headers",
	.doc =
	"What it does\n"
	"  (a) A NIC on a hypervisor overlay (a Proxmox SDN VXLAN/EVPN/QinQ vnet, a\n"
	"  VXLAN bridge in /etc/network/interfaces, a [bridge] with `overlay =` in\n"
	"  vmnetlint.conf): its MTU plus the encapsulation must fit the underlay.\n"
	"  (b) A tunnel the guest terminates (WireGuard, NetBird, Tailscale, VXLAN,\n"
	"  Geneve, GRE, IPsec: from `overlay =` in a [vm] section or a role word):\n"
	"  its inner MTU plus the overhead must fit the NIC's MTU. An info finding\n"
	"  when a declared inner MTU is far (>= [overlay] slack, 80) below what fits.\n"
	"\n"
	"Why it matters\n"
	"  A packet that does not fit is dropped or fragmented, silently: small\n"
	"  packets (ping, SSH, DNS) work, large ones (TLS handshakes with big\n"
	"  certificates, file transfers) hang. Overheads: VXLAN and Geneve 50 bytes\n"
	"  over IPv4, 70 over IPv6; WireGuard 60/80; GRE 24/44; IPsec ESP about\n"
	"  57/77; QinQ 4. vmnetlint uses the IPv6 figure when the underlay family is\n"
	"  unknown (set it with underlay-family = ipv4). WireGuard defaults to an\n"
	"  inner MTU of 1420, NetBird and Tailscale to 1280. Proxmox checks that a\n"
	"  NIC fits its bridge, never that the bridge fits the physical network.\n"
	"  (research/network.md 0, 1.2, 1.5; research/proxmox.md 5.5, 7.4.)\n"
	"\n"
	"Example\n"
	"  zones.cfg: vxlan zone with mtu 1500 on a 1500 underlay; a VM on its vnet\n"
	"  inherits 1500: 1500 + 50 = 1550 > 1500.\n"
	"\n"
	"How to fix\n"
	"  (a) Lower the NIC MTU to underlay - overhead (the proposed edit for\n"
	"  virtio NICs), or the zone/vnet MTU, or raise the underlay MTU.\n"
	"  (b) Lower the tunnel's MTU inside the guest (wg-quick `MTU =`), or give\n"
	"  the NIC a larger MTU. Declare the tunnel in vmnetlint.conf:\n"
	"    [vm \"wg-*\"]\n"
	"    overlay = wireguard\n"
	"    inner-mtu = 1420\n"
	"    overlay-nic = net0\n",
	.check = check_mtu_overlay,
	.fix = fix_mtu_overlay,
};
