/* VNL002 firewall-offload: virtio offloads left on for a pf firewall.
 * Facts: research/network.md 2.2 and 6 (b); research/libvirt.md 1.3 and
 * 6.2; research/proxmox.md 2.1 and 7.4 (host-tunnel). */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "rule.h"

/* What a pf firewall wants off on both sides of libvirt's <driver>
 * (libvirt.md 6.2): <guest> is what the host may hand the guest - the
 * partial-checksum packets of FreeBSD bug 165059 on the receive path -
 * and <host> what the guest may hand the host (the checksum and TSO
 * offloads Netgate says to disable on the hypervisor, network.md 2.2).
 * Turning csum off on a side needs its TSO/ECN/UFO off too (VNL003). */
static const enum vnl_offload want_off[] = {
	VNL_OFF_CSUM, VNL_OFF_TSO4, VNL_OFF_TSO6, VNL_OFF_ECN, VNL_OFF_UFO,
};

static bool is_on(const struct vnl_flag *f)
{
	return !VNL_SET(*f) || f->value; /* unset = the QEMU default, on (1.3) */
}

static bool is_libvirt(const struct vnl_vm *vm)
{
	return vm->kind == VNL_SRC_LIBVIRT_XML || vm->kind == VNL_SRC_LIBVIRT_LIVE;
}

/* "OPNsense 25.7", "opnsense-25.1", "OPNsense25.1": a major version of 25
 * or later (releases are YY.1 and YY.7, so 25 means >= 25.1). */
static bool names_new_opnsense(const char *s)
{
	const char *p = s;

	while (p && (p = strcasestr(p, "opnsense")) != NULL) {
		int major = 0, digits = 0;
		p += 8;
		while (*p == ' ' || *p == '-' || *p == '_')
			p++;
		while (isdigit((unsigned char)*p) && digits < 4) {
			major = major * 10 + (*p++ - '0');
			digits++;
		}
		if (digits == 2 && major >= 25)
			return true;
	}
	return false;
}

/* network.md 2.2 and 6 (b): OPNsense 25.1 added a default tunable that
 * disables vtnet checksum offload in the guest, so the risk is lower. */
static bool guest_defaults_off(const struct vnl_vm *vm)
{
	size_t i;

	if ((vm->name && names_new_opnsense(vm->name)) ||
	    (vm->title && names_new_opnsense(vm->title)) ||
	    (vm->description && names_new_opnsense(vm->description)) ||
	    (vm->os_id && names_new_opnsense(vm->os_id)))
		return true;
	for (i = 0; i < vm->ntags; i++)
		if (names_new_opnsense(vm->tags[i]))
			return true;
	return false;
}

/* "csum, tso4, ufo" of the switches still on; the first one set to 'on'
 * explicitly goes to *at. */
static size_t list_on(const struct vnl_flag *flags, struct strbuf *sb,
		      const struct vnl_flag **at)
{
	size_t i, n = 0;

	for (i = 0; i < VNL_ARRAY_LEN(want_off); i++) {
		const struct vnl_flag *f = &flags[want_off[i]];
		if (!is_on(f))
			continue;
		strbuf_addf(sb, "%s%s", n++ ? ", " : "", vnl_offload_name(want_off[i]));
		if (VNL_SET(*f) && !*at)
			*at = f;
	}
	return n;
}

static void check_libvirt_nic(struct vnl_check *chk, const struct vnl_nic *nic,
			      enum vnl_severity sev)
{
	struct strbuf guest = STRBUF_INIT, host = STRBUF_INIT;
	const struct vnl_flag *at = NULL;
	size_t ng = list_on(nic->guest_offload, &guest, &at);
	size_t nh = list_on(nic->host_offload, &host, &at);
	struct vnl_finding *f;

