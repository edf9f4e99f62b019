/* VNL003 offload-inconsistent: TSO/ECN/UFO on while the checksum offload
 * they depend on is off. Facts: research/libvirt.md 1.3 (virtio feature
 * dependencies, virtio 1.0 spec; QEMU property mapping). */
#include "config.h"

#include <string.h>

#include "rule.h"

/* virtio: HOST_TSO4/TSO6/ECN/UFO need CSUM, GUEST_TSO4/TSO6/ECN/UFO need
 * GUEST_CSUM (libvirt.md 1.3). */
static const enum vnl_offload dependents[] = {
	VNL_OFF_TSO4, VNL_OFF_TSO6, VNL_OFF_ECN, VNL_OFF_UFO,
};

static bool is_on(const struct vnl_flag *f)
{
	return !VNL_SET(*f) || f->value; /* unset = QEMU's default, on */
}

/* csum explicitly off and at least one dependent still on. */
static bool inconsistent(const struct vnl_flag *flags)
{
	size_t i;

	if (!VNL_SET(flags[VNL_OFF_CSUM]) || flags[VNL_OFF_CSUM].value)
		return false;
	for (i = 0; i < VNL_ARRAY_LEN(dependents); i++)
		if (is_on(&flags[dependents[i]]))
			return true;
	return false;
}

static void report_side(struct vnl_check *chk, const struct vnl_nic *nic,
			const struct vnl_flag *flags, const char *side)
{
	struct strbuf on = STRBUF_INIT;
	struct vnl_finding *f;
	size_t i, n = 0;
	bool unset = false;

	for (i = 0; i < VNL_ARRAY_LEN(dependents); i++) {
		const struct vnl_flag *d = &flags[dependents[i]];
		if (!is_on(d))
			continue;
		strbuf_addf(&on, "%s%s", n++ ? ", " : "", vnl_offload_name(dependents[i]));
		unset = unset || !VNL_SET(*d);
	}
	f = vnl_report(chk, VNL_SEV_WARNING, nic, flags[VNL_OFF_CSUM].loc,
		       "%s %s: <%s csum='off'> but %s %s on%s; virtio makes TSO, ECN and UFO "
		       "depend on checksum offload, so this feature set is invalid",
		       vnl_vm_label(chk->vm), vnl_nic_label(chk->vm, nic), side, strbuf_str(&on),
		       n > 1 ? "are" : "is", unset ? " (unset means on)" : "");
	f->value = xasprintf("%s csum=off", side);
	strbuf_release(&on);
}

static void check_offload_inconsistent(struct vnl_check *chk)
{
	struct vnl_vm *vm = chk->vm;
	size_t i;

	for (i = 0; i < vm->nnics; i++) {
		const struct vnl_nic *nic = &vm->nics[i];
		/* libvirt drops <driver> offloads from other models (1.3) */
		if (nic->family != VNL_NIC_VIRTIO)
			continue;
		if (inconsistent(nic->host_offload))
			report_side(chk, nic, nic->host_offload, "host");
		if (inconsistent(nic->guest_offload))
			report_side(chk, nic, nic->guest_offload, "guest");
	}
}

/* Turn the dependents off: keeps what the user asked for (csum off) and
 * makes the set valid. The finding's value says which side it is about. */
static void fix_offload_inconsistent(struct vnl_check *chk, const struct vnl_nic *nic,
				     struct vnl_finding *f)
{
	bool host = f->value && !strncmp(f->value, "host ", 5);
	const struct vnl_flag *flags = host ? nic->host_offload : nic->guest_offload;
	size_t i;

	(void)chk;
	for (i = 0; i < VNL_ARRAY_LEN(dependents); i++)
		if (is_on(&flags[dependents[i]]))
			vnl_finding_add_edit(f, nic->key, VNL_EDIT_SET,
					     host ? VNL_PROP_HOST_OFFLOAD : VNL_PROP_GUEST_OFFLOAD,
					     dependents[i], "off");
}

const struct vnl_rule rule_offload_inconsistent = {
	.id = "VNL003",
	.name = "offload-inconsistent",
	.severity = VNL_SEV_WARNING,
	.summary = "virtio TSO/ECN/UFO on while the checksum offload they need is off",
	.doc =
	"What it does\n"
	"  On every virtio NIC, checks each side of libvirt's <driver>: when\n"
	"  <host csum='off'/> is set, host tso4, tso6, ecn and ufo must be off\n"
	"  too; when <guest csum='off'/> is set, guest tso4, tso6, ecn and ufo\n"
	"  must be. An attribute left out counts as on: QEMU enables the\n"
	"  offloads it supports.\n"
	"\n"
	"Why it matters\n"
	"  These switches are virtio feature bits. The virtio specification makes\n"
	"  HOST_TSO4/TSO6/ECN/UFO depend on CSUM and GUEST_TSO4/TSO6/ECN/UFO on\n"
	"  GUEST_CSUM: segmentation offload without checksum offload is not a\n"
	"  valid feature set. The usual cause is turning csum off (for a firewall,\n"
	"  VNL002) and forgetting the rest. What QEMU and the guest driver make of\n"
	"  the invalid set is not documented, so vmnetlint warns rather than\n"
	"  guessing. (research/libvirt.md 1.3: virtio 1.0 spec, feature\n"
	"  dependencies; QEMU maps host X to host_X and guest X to guest_X.)\n"
	"\n"
	"Example\n"
	"  <driver name='vhost'><host csum='off'/></driver>\n"
	"  -> host tso4, tso6, ecn, ufo stay on (default)\n"
	"\n"
	"How to fix\n"
	"  Turn the dependents off on the same side:\n"
	"    <host csum='off' tso4='off' tso6='off' ecn='off' ufo='off'/>\n"
	"  (or drop csum='off' if checksum offload was meant to stay on).\n"
	"  The change needs a cold restart of the guest.\n",
	.check = check_offload_inconsistent,
	.fix = fix_offload_inconsistent,
};
