/* VNL005 ring-size: virtio rx/tx ring sizes QEMU refuses or ignores.
 * Facts: research/libvirt.md 1.3 (qemuValidateDomainDeviceDefNetwork,
 * QEMU virtio-net.c) and research/network.md 3 (QEMU commit 4271f40). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"

#define RING_MIN 256
#define RING_MAX 1024
#define TX_PLAIN_MAX 256 /* VIRTIO_NET_TX_QUEUE_DEFAULT_SIZE */

static bool ring_valid(long long v)
{
	return v >= RING_MIN && v <= RING_MAX && (v & (v - 1)) == 0;
}

/* QEMU honours tx_queue_size above 256 only for vhost-user and vDPA peers
 * (virtio_net_max_tx_queue_size, libvirt.md 1.3). */
static bool tx_honoured(const struct vnl_nic *nic)
{
	const char *type = nic->type.raw ? nic->type.raw : "";
	return !strcmp(type, "vhostuser") || !strcmp(type, "vdpa");
}

/* The power of two in [RING_MIN, max] nearest to v; a tie goes down. */
static long long nearest_ring(long long v, long long max)
{
	long long best = RING_MIN, p;
	for (p = RING_MIN; p <= max; p *= 2)
		if (llabs(v - p) < llabs(v - best))
			best = p;
	return best;
}

static void report_invalid(struct vnl_check *chk, const struct vnl_nic *nic,
			   const struct vnl_int *size, const char *what)
{
	struct vnl_finding *f;

	f = vnl_report(chk, VNL_SEV_ERROR, nic, size->loc,
		       "%s %s: %s='%s' is not a power of two from 256 to 1024; the VM does not "
		       "start (libvirt: \"%s has to be a power of two\", QEMU: \"Invalid %s\")",
		       vnl_vm_label(chk->vm), vnl_nic_label(chk->vm, nic), what, size->raw, what,
		       what);
	f->value = xasprintf("%s=%s", what, size->raw);
}

static void check_ring_size(struct vnl_check *chk)
{
	struct vnl_vm *vm = chk->vm;
	size_t i;

	for (i = 0; i < vm->nnics; i++) {
		const struct vnl_nic *nic = &vm->nics[i];
		const struct vnl_int *tx = &nic->tx_queue_size;
		struct vnl_finding *f;

		/* QEMU checks these for virtio models only */
		if (nic->family != VNL_NIC_VIRTIO)
			continue;
		if (VNL_SET(nic->rx_queue_size) && !ring_valid(nic->rx_queue_size.value))
			report_invalid(chk, nic, &nic->rx_queue_size, "rx_queue_size");
		if (!VNL_SET(*tx))
			continue;
		if (!ring_valid(tx->value)) {
			report_invalid(chk, nic, tx, "tx_queue_size");
		} else if (tx->value > TX_PLAIN_MAX && !tx_honoured(nic)) {
			f = vnl_report(chk, VNL_SEV_WARNING, nic, tx->loc,
				       "%s %s: tx_queue_size='%s' is ignored; QEMU uses at most 256 "
				       "unless the NIC is vhost-user or vDPA", vnl_vm_label(vm),
				       vnl_nic_label(vm, nic), tx->raw);
			f->value = xasprintf("tx_queue_size=%s", tx->raw);
		}
	}
}

static void fix_ring_size(struct vnl_check *chk, const struct vnl_nic *nic,
			  struct vnl_finding *f)
{
	bool rx = f->value && !strncmp(f->value, "rx_", 3);
	const struct vnl_int *size = rx ? &nic->rx_queue_size : &nic->tx_queue_size;
	long long max = rx || tx_honoured(nic) ? RING_MAX : TX_PLAIN_MAX;
	char value[24];

	(void)chk;
	snprintf(value, sizeof(value), "%lld", nearest_ring(size->value, max));
	vnl_finding_add_edit(f, nic->key, VNL_EDIT_SET,
			     rx ? VNL_PROP_RX_QUEUE_SIZE : VNL_PROP_TX_QUEUE_SIZE, 0, value);
}

const struct vnl_rule rule_ring_size = {
	.id = "VNL005",
	.name = "ring-size",
	.severity = VNL_SEV_ERROR,
	.summary = "virtio rx/tx_queue_size QEMU refuses (not a power of two in 256..1024) or ignores",
	.doc =
	"What it does\n"
	"  On libvirt virtio NICs, checks <driver rx_queue_size tx_queue_size>:\n"
	"  - not a power of two from 256 to 1024: error (the VM does not start);\n"
	"  - tx_queue_size 512 or 1024 on anything but a vhost-user or vDPA NIC:\n"
	"    warning (QEMU ignores it and uses 256).\n"
	"  Proxmox sets these itself (rx 1024, tx 256 from machine 7.1), so the\n"
	"  rule never applies there.\n"
	"\n"
	"Why it matters\n"
	"  libvirt's generic parser accepts any positive number (the test driver\n"
	"  took rx_queue_size='300' and tx_queue_size='2048'), so `virsh define`\n"
	"  succeeds and the mistake shows up only at the next start: the QEMU\n"
	"  driver refuses a size that is not a power of two (\"rx_queue_size has\n"
	"  to be a power of two\") and QEMU refuses one outside 256..1024 (\"Invalid\n"
	"  rx_queue_size (= N), must be a power of 2 between 256 and 1024\"). QEMU\n"
	"  caps tx_queue_size at 256 unless the peer is vhost-user or vhost-vdpa\n"
	"  (QEMU commit 4271f40), so a larger value silently buys nothing.\n"
	"  (research/libvirt.md 1.3; research/network.md 3.)\n"
	"\n"
	"Example\n"
	"  <driver name='vhost' rx_queue_size='300' tx_queue_size='1024'/>\n"
	"\n"
	"How to fix\n"
	"  Use the nearest valid size (vmnetlint's edit): rx_queue_size 256, 512\n"
	"  or 1024; tx_queue_size 256 unless the NIC is vhost-user or vDPA. The\n"
	"  change needs a cold restart of the guest.\n",
	.check = check_ring_size,
	.fix = fix_ring_size,
};
