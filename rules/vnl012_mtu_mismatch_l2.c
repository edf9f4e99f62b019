/* VNL012 mtu-mismatch-l2: NICs on one bridge and VLAN that disagree on the
 * MTU. A frame larger than the receiver's MTU is dropped, silently (an L2
 * segment has no PMTU discovery): research/network.md 1.5; the guest's MTU
 * per NIC as in research/proxmox.md 2.4. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inventory.h"
#include "rule.h"

static int cmp_segment(const void *a, const void *b)
{
	const struct vnl_inv_nic *x = *(const struct vnl_inv_nic *const *)a;
	const struct vnl_inv_nic *y = *(const struct vnl_inv_nic *const *)b;
	int c = strcmp(x->bridge, y->bridge);

	if (c)
		return c;
	if (x->vlan != y->vlan)
		return x->vlan < y->vlan ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return x < y ? -1 : x > y;
}

/* The MTU most NICs of the segment use; ties go to the smaller one.
 * Sorted runs, not pairwise counts: one segment may hold every NIC of a
 * 10,000-VM host. */
static int majority_mtu(const struct vnl_inv_nic **g, size_t n)
{
	int *mtu = xmalloc(n * sizeof(*mtu));
	int best = 0;
	size_t best_count = 0, i, run;

	for (i = 0; i < n; i++)
		mtu[i] = g[i]->mtu;
	qsort(mtu, n, sizeof(*mtu), cmp_int);
	for (i = 0; i < n; i += run) {
		for (run = 1; i + run < n && mtu[i + run] == mtu[i]; run++)
			;
		if (run > best_count) { /* ascending: an equal count later is larger */
			best = mtu[i];
			best_count = run;
		}
	}
	free(mtu);
	return best;
}

static void check_segment(struct vnl_scan_check *sc, const struct vnl_inv_nic **g, size_t n)
{
	int common = majority_mtu(g, n);
	size_t i, others = 0;

	for (i = 0; i < n; i++)
		others += g[i]->mtu == common;
	for (i = 0; i < n; i++) {
		const struct vnl_inv_vm *vm = vnl_inv_vm_of(sc->inv, g[i]);
		struct vnl_finding *f;
		char vlan[32] = "";

		if (g[i]->mtu == common)
			continue;
		if (g[i]->vlan >= 0)
			snprintf(vlan, sizeof(vlan), " VLAN %d", g[i]->vlan);
		f = vnl_report_inv(sc, VNL_SEV_WARNING, g[i],
			"%s %s: MTU %d on %s%s, where %zu other NIC%s use%s %d; frames above %d "
			"bytes between them are dropped", vm->label, g[i]->label, g[i]->mtu,
			g[i]->bridge, vlan, others, others == 1 ? "" : "s", others == 1 ? "s" : "",
			common, common < g[i]->mtu ? common : g[i]->mtu);
		f->value = xasprintf("mtu=%d", g[i]->mtu);
	}
}

static void check_mtu_mismatch_l2(struct vnl_scan_check *sc)
{
	const struct vnl_inventory *inv = sc->inv;
	const struct vnl_inv_nic **nics = xmalloc((inv->nnics + 1) * sizeof(*nics));
	size_t i, n = 0, start;

	/* only MTUs the inputs establish: an assumed 1500 proves nothing */
	for (i = 0; i < inv->nnics; i++)
		if (inv->nics[i].bridge && inv->nics[i].mtu_known)
			nics[n++] = &inv->nics[i];
	qsort(nics, n, sizeof(*nics), cmp_segment);
	for (start = 0; start < n; start = i) {
		for (i = start + 1; i < n && !strcmp(nics[i]->bridge, nics[start]->bridge) &&
				    nics[i]->vlan == nics[start]->vlan;
		     i++)
			;
		if (i - start > 1)
			check_segment(sc, nics + start, i - start);
	}
	free(nics);
}

const struct vnl_rule rule_mtu_mismatch_l2 = {
	.id = "VNL012",
	.name = "mtu-mismatch-l2",
	.severity = VNL_SEV_WARNING,
	.summary = "NICs on the same bridge and VLAN with different MTUs across VMs",
	.doc =
	"What it does\n"
	"  Groups every NIC of the scan by bridge and VLAN tag and compares the\n"
	"  MTU each guest will use (explicit mtu, the inherited bridge MTU, or 1500\n"
	"  for models without an MTU hint). NICs that differ from the MTU most of\n"
	"  the segment uses are reported. MTUs that are only assumed (the bridge\n"
	"  is not in the inputs) are left out.\n"
	"\n"
	"Why it matters\n"
	"  Inside one L2 segment there is no path-MTU discovery: a 9000-byte frame\n"
	"  sent to a 1500-byte neighbour is dropped by the receiver, and TCP\n"
	"  sessions hang once they send full-size segments. Mixed MTUs usually\n"
	"  mean a jumbo-frame change reached only some VMs.\n"
	"  (research/network.md 1.5; research/proxmox.md 2.4.)\n"
	"\n"
	"How to fix\n"
	"  Give every NIC of the segment the same MTU (usually: inherit the\n"
	"  bridge's, mtu=1 on Proxmox VE 9). No automatic edit: which side is\n"
	"  right is a network decision.\n",
	.check = NULL,
	.check_scan = check_mtu_mismatch_l2,
	.fix = NULL,
};
