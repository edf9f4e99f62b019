/* Suppressions: the Proxmox description directive (ids, names, prefixes,
 * several per line and per description, missing reason, CRLF, percent-
 * encoding and columns), the API's decoded description, what a suppression
 * names (VNL090), applying them and reporting unused ones (VNL091), and
 * vmnetlint.conf [suppress] sections. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "config_file.h"
#include "helpers.h"
#include "report/report.h"
#include "roles.h"
#include "source/pve_conf.h"
#include "suppress.h"
#include "tap.h"

/* ---- the directive ------------------------------------------------------------ */

static bool parse(const char *line, struct vnl_directive *d)
{
	return vnl_directive_parse(line, strlen(line), d);
}

static bool span_is(const char *line, struct vnl_span sp, const char *want)
{
	return sp.len == strlen(want) && !strncmp(line + sp.off, want, sp.len);
}

static void test_not_directives(void)
{
	static const char *const lines[] = {
		"", "OPNsense CARP master", "vmnetlint ignore VNL020 -- r",
		"see vmnetlint: ignore VNL020 -- r", "# vmnetlint: ignore VNL020 -- r", "vmnetlin",
	};
	struct vnl_directive d;
	size_t i;

	for (i = 0; i < VNL_ARRAY_LEN(lines); i++)
		ok(!parse(lines[i], &d), "not a directive: '%s'", lines[i]);
}

static void test_one_rule(void)
{
	const char *l = "vmnetlint: ignore VNL020 -- queues sized on purpose";
	const char *crlf = "  VmNetLint:IGNORE VNL020 --   why  \r";
	struct vnl_directive d;

	ok(parse(l, &d), "a directive");
	ok(!d.malformed, "well-formed");
	is_int((long long)d.nrules, 1, "one rule");
	ok(span_is(l, d.rules[0], "VNL020"), "the rule id");
	is_int((long long)d.rules[0].off, 18, "at its offset");
	ok(span_is(l, d.reason, "queues sized on purpose"), "the reason after --");
	ok(parse(crlf, &d) && !d.malformed, "leading blanks, any case, no blank after ':'");
	is_int((long long)d.start, 2, "starts after the blanks");
	ok(span_is(crlf, d.rules[0], "VNL020"), "the rule");
	ok(span_is(crlf, d.reason, "why"), "a trailing CR and blanks are not part of the reason");
	l = "vmnetlint: ignore VNL020 -- a -- b";
	ok(parse(l, &d) && span_is(l, d.reason, "a -- b"), "the reason runs to the end of the line");
}

static void test_several_rules(void)
{
	const char *l = "vmnetlint: ignore VNL020,router-single-queue, VNL03 -- r";
	struct vnl_directive d;

	ok(parse(l, &d) && !d.malformed, "several rules");
	is_int((long long)d.nrules, 3, "three of them");
	ok(span_is(l, d.rules[0], "VNL020"), "an id");
	ok(span_is(l, d.rules[1], "router-single-queue"), "a name");
	ok(span_is(l, d.rules[2], "VNL03"), "a prefix");
	ok(span_is(l, d.reason, "r"), "one reason for all");
}

static void test_missing_reason(void)
{
	static const char *const lines[] = {
		"vmnetlint: ignore VNL020", "vmnetlint: ignore VNL020 --", "vmnetlint: ignore VNL020 --  \r",
	};
	struct vnl_directive d;
	size_t i;

	for (i = 0; i < VNL_ARRAY_LEN(lines); i++)
		ok(parse(lines[i], &d) && !d.malformed && d.nrules == 1 && d.reason.len == 0,
		   "no reason: '%s'", lines[i]);
}