	if (ng + nh) {
		f = vnl_report(chk, sev, nic, at ? at->loc : nic->loc,
			       "%s %s: virtio offloads on for a pf firewall (guest: %s; host: %s); "
			       "FreeBSD vtnet can forward packets whose checksum was never filled "
			       "in (FreeBSD bug 165059)%s", vnl_vm_label(chk->vm),
			       vnl_nic_label(chk->vm, nic), ng ? strbuf_str(&guest) : "off",
			       nh ? strbuf_str(&host) : "off",
			       sev == VNL_SEV_INFO ? "; OPNsense 25.1+ turns checksum offload off "
						     "in the guest by default" : "");
		vnl_finding_cite_role(chk, f, VNL_ROLE_FIREWALL);
	}
	strbuf_release(&guest);
	strbuf_release(&host);
}

/* Proxmox has one offload switch in the config, host-tunnel (proxmox.md
 * 2.1); everything else can only be turned off inside the guest. */
static void check_pve(struct vnl_check *chk, enum vnl_severity sev)
{
	struct vnl_vm *vm = chk->vm;
	const struct vnl_nic *first = NULL;
	bool reported = false;
	size_t i;

	for (i = 0; i < vm->nnics; i++) {
		const struct vnl_nic *nic = &vm->nics[i];
		struct vnl_finding *f;

		if (nic->family != VNL_NIC_VIRTIO)
			continue;
		first = first ? first : nic;
		if (!VNL_SET(nic->host_tunnel) || !nic->host_tunnel.value)
			continue;
		f = vnl_report(chk, sev, nic, nic->host_tunnel.loc,
			       "%s %s: host-tunnel=%s turns on virtio UDP-tunnel GSO offload on a "
			       "pf firewall; keep offloads off on FreeBSD vtnet", vnl_vm_label(vm),
			       nic->key, nic->host_tunnel.raw);
		f->value = xasprintf("host-tunnel=%s", nic->host_tunnel.raw);
		vnl_finding_cite_role(chk, f, VNL_ROLE_FIREWALL);
		reported = true;
	}
	if (!first || reported)
		return;
	vnl_finding_cite_role(chk, vnl_report(chk, VNL_SEV_INFO, NULL, first->loc,
		"%s: Proxmox cannot turn virtio offloads off from the host; turn them off in "
		"the guest: OPNsense Interfaces > Settings (checksum, TSO, LRO boxes checked), "
		"pfSense System > Advanced > Networking, or loader tunable "
		"hw.vtnet.csum_disable=1%s", vnl_vm_label(vm),
		guest_defaults_off(vm) ? " (OPNsense 25.1+ sets it by default)" : ""),
		VNL_ROLE_FIREWALL);
}

static void check_firewall_offload(struct vnl_check *chk)
{
	struct vnl_vm *vm = chk->vm;
	enum vnl_severity sev = guest_defaults_off(vm) ? VNL_SEV_INFO : VNL_SEV_WARNING;
	size_t i;

	if (!vnl_vm_has_role(vm, VNL_ROLE_FIREWALL))
		return;
	if (!is_libvirt(vm)) {
		check_pve(chk, sev);
		return;
	}
	for (i = 0; i < vm->nnics; i++)
		if (vm->nics[i].family == VNL_NIC_VIRTIO)
			check_libvirt_nic(chk, &vm->nics[i], sev);
}

static void add_off_edits(struct vnl_finding *f, const struct vnl_nic *nic,
			  const struct vnl_flag *flags, enum vnl_edit_prop prop)
{
	size_t i;
	for (i = 0; i < VNL_ARRAY_LEN(want_off); i++)
		if (is_on(&flags[want_off[i]]))
			vnl_finding_add_edit(f, nic->key, VNL_EDIT_SET, prop, want_off[i], "off");
}

/* libvirt: add the missing off switches (never on a non-virtio NIC, where
 * libvirt drops them, libvirt.md 1.3). Proxmox: host-tunnel=0 rather than
 * removing the key, because the default is off only from machine version
 * 11.0+pve1 (proxmox.md 7.4). The per-VM note has no edit. */
