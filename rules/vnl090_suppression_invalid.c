/* VNL090 suppression-invalid: a suppression written in a VM's definition
 * that cannot apply: no reason, no such rule, or a malformed Proxmox
 * directive. The suppression is not applied, so the finding it meant to
 * hide is still reported; this says why. (src/suppress.h) */
#include "config.h"

#include "rule.h"
#include "suppress.h"

static bool is_libvirt(const struct vnl_vm *vm)
{
	return vm->kind == VNL_SRC_LIBVIRT_XML || vm->kind == VNL_SRC_LIBVIRT_LIVE;
}

static void report_problem(struct vnl_check *chk, const struct vnl_suppression *s,
			   enum vnl_supp_problem why)
{
	struct vnl_vm *vm = chk->vm;
	const char *label = vnl_vm_label(vm);
	struct vnl_finding *f = NULL;

	switch (why) {
	case VNL_SUPP_OK:
		return;
	case VNL_SUPP_MALFORMED:
		f = vnl_report(chk, VNL_SEV_WARNING, NULL, s->loc,
			       "%s: a vmnetlint directive reads 'vmnetlint: ignore RULE[,RULE...] "
			       "-- reason'; this one suppresses nothing", label);
		break;
	case VNL_SUPP_NO_RULE:
		f = vnl_report(chk, VNL_SEV_WARNING, NULL, s->loc,
			       "%s: suppression of '%s' names no rule (see 'vmnetlint rules'); "
			       "it suppresses nothing", label, s->rule);
		break;
	case VNL_SUPP_UNSUPPRESSIBLE:
		f = vnl_report(chk, VNL_SEV_WARNING, NULL, s->loc,
			       "%s: %s reports on suppressions and cannot be suppressed; turn it "
			       "off with --ignore or in vmnetlint.conf [rules]", label, s->rule);
		break;
	case VNL_SUPP_NO_REASON:
		f = vnl_report(chk, VNL_SEV_WARNING, NULL, s->loc,
			       "%s: suppression of %s without a reason is not applied; %s", label,
			       s->rule, is_libvirt(vm) ? "add reason='why this is accepted'"
						       : "write the reason after ' -- '");
		break;
	}
	if (f)
		f->value = xstrdup(s->rule && *s->rule ? s->rule : "vmnetlint:");
}

static void check_suppression_invalid(struct vnl_check *chk)
{
	size_t i;

	for (i = 0; i < chk->vm->nsuppressions; i++) {
		const struct vnl_suppression *s = &chk->vm->suppressions[i];
		report_problem(chk, s, vnl_suppression_check(s));
	}
}

const struct vnl_rule rule_suppression_invalid = {
	.id = "VNL090",
	.name = "suppression-invalid",
	.severity = VNL_SEV_WARNING,
	.summary = "a suppression in a VM's definition that cannot apply (no reason, no such rule)",
	.doc =
	"What it does\n"
	"  Checks the suppressions written into a VM's own definition: the\n"
	"  `vmnetlint: ignore RULE -- reason` lines of a Proxmox VM's notes and\n"
	"  libvirt's <vmnetlint:suppress rule='..' reason='..'/>. It reports one\n"
	"  that has no reason, names no rule, names only VNL090/VNL091, or is not\n"
	"  written as `vmnetlint: ignore RULE[,RULE...] -- reason`.\n"
	"\n"
	"Why it matters\n"
	"  A suppression hides a finding from every report and from the exit code.\n"
	"  The reason is what lets the next person judge whether it still holds,\n"
	"  so vmnetlint does not apply a suppression without one: the finding it\n"
	"  meant to hide stays reported, and this warning says why. A misspelled\n"
	"  rule would silently suppress nothing.\n"
	"\n"
	"Example\n"
	"  Proxmox VM notes (the `#` lines of the qm config):\n"
	"    vmnetlint: ignore VNL020\n"
	"  -> suppression of VNL020 without a reason is not applied\n"
	"\n"
	"How to fix\n"
	"  Give the reason after ' -- ':\n"
	"    vmnetlint: ignore VNL020 -- queues sized for the 10G uplink, see CHG-1234\n"
	"  libvirt: <vmnetlint:suppress rule='VNL020' reason='...'/>.\n"
	"  vmnetlint.conf [suppress] sections need a reason too; there a missing one\n"
	"  is a configuration error (exit 2).\n",
	.check = check_suppression_invalid,
	.fix = NULL,
};