static void test_malformed(void)
{
	static const char *const lines[] = {
		"vmnetlint: disable VNL020 -- r", "vmnetlint: ignore -- r", "vmnetlint: ignoreVNL020 -- r",
		"vmnetlint:", "vmnetlint: ignore",
	};
	struct strbuf many = STRBUF_INIT;
	struct vnl_directive d;
	size_t i;

	for (i = 0; i < VNL_ARRAY_LEN(lines); i++)
		ok(parse(lines[i], &d) && d.malformed, "malformed: '%s'", lines[i]);
	strbuf_adds(&many, "vmnetlint: ignore");
	for (i = 0; i <= VNL_DIRECTIVE_MAX_RULES; i++)
		strbuf_addf(&many, " VNL%03zu", i);
	strbuf_adds(&many, " -- r");
	ok(parse(strbuf_str(&many), &d) && d.malformed, "more than %d rules is malformed",
	   VNL_DIRECTIVE_MAX_RULES);
	strbuf_release(&many);
}

/* ---- recording them from a qm config and from the API ------------------------------ */

static const char *router_conf =
	"#WireGuard gateway%0A\r\n"
	"#vmnetlint%3A ignore VNL021 -- one queue is enough here\r\n"
	"#\r\n"
	"#  vmnetlint%3A ignore VNL001,emulated-nic -- stale%25\r\n"
	"#vmnetlint%3a ignore VNL020\r\n"
	"cores: 4\r\n"
	"name: wg-gateway\r\n"
	"net0: virtio=BC:24:11:6B:00:01,bridge=vmbr0\r\n"
	"ostype: l26\r\n"
	"tags: router\r\n"
	"\r\n"
	"[PENDING]\r\n"
	"#vmnetlint%3A ignore VNL022 -- pending notes are not read\r\n";

static void test_record_pve(void)
{
	struct vnl_vm *vm = pve_vm("110", router_conf);
	const struct vnl_suppression *s = vm->suppressions;

	is_int((long long)vm->nsuppressions, 4, "four suppressions from three lines (CRLF)");
	if (vm->nsuppressions == 4) {
		is_str(s[0].rule, "VNL021", "the first rule");
		is_str(s[0].reason, "one queue is enough here", "its reason, without the CR");
		is_int(s[0].loc.line, 2, "its line");
		is_int(s[0].loc.col, 22, "its column in the file, past the encoded ':'");
		is_str(s[1].rule, "VNL001", "two rules on one line");
		is_str(s[2].rule, "emulated-nic", "a name");
		is_int(s[2].loc.col, 31, "columns point at each rule");
		is_str(s[2].reason, "stale%", "the reason is decoded");
		is_int(s[1].loc.line, 4, "after an empty description line");
		ok(s[3].reason == NULL, "no reason recorded as NULL");
		is_str(s[3].loc.origin, "test.conf", "places name the file");
	}
	vnl_vm_free(vm);
}

static void test_record_api(void)
{
	struct pve_conf_pair cur[] = {
		{ "name", "wg-gateway" },
		{ "description", "WireGuard\nvmnetlint: ignore VNL021 -- r1\r\n"
				 "vmnetlint: ignore VNL001 -- r2" },
	};
	struct pve_conf_hint hint = { "110", "pve1" };
	struct vnl_vm *vm = pve_conf_from_pairs("pve://h/nodes/pve1/qemu/110/config", cur, 2, NULL,
						0, &hint);

	is_int((long long)vm->nsuppressions, 2, "the API's decoded description is read too");
	if (vm->nsuppressions == 2) {
		is_str(vm->suppressions[0].reason, "r1", "with its reason, without the CR");
		is_str(vm->suppressions[1].rule, "VNL001", "every line");
		is_str(vm->suppressions[0].loc.origin, "pve://h/nodes/pve1/qemu/110/config#description",
		       "the place is the description key");
		is_int(vm->suppressions[0].loc.line, 0, "with no line");
	}
	vnl_vm_free(vm);
}

/* ---- what a suppression names ------------------------------------------------------ */

