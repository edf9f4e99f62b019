/* VNL032 duplicate-mac: one MAC on two NICs of one cluster or host. Facts:
 * research/libvirt.md 1.5 (the MAC is how libvirt finds a NIC); two NICs
 * with one MAC on one L2 segment flap the switch's forwarding table and
 * break ARP/ND for both; cv4pve-diag flags it too (network.md 5). */
#include "config.h"

#include <stdlib.h>
#include <strings.h>

#include "inventory.h"
#include "rule.h"

/* Proxmox VMs share one cluster MAC space; libvirt hosts are separate, but
 * a scan of several hosts' XML cannot tell them apart: one space per
 * family, which is what a cluster-wide scan means. */
static int family(const struct vnl_inv_vm *vm)
{
	return vm->kind == VNL_SRC_PVE_FILE || vm->kind == VNL_SRC_PVE_API;
}

static const struct vnl_inventory *sort_inv;

static int cmp_mac(const void *a, const void *b)
{
	const struct vnl_inv_nic *x = *(const struct vnl_inv_nic *const *)a;
	const struct vnl_inv_nic *y = *(const struct vnl_inv_nic *const *)b;
	int fx = family(vnl_inv_vm_of(sort_inv, x)), fy = family(vnl_inv_vm_of(sort_inv, y));
	int c = strcasecmp(x->mac, y->mac);

	if (c)
		return c;
	if (fx != fy)
		return fx - fy;
	return x < y ? -1 : x > y; /* scan order: the first one seen keeps its MAC */
}

static void report_group(struct vnl_scan_check *sc, const struct vnl_inv_nic **g, size_t n)
{
	const struct vnl_inv_vm *first = vnl_inv_vm_of(sc->inv, g[0]);
	size_t i;

	for (i = 1; i < n; i++) {
		const struct vnl_inv_vm *vm = vnl_inv_vm_of(sc->inv, g[i]);
		struct vnl_finding *f = vnl_report_inv(sc, VNL_SEV_ERROR, g[i],
			"%s %s: MAC %s is also used by %s %s (%s:%u); both NICs lose traffic when "
			"they share a network", vm->label, g[i]->label, g[i]->mac, first->label,
			g[0]->label, first->origin, g[0]->loc.line);
		f->value = xasprintf("mac=%s", g[i]->mac);
	}
}

static void check_duplicate_mac(struct vnl_scan_check *sc)
{
	const struct vnl_inventory *inv = sc->inv;
	const struct vnl_inv_nic **nics = xmalloc((inv->nnics + 1) * sizeof(*nics));
	size_t i, n = 0, start;

	for (i = 0; i < inv->nnics; i++)
		if (inv->nics[i].mac && !vnl_inv_vm_of(inv, &inv->nics[i])->is_template)
			nics[n++] = &inv->nics[i];
	sort_inv = inv;
	qsort(nics, n, sizeof(*nics), cmp_mac);
	for (start = 0; start < n; start = i) {
		for (i = start + 1; i < n && !strcasecmp(nics[i]->mac, nics[start]->mac) &&
				    family(vnl_inv_vm_of(inv, nics[i])) ==
					    family(vnl_inv_vm_of(inv, nics[start]));
		     i++)
			;
		if (i - start > 1)
			report_group(sc, nics + start, i - start);
	}
	free(nics);
}

const struct vnl_rule rule_duplicate_mac = {
	.id = "VNL032",
	.name = "duplicate-mac",
	.severity = VNL_SEV_ERROR,
	.summary = "the same MAC address on two NICs in one cluster or host",
	.doc =
	"What it does\n"
	"  Compares the MAC of every NIC of every VM in the scan (templates left\n"
	"  out: they never run) and reports each NIC whose MAC an earlier one\n"
	"  already has. Proxmox VMs are compared with each other, libvirt domains\n"
	"  with each other.\n"
	"\n"
	"Why it matters\n"
	"  Two NICs with one MAC on one network make switches and bridges move\n"
	"  the address back and forth: both VMs lose packets, ARP and neighbour\n"
	"  discovery break in ways that look random. It happens when a config is\n"
	"  copied by hand or a VM is cloned outside the hypervisor's tools.\n"
	"  libvirt also uses the MAC to find the NIC it should update.\n"
	"  (research/libvirt.md 1.5; research/network.md 5.)\n"
	"\n"
	"How to fix\n"
	"  Give one of the NICs a new MAC (Proxmox: delete the MAC from the net line\n"
	"  in the GUI to get a new random one; libvirt: remove <mac> and redefine).\n"
	"  No automatic edit: the guest may have the old MAC in its config.\n",
	.check = NULL,
	.check_scan = check_duplicate_mac,
	.fix = NULL,
};
