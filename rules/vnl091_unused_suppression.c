/* VNL091 unused-suppression: a suppression in a VM's definition that
 * matched none of the VM's findings. Whether a suppression was used is
 * only known once every other rule has run on the VM (current and pending
 * state, and the rules that compare VMs), so the scan reports these from
 * src/suppress_apply.c and the rule has no check of its own. */
#include "config.h"

#include "rule.h"

const struct vnl_rule rule_unused_suppression = {
	.id = "VNL091",
	.name = "unused-suppression",
	.severity = VNL_SEV_INFO,
	.summary = "a suppression in a VM's definition that matched no finding",
	.doc =
	"What it does\n"
	"  Reports a suppression written into a VM's definition (a Proxmox\n"
	"  `vmnetlint: ignore RULE -- reason` line in the VM's notes, a libvirt\n"
	"  <vmnetlint:suppress/>) that matched none of the VM's findings, current\n"
	"  or pending. A suppression of a rule that does not run in this scan\n"
	"  (--select, --ignore, [rules] RULE = off) is not reported.\n"
	"\n"
	"Why it matters\n"
	"  A suppression outlives its cause: once the config is fixed it hides\n"
	"  nothing, but it would silently hide the problem if it came back. Unused\n"
	"  suppressions are best removed (ruff's RUF100 does the same for noqa).\n"
	"\n"
	"Example\n"
	"  VM notes: vmnetlint: ignore VNL021 -- single queue on purpose\n"
	"  after net0 got queues=4 -> 'vmnetlint: ignore VNL021' matched no finding\n"
	"\n"
	"How to fix\n"
	"  Remove the line from the VM's notes (Proxmox GUI: VM > Summary > Notes)\n"
	"  or the element from the domain's metadata (virsh metadata / edit).\n"
	"  A vmnetlint.conf [suppress] section that covered scanned VMs but none of\n"
	"  their findings gets a note on stderr instead, since it is not a VM's.\n"
	"  `--no-suppress` ignores every suppression, for audits.\n",
	.check = NULL, /* reported by the scan: src/suppress_apply.c */
	.fix = NULL,
};