static void test_check(void)
{
	struct vnl_suppression s = { "VNL020", "r", { "x", 1, 1 } };

	is_int(vnl_suppression_check(&s), VNL_SUPP_OK, "an id with a reason");
	s.rule = "router-single-queue";
	is_int(vnl_suppression_check(&s), VNL_SUPP_OK, "a name");
	s.rule = "vnl0";
	is_int(vnl_suppression_check(&s), VNL_SUPP_OK, "a prefix, any case");
	s.rule = "VNL999";
	is_int(vnl_suppression_check(&s), VNL_SUPP_NO_RULE, "no such rule");
	s.rule = "VNL091";
	is_int(vnl_suppression_check(&s), VNL_SUPP_UNSUPPRESSIBLE, "VNL091 cannot be suppressed");
	s.rule = "VNL09";
	is_int(vnl_suppression_check(&s), VNL_SUPP_UNSUPPRESSIBLE, "nor VNL09 (090 and 091)");
	s.rule = "";
	is_int(vnl_suppression_check(&s), VNL_SUPP_MALFORMED, "an empty rule is a malformed line");
	s.rule = "VNL020";
	s.reason = " \t";
	is_int(vnl_suppression_check(&s), VNL_SUPP_NO_REASON, "a blank reason is none");
	s.reason = NULL;
	is_int(vnl_suppression_check(&s), VNL_SUPP_NO_REASON, "no reason");
	ok(vnl_selectors_match("VNL020, router-single-queue", vnl_rule_find("VNL021")),
	   "a selector list matches by name");
	ok(!vnl_selectors_match("VNL020,VNL001", vnl_rule_find("VNL021")), "and not otherwise");
}

static void test_vnl090(void)
{
	struct vnl_vm *vm = pve_vm("110", router_conf);
	struct vnl_finding_list out = { 0 };

	run_rule("VNL090", vm, &out);
	is_int((long long)out.n, 1, "VNL090 fires once: the suppression without a reason");
	if (out.n == 1) {
		is_int(out.items[0]->line, 5, "at its line");
		has_str(out.items[0]->message, "without a reason is not applied", "says why");
		is_int(out.items[0]->severity, VNL_SEV_WARNING, "a warning");
	}
	vnl_finding_list_clear(&out);
	vnl_vm_free(vm);

	vm = pve_vm("111", "#vmnetlint%3A ignore VNL021 -- ok\n#vmnetlint%3A ignore VNL0 -- ok\n"
			   "name: a\n");
	run_rule("VNL090", vm, &out);
	is_int((long long)out.n, 0, "VNL090 does not fire on valid suppressions");
	vnl_finding_list_clear(&out);
	vnl_vm_free(vm);
}

/* ---- applying them -------------------------------------------------------------------- */

static bool all_but(const struct vnl_rule *rule, void *data)
{
	return rule != data;
}

/* VNL021 and VNL090 on vm, then the suppressions. */
static size_t check_and_apply(struct vnl_vm *vm, const struct vnl_config *cfg,
			      const struct vnl_rule *off, struct vnl_finding_list *out,
			      struct vnl_suppress_tally **tally)
{
	struct vnl_rule_env env = { NULL, cfg, off ? all_but : NULL, (void *)off, NULL };

	vnl_rule_run(vnl_rule_find("VNL021"), vm, &env, out);
	vnl_rule_run(vnl_rule_find("VNL090"), vm, &env, out);
	return vnl_suppress_apply(vm, out, &env, tally, NULL);
}

static size_t count_rule(const struct vnl_finding_list *l, const char *id)
{
	size_t i, n = 0;
	for (i = 0; i < l->n; i++)
		n += !strcmp(l->items[i]->rule->id, id);
	return n;
}

