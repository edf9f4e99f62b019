/* VNL000 config-parse: what the source could not accept. The source records
 * each problem with its place; this rule turns them into findings so they
 * are reported, filtered and suppressed like every other finding. */
#include "config.h"

#include "rule.h"

static void check_config_parse(struct vnl_check *chk)
{
	size_t i;
	for (i = 0; i < chk->vm->nproblems; i++) {
		const struct vnl_problem *p = &chk->vm->problems[i];
		struct vnl_nic stub = { 0 };
		stub.key = p->nic_key;
		/* NIC problems read "VM 130 (db) net1: ...", others "VM 130 (db): ..." */
		vnl_report(chk, p->severity, p->nic_key ? &stub : NULL, p->loc, "%s%s %s",
			   vnl_vm_label(chk->vm), p->nic_key ? "" : ":", p->message);
	}
}

const struct vnl_rule rule_config_parse = {
	.id = "VNL000",
	.name = "config-parse",
	.severity = VNL_SEV_ERROR,
	.summary = "a config line the hypervisor would reject, ignore or drop",
	.doc =
	"What it does\n"
	"  Reports every line of a VM definition that the hypervisor itself would\n"
	"  refuse, ignore or silently drop: a net line with an unknown key or a bad\n"
	"  value, an unknown setting, an unknown or duplicate section, a value of\n"
	"  the wrong type.\n"
	"\n"
	"Why it matters\n"
	"  Proxmox reads configs leniently: an invalid line only causes a warning\n"
	"  and is left out of the parsed config. The next time anything writes the\n"
	"  config (a GUI change, a backup restore, `qm set`), the line is gone. For\n"
	"  a netN line that means the NIC disappears from the VM.\n"
	"  (research/proxmox.md 1.1 and 2.2: parse_vm_config, parse_property_string.)\n"
	"\n"
	"Severity\n"
	"  error for a NIC line that would be dropped; warning for other lines.\n"
	"\n"
	"Example\n"
	"  net1: virtio=BC:24:11:00:00:02,bridge=vmbr1,queue=4\n"
	"  -> net1: invalid key 'queue'\n"
	"\n"
	"How to fix\n"
	"  Correct the line by hand (here: queues=4), or remove it. vmnetlint does\n"
	"  not guess what a broken line meant.\n",
	.check = check_config_parse,
	.fix = NULL,
};