static void fix_firewall_offload(struct vnl_check *chk, const struct vnl_nic *nic,
				 struct vnl_finding *f)
{
	if (!nic || nic->family != VNL_NIC_VIRTIO)
		return;
	if (!is_libvirt(chk->vm)) {
		if (VNL_SET(nic->host_tunnel) && nic->host_tunnel.value)
			vnl_finding_add_edit(f, nic->key, VNL_EDIT_SET, VNL_PROP_HOST_TUNNEL, 0, "0");
		return;
	}
	add_off_edits(f, nic, nic->guest_offload, VNL_PROP_GUEST_OFFLOAD);
	add_off_edits(f, nic, nic->host_offload, VNL_PROP_HOST_OFFLOAD);
}

const struct vnl_rule rule_firewall_offload = {
	.id = "VNL002",
	.name = "firewall-offload",
	.severity = VNL_SEV_WARNING,
	.summary = "virtio checksum/TSO offloads left on for a pf firewall (OPNsense, pfSense)",
	.doc =
	"What it does\n"
	"  On VMs with pf firewall evidence, looks at every virtio NIC:\n"
	"  - libvirt: each of csum, tso4, tso6, ecn, ufo in <driver><guest/> and\n"
	"    <driver><host/> that is not 'off' (unset means on: QEMU enables the\n"
	"    offloads it supports). One finding per NIC.\n"
	"  - Proxmox: the only offload switch in a qm config is host-tunnel; =1\n"
	"    on a firewall NIC is a finding. Otherwise the VM gets one info\n"
	"    finding saying where to turn offloads off inside the guest.\n"
	"  Warning; info when the VM names OPNsense 25.1 or later.\n"
	"\n"
	"Why it matters\n"
	"  Netgate: with FreeBSD VirtIO drivers \"it is necessary to disable\n"
	"  hardware checksum offload\" to reach systems behind pfSense from the\n"
	"  host; the cause is FreeBSD bug 165059, where vtnet marked partial-\n"
	"  checksum packets from the host as verified, so a forwarded packet could\n"
	"  leave with a checksum nobody filled in. TSO and other offloads may need\n"
	"  disabling on the hypervisor too. OPNsense says to disable all hardware\n"
	"  offloading for VMs and, since 25.1, sets a tunable that turns vtnet\n"
	"  checksum offload off by default - hence info there. pf with TSO has a\n"
	"  history of bad checksums (FreeBSD r289316/r289703). Proxmox 9.1.18\n"
	"  made host-tunnel default off (machine 11.0+pve1) after it broke VXLAN\n"
	"  traffic. (research/network.md 2.2, 6 (b); research/libvirt.md 1.3,\n"
	"  6.2; research/proxmox.md 7.4.) That the libvirt XML below cures the\n"
	"  bug-165059 symptoms is common advice, not a measured fact: it removes\n"
	"  the offload features at negotiation, like the guest tunable.\n"
	"\n"
	"Example\n"
	"  <interface type='bridge'> ... <model type='virtio'/>\n"
	"    <driver name='vhost'/>                 (offloads at QEMU defaults)\n"
	"\n"
	"How to fix\n"
	"  libvirt (needs a cold restart; running guests refuse driver changes):\n"
	"    <driver name='vhost'>\n"
	"      <host csum='off' tso4='off' tso6='off' ecn='off' ufo='off'/>\n"
	"      <guest csum='off' tso4='off' tso6='off' ecn='off' ufo='off'/>\n"
	"    </driver>\n"
	"  Proxmox: set host-tunnel=0 (or drop it on machine 11.0+pve1 and later)\n"
	"  and turn offloads off in the guest: OPNsense Interfaces > Settings\n"
	"  (checksum, TSO, LRO disabled), pfSense System > Advanced > Networking,\n"
	"  or /boot/loader.conf.local hw.vtnet.csum_disable=1 (also disables TSO\n"
	"  and LRO).\n",
	.check = check_firewall_offload,
	.fix = fix_firewall_offload,
};