static void test_apply(void)
{
	struct vnl_vm *vm = pve_vm("110", router_conf);
	struct vnl_finding_list out = { 0 };
	struct vnl_suppress_tally *tally = NULL;
	size_t dropped = check_and_apply(vm, NULL, NULL, &out, &tally);
	const struct vnl_finding *f;

	is_int((long long)dropped, 1, "the VNL021 finding is suppressed");
	is_int((long long)count_rule(&out, "VNL021"), 0, "and not reported");
	is_int((long long)count_rule(&out, "VNL090"), 1, "the suppression without a reason is");
	is_int((long long)count_rule(&out, "VNL091"), 2, "VNL091 fires: VNL001, emulated-nic unused");
	f = out.n ? out.items[out.n - 1] : NULL;
	if (f) {
		is_int(f->line, 4, "at the directive's line");
		is_int(f->col, 31, "and the rule's column");
		is_str(f->value, "emulated-nic", "the value is the rule as written");
		is_int(f->severity, VNL_SEV_INFO, "info");
	}
	vnl_finding_list_clear(&out);

	dropped = check_and_apply(vm, NULL, vnl_rule_find("VNL001"), &out, &tally);
	is_int((long long)count_rule(&out, "VNL091"), 1,
	       "a suppression of a rule that does not run is not reported as unused");
	vnl_finding_list_clear(&out);
	check_and_apply(vm, NULL, vnl_rule_find("VNL091"), &out, &tally);
	is_int((long long)count_rule(&out, "VNL091"), 0, "VNL091 off: nothing");
	vnl_finding_list_clear(&out);
	vnl_vm_free(vm);

	vm = pve_vm("112", "#vmnetlint%3A ignore VNL0 -- everything\ncores: 4\nname: gw\n"
			   "net0: virtio=BC:24:11:6B:00:01,bridge=vmbr0\ntags: router\n");
	dropped = check_and_apply(vm, NULL, NULL, &out, &tally);
	is_int((long long)dropped, 1, "a prefix suppresses");
	is_int((long long)out.n, 0, "VNL091 does not fire on a used suppression");
	vnl_finding_list_clear(&out);
	vnl_vm_free(vm);
	vnl_suppress_tally_free(tally);
}

/* ---- vmnetlint.conf [suppress] ------------------------------------------------------------ */

static int conf(struct vnl_config *cfg, const char *text, struct vnl_err *err)
{
	vnl_config_init(cfg);
	return vnl_config_parse(cfg, "t.conf", text, err);
}

static void conf_fails(const char *text, const char *want, const char *what)
{
	struct vnl_config cfg;
	struct vnl_err err = { "" };

	ok(conf(&cfg, text, &err) < 0, "refused: %s", what);
	has_str(err.msg, want, "  with '%s'", want);
	vnl_config_release(&cfg);
}

static void test_config_parse(void)
{
	struct vnl_config cfg;
	struct vnl_err err;

	ok(conf(&cfg, "[suppress \"VNL021, VNL020\"]\nvm = wg-*\npath = templates/*\n"
		      "reason = sized on purpose\n[rules]\nVNL001 = on\n", &err) == 0,
	   "a [suppress] section");
	is_int((long long)cfg.nsuppress, 1, "is recorded");
	if (cfg.nsuppress) {
		is_str(cfg.suppress[0].rules, "VNL021, VNL020", "its rules");
		is_str(cfg.suppress[0].vm, "wg-*", "vm");
		is_str(cfg.suppress[0].path, "templates/*", "path");
		is_str(cfg.suppress[0].reason, "sized on purpose", "reason");
		is_int(cfg.suppress[0].loc.line, 1, "and its line");
	}
	vnl_config_release(&cfg);
	conf_fails("[suppress \"VNL021\"]\nvm = a\n", "t.conf:1: [suppress \"VNL021\"] needs reason",
		   "no reason (at the end of the file)");
	conf_fails("[suppress \"VNL021\"]\nvm = a\n[rules]\n",
		   "t.conf:1: [suppress \"VNL021\"] needs reason", "no reason (before a section)");
	conf_fails("[suppress \"VNL021\"]\nreason = r\n", "needs vm = PATTERN or path = GLOB",
		   "neither vm nor path");
	conf_fails("[suppress \"VNL999\"]\n", "t.conf:1: [suppress]: no rule 'VNL999'", "no rule");
	conf_fails("[suppress \"VNL091\"]\n", "cannot be suppressed", "VNL091");
	conf_fails("[suppress \"\"]\n", "names no rule", "an empty rule list");
	conf_fails("[suppress \"VNL021\"]\nnode = a\n", "unknown key 'node' in [suppress]",
		   "an unknown key");
	conf_fails("[suppress \"VNL021\"]\nvm = a\nvm = b\n", "vm is given twice", "a key twice");
}

