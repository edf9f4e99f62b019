/* VNL031 ha-pair-drift: the two VMs of a CARP/pfsync pair must have the same
 * NICs. pfsync keys states by interface, and CARP fails over to whatever
 * the backup has: a NIC that differs (missing, other model, queues, MTU,
 * bridge or VLAN) behaves differently only after a failover, which is the
 * worst moment to find out (research/network.md 2.3-2.4). */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "inventory.h"
#include "rule.h"

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static const char *or_none(const char *s)
{
	return s ? s : "(none)";
}

VNL_PRINTF(5, 6)
static void drift(struct vnl_scan_check *sc, const struct vnl_inv_nic *nic,
		  const struct vnl_inv_vm *ref, const char *what, const char *fmt, ...)
{
	const struct vnl_inv_vm *vm = vnl_inv_vm_of(sc->inv, nic);
	struct strbuf sb = STRBUF_INIT;
	struct vnl_finding *f;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	f = vnl_report_inv(sc, VNL_SEV_WARNING, nic, "%s %s: %s differs from its HA peer %s "
			   "(pair '%s'): %s", vm->label, nic->label, what, ref->label, vm->pair,
			   strbuf_str(&sb));
	f->value = xasprintf("%s:%s", what, strbuf_str(&sb));
	strbuf_release(&sb);
}

static void compare_nic(struct vnl_scan_check *sc, const struct vnl_inv_nic *a,
			const struct vnl_inv_nic *b, const struct vnl_inv_vm *ref)
{
	if (!same_str(a->model, b->model))
		drift(sc, b, ref, "model", "%s vs %s", or_none(b->model), or_none(a->model));
	if (a->queues != b->queues)
		drift(sc, b, ref, "queues", "%d vs %d", b->queues, a->queues);
	if (a->mtu != b->mtu)
		drift(sc, b, ref, "MTU", "%d vs %d", b->mtu, a->mtu);
	if (!same_str(a->bridge, b->bridge) || a->vlan != b->vlan)
		drift(sc, b, ref, "network", "%s/%d vs %s/%d", or_none(b->bridge), b->vlan,
		      or_none(a->bridge), a->vlan);
}

/* Compare member vm with the pair's first member ref, NIC by NIC key. */
static void compare_vms(struct vnl_scan_check *sc, const struct vnl_inv_vm *ref,
			const struct vnl_inv_vm *vm)
{
	const struct vnl_inventory *inv = sc->inv;
	size_t i, k;

	for (i = 0; i < vm->nnics; i++) {
		const struct vnl_inv_nic *b = &inv->nics[vm->first_nic + i];
		const struct vnl_inv_nic *a = NULL;
		for (k = 0; k < ref->nnics && !a; k++)
			if (!strcmp(inv->nics[ref->first_nic + k].key, b->key))
				a = &inv->nics[ref->first_nic + k];
		if (a)
			compare_nic(sc, a, b, ref);
		else
			drift(sc, b, ref, "NIC set", "%s has no %s", ref->label, b->key);
	}
	for (k = 0; k < ref->nnics; k++) {
		const struct vnl_inv_nic *a = &inv->nics[ref->first_nic + k];
		bool found = false;
		for (i = 0; i < vm->nnics && !found; i++)
			found = !strcmp(inv->nics[vm->first_nic + i].key, a->key);
		if (!found && vm->nnics)
			drift(sc, &inv->nics[vm->first_nic], ref, "NIC set", "%s has %s, this VM has not",
			      ref->label, a->key);
	}
}

/* By pair name, then scan order: the first member is the reference. */
static int cmp_pair_member(const void *a, const void *b)
{
	const struct vnl_inv_vm *x = *(const struct vnl_inv_vm *const *)a;
	const struct vnl_inv_vm *y = *(const struct vnl_inv_vm *const *)b;
	int c = strcmp(x->pair, y->pair);

	if (c)
		return c;
	return x < y ? -1 : x > y;
}

/* Sorted into groups, not pairwise searched: a scan may hold thousands of
 * pairs among 100,000 VMs. */
static void check_ha_pair_drift(struct vnl_scan_check *sc)
{
	const struct vnl_inventory *inv = sc->inv;
	const struct vnl_inv_vm **members = xmalloc((inv->nvms + 1) * sizeof(*members));
	size_t i, k, n = 0;

	for (i = 0; i < inv->nvms; i++)
		if (inv->vms[i].pair)
			members[n++] = &inv->vms[i];
	qsort(members, n, sizeof(*members), cmp_pair_member);
	for (i = 0; i < n; i = k)
		for (k = i + 1; k < n && !strcmp(members[k]->pair, members[i]->pair); k++)
			compare_vms(sc, members[i], members[k]);
	free(members);
}

const struct vnl_rule rule_ha_pair_drift = {
	.id = "VNL031",
	.name = "ha-pair-drift",
	.severity = VNL_SEV_WARNING,
	.summary = "two VMs of one CARP/pfsync pair whose NICs differ",
	.doc =
	"What it does\n"
	"  Compares the VMs of each HA pair NIC by NIC (net0 with net0, ...): the\n"
	"  set of NICs, model, queues, MTU, bridge and VLAN. Pairs come from\n"
	"  vmnetlint.conf ([pair \"edge\"] members = fw-a, fw-b, or pair = in a\n"
	"  [vm] section) or from a shared tag `pair-NAME`.\n"
	"\n"
	"Why it matters\n"
	"  pfsync synchronises states per interface and CARP moves the shared\n"
	"  addresses to the backup. A backup whose NIC has another model, queue\n"
	"  count, MTU or VLAN works until the day it takes over - then flows stall\n"
	"  (multiqueue, VNL001), large packets vanish (MTU), or a network is simply\n"
	"  missing. Drift creeps in when one member is edited in a maintenance\n"
	"  window and the other is not. (research/network.md 2.3-2.4.)\n"
	"\n"
	"How to fix\n"
	"  Make the backup's NIC match the primary's (or the other way round).\n"
	"  No automatic edit: vmnetlint cannot tell which member is right.\n",
	.check = NULL,
	.check_scan = check_ha_pair_drift,
	.fix = NULL,
};
