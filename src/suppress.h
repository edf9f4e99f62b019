/* Suppressions: "do not report this rule on this VM", always with a reason.
 *
 * Three places can say it:
 *  - a line of a Proxmox VM's description (the VM's notes in the GUI, the
 *    `#` lines of the qm config): `vmnetlint: ignore VNL020,VNL021 -- reason`;
 *    pve_conf records it on the VM with its place (vnl_suppress_read_*);
 *  - libvirt metadata <vmnetlint:suppress rule='..' reason='..'/>, recorded
 *    by the libvirt source;
 *  - [suppress "RULES"] sections of vmnetlint.conf, by VM pattern or path.
 * The scan applies them to each VM's findings before anything is reported
 * (vnl_suppress_apply, suppress_apply.c), and to the findings of the rules
 * that compare VMs at the end (vnl_suppress_apply_scan). VNL090 reports
 * suppressions that cannot apply (no reason, no such rule, a malformed
 * directive), VNL091 those that matched no finding; neither of the two can
 * itself be suppressed. */
#ifndef VNL_SUPPRESS_H
#define VNL_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "finding.h"
#include "model.h"

struct vnl_rule;
struct vnl_rule_env;
struct vnl_config;
struct vnl_reporter;

#define VNL_DIRECTIVE_MAX_RULES 32

/* A part of the parsed line: offset and length. */
struct vnl_span {
	size_t off, len;
};

/* `vmnetlint: ignore RULE[,RULE...] -- REASON`, parsed from one line. */
struct vnl_directive {
	size_t start;   /* where "vmnetlint:" starts */
	bool malformed; /* not `ignore` followed by 1..VNL_DIRECTIVE_MAX_RULES rules */
	size_t nrules;
	struct vnl_span rules[VNL_DIRECTIVE_MAX_RULES]; /* ids, names or id prefixes */
	struct vnl_span reason;                         /* len 0: no reason given */
};

/* Is this line (no newline; a trailing CR is allowed) a directive? A line
 * is one when, after leading blanks, it starts with "vmnetlint:" (any
 * case). Fills d when it is. */
bool vnl_directive_parse(const char *line, size_t len, struct vnl_directive *d);

/* Record the directives of a qm config `#` line on vm: raw is the text
 * after the '#' as written (percent-encoded, research/proxmox.md 1.2), at
 * line; columns point at each rule as it stands in the file. */
void vnl_suppress_read_pve_line(struct vnl_vm *vm, const char *raw, size_t n, unsigned line);
/* The same for a decoded description (the PVE API): every place is
 * vm->origin with line and column unknown. */
void vnl_suppress_read_description(struct vnl_vm *vm, const char *text, size_t n);

/* Why a suppression cannot apply (VNL090), or VNL_SUPP_OK. */
enum vnl_supp_problem {
	VNL_SUPP_OK,
	VNL_SUPP_MALFORMED,      /* a directive without `ignore RULE` (rule "") */
	VNL_SUPP_NO_RULE,        /* names no rule */
	VNL_SUPP_UNSUPPRESSIBLE, /* names only VNL090/VNL091 */
	VNL_SUPP_NO_REASON,
};
enum vnl_supp_problem vnl_suppression_check(const struct vnl_suppression *s);
/* VNL090 and VNL091 report on suppressions: they cannot be suppressed. */
bool vnl_rule_suppressible(const struct vnl_rule *rule);
/* Does a selector list ("VNL020, router-single-queue VNL03") select rule? */
bool vnl_selectors_match(const char *list, const struct vnl_rule *rule);

/* What the config's [suppress] sections did over a whole scan. */
struct vnl_suppress_tally;
void vnl_suppress_tally_free(struct vnl_suppress_tally *t);

/* Take out of found every finding that vm's own suppressions or the
 * config's [suppress] sections cover: into suppressed with its reason set
 * (finding.suppression), or freed when suppressed is NULL. Then add a
 * VNL091 finding for each of vm's own suppressions that covered none (when
 * VNL091 and a rule it names are enabled). Returns how many findings were
 * suppressed. *tally is created on first use. */
size_t vnl_suppress_apply(struct vnl_vm *vm, struct vnl_finding_list *found,
			  const struct vnl_rule_env *env, struct vnl_suppress_tally **tally,
			  struct vnl_finding_list *suppressed);

/* Once every VM is in: the same for the findings of the rules that compare
 * VMs (check_scan), matched to their VM by id and origin; then VNL091 for
 * the VMs' suppressions that covered nothing in either. */
size_t vnl_suppress_apply_scan(struct vnl_suppress_tally *t, struct vnl_finding_list *found,
			       const struct vnl_rule_env *env, struct vnl_finding_list *suppressed);

/* After that: a note for every [suppress] section that covered VMs
 * of this scan but none of their findings (a section whose VMs were not
 * scanned says nothing). */
void vnl_suppress_note_unused(const struct vnl_suppress_tally *t, struct vnl_reporter *rep);

#endif