static struct vnl_vm *vm_at(const char *origin, const char *vmid)
{
	static const char *text = "cores: 4\nname: wg-a\nnet0: virtio=BC:24:11:6B:00:01,bridge=vmbr0\n"
				  "tags: router;edge\n";
	struct pve_conf_hint hint = { vmid, "pve1" };
	struct vnl_vm *vm = pve_conf_parse(origin, text, strlen(text), &hint);
	return vm;
}

static void test_config_matches(void)
{
	struct vnl_suppress_decl d = { "VNL021", NULL, NULL, "r", { "t.conf", 1, 1 } };
	struct vnl_vm *vm = vm_at("./examples//templates/120.conf", "120");

	d.vm = "wg-*";
	ok(vnl_config_suppress_matches(&d, vm), "vm: a name glob");
	d.vm = "id:120";
	ok(vnl_config_suppress_matches(&d, vm), "vm: id:");
	d.vm = "tag:EDGE";
	ok(vnl_config_suppress_matches(&d, vm), "vm: tag:, any case");
	d.vm = "fw-*";
	ok(!vnl_config_suppress_matches(&d, vm), "vm: another name");
	d.vm = NULL;
	d.path = "templates/*";
	ok(vnl_config_suppress_matches(&d, vm), "path: a tail of the normalised origin");
	d.path = "examples/templates/1*.conf";
	ok(vnl_config_suppress_matches(&d, vm), "path: the whole origin");
	d.path = "emplates/*";
	ok(!vnl_config_suppress_matches(&d, vm), "path: tails start after a '/'");
	d.vm = "fw-*";
	d.path = "templates/*";
	ok(!vnl_config_suppress_matches(&d, vm), "vm and path: both must match");
	vnl_vm_free(vm);
}

struct notes {
	struct vnl_reporter base;
	char text[512];
	int n;
};

static void take_note(struct vnl_reporter *r, const char *origin, const char *msg)
{
	struct notes *t = (struct notes *)r;
	snprintf(t->text, sizeof(t->text), "%s: %s", origin, msg);
	t->n++;
}

static void test_config_apply(void)
{
	struct vnl_config cfg;
	struct vnl_err err;
	struct vnl_finding_list out = { 0 };
	struct vnl_suppress_tally *tally = NULL;
	struct notes rep = { .base.note = take_note };
	struct vnl_vm *vm;

	conf(&cfg, "[suppress \"router-single-queue\"]\nvm = wg-*\nreason = r\n"
		   "[suppress \"VNL001\"]\npath = templates/*\nreason = unused\n"
		   "[suppress \"VNL020\"]\nvm = nothing-*\nreason = never seen\n", &err);
	vm = vm_at("templates/120.conf", "120");
	vnl_roles_classify(vm);
	is_int((long long)check_and_apply(vm, &cfg, NULL, &out, &tally), 1,
	       "[suppress] by vm suppresses the finding");
	is_int((long long)out.n, 0, "nothing reported, no VNL091 for config sections");
	ok(tally != NULL, "the tally counts what the sections did");
	vnl_suppress_note_unused(tally, &rep.base);
	is_int(rep.n, 1, "one note: the section that covered the VM but none of its findings");
	has_str(rep.text, "t.conf:4: [suppress \"VNL001\"] covered VMs of this scan but none",
		"names the section and its line");
	vnl_finding_list_clear(&out);
	vnl_vm_free(vm);
	vnl_suppress_tally_free(tally);
	vnl_config_release(&cfg);
}

int main(void)
{
	test_not_directives();
	test_one_rule();
	test_several_rules();
	test_missing_reason();
	test_malformed();
	test_record_pve();
	test_record_api();
	test_check();
	test_vnl090();
	test_apply();
	test_config_parse();
	test_config_matches();
	test_config_apply();
	return done_testing();
}
