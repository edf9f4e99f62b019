/* The one table of rules. Adding a rule: one file in rules/, one line here,
 * its tests, and its row in the README. */
#include "config.h"

#include "rule.h"

#include "config_file.h"
#include "inventory.h"

#include <stdarg.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

extern const struct vnl_rule rule_config_parse;
extern const struct vnl_rule rule_pfsync_multiqueue;
extern const struct vnl_rule rule_firewall_offload;
extern const struct vnl_rule rule_offload_inconsistent;
extern const struct vnl_rule rule_vhost_disabled;
extern const struct vnl_rule rule_ring_size;
extern const struct vnl_rule rule_mtu_overlay;
extern const struct vnl_rule rule_mtu_exceeds_bridge;
extern const struct vnl_rule rule_pfsync_mtu;
extern const struct vnl_rule rule_mtu_ignored;
extern const struct vnl_rule rule_queues_exceed_vcpus;
extern const struct vnl_rule rule_router_single_queue;
extern const struct vnl_rule rule_emulated_nic;
extern const struct vnl_rule rule_carp_macfilter;
extern const struct vnl_rule rule_value_range;
extern const struct vnl_rule rule_mtu_mismatch_l2;
extern const struct vnl_rule rule_ha_pair_drift;
extern const struct vnl_rule rule_duplicate_mac;
extern const struct vnl_rule rule_suppression_invalid;
extern const struct vnl_rule rule_unused_suppression;

const struct vnl_rule *const vnl_rules[] = {
	&rule_config_parse,
	&rule_pfsync_multiqueue,
	&rule_firewall_offload,
	&rule_offload_inconsistent,
	&rule_vhost_disabled,
	&rule_ring_size,
	&rule_mtu_overlay,
	&rule_mtu_exceeds_bridge,
	&rule_pfsync_mtu,
	&rule_mtu_ignored,
	&rule_queues_exceed_vcpus,
	&rule_router_single_queue,
	&rule_emulated_nic,
	&rule_carp_macfilter,
	&rule_value_range,
	&rule_mtu_mismatch_l2,
	&rule_ha_pair_drift,
	&rule_duplicate_mac,
	&rule_suppression_invalid,
	&rule_unused_suppression,
};
const size_t vnl_rule_count = VNL_ARRAY_LEN(vnl_rules);

const struct vnl_rule *vnl_rule_find(const char *id_or_name)
{
	size_t i;
	for (i = 0; i < vnl_rule_count; i++)
		if (!strcasecmp(vnl_rules[i]->id, id_or_name) ||
		    !strcasecmp(vnl_rules[i]->name, id_or_name))
			return vnl_rules[i];
	return NULL;
}

bool vnl_rule_matches(const struct vnl_rule *rule, const char *sel)
{
	size_t n = strlen(sel);
	if (!strcasecmp(rule->name, sel))
		return true;
	return n > 0 && !strncasecmp(rule->id, sel, n);
}

struct vnl_finding *vnl_report(struct vnl_check *chk, enum vnl_severity sev,
			       const struct vnl_nic *nic, struct vnl_loc loc,
			       const char *fmt, ...)
{
	struct vnl_finding *f;
	struct strbuf sb = STRBUF_INIT;
	int forced = vnl_config_rule_severity(chk->env->config, chk->rule);
	va_list ap;

	/* vmnetlint.conf may set a rule's severity: it applies to every finding */
	if (forced >= 0)
		sev = (enum vnl_severity)forced;
	f = vnl_finding_new(chk->rule, sev, chk->vm, nic, loc);

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	f->message = strbuf_detach(&sb);
	f->nic_ref = nic;
	vnl_finding_list_add(chk->out, f);
	return f;
}

bool vnl_not_checked(struct vnl_check *chk, enum vnl_context what, const char *node)
{
	long gap = chk->env ? vnl_netenv_gap(chk->env->net, what, node) : -1;

	if (gap < 0)
		return false;
	if (chk->env->not_checked)
		chk->env->not_checked(chk->rule, (size_t)gap, chk->env->data);
	return true;
}

bool vnl_not_checked_bridge(struct vnl_check *chk, const struct vnl_nic *nic)
{
	if (!nic->bridge.raw || (chk->env && vnl_netenv_find(chk->env->net, nic->bridge.raw,
							     chk->vm->node)))
		return false;
	return vnl_not_checked(chk, VNL_CTX_NODE_NETWORK, chk->vm->node) ||
	       vnl_not_checked(chk, VNL_CTX_SDN, NULL);
}

const struct vnl_config *vnl_rule_config(const struct vnl_check *chk)
{
	static struct vnl_config defaults;
	static bool ready;

	if (chk->env && chk->env->config)
		return chk->env->config;
	if (!ready) {
		vnl_config_init(&defaults);
		ready = true;
	}
	return &defaults;
}

void vnl_finding_cite_role(struct vnl_check *chk, struct vnl_finding *f, enum vnl_role role)
{
	const char *ev = vnl_vm_evidence_text(chk->vm, role);
	struct strbuf sb = STRBUF_INIT;

	if (!ev)
		return;
	if (f->evidence) {
		strbuf_adds(&sb, f->evidence);
		strbuf_adds(&sb, "; ");
	}
	strbuf_addf(&sb, "%s: %s", vnl_role_name(role), ev);
	free(f->evidence);
	f->evidence = strbuf_detach(&sb);
}

void vnl_rule_run(const struct vnl_rule *rule, struct vnl_vm *vm,
		  const struct vnl_rule_env *env, struct vnl_finding_list *out)
{
	struct vnl_check chk = { rule, vm, env, out };
	size_t first = out->n, k;

	if (!rule->check)
		return;
	rule->check(&chk);
	/* edits are proposed once the check has completed its findings */
	for (k = first; k < out->n; k++) {
		if (rule->fix)
			rule->fix(&chk, out->items[k]->nic_ref, out->items[k]);
		out->items[k]->nic_ref = NULL;
	}
}

void vnl_rules_check_vm(struct vnl_vm *vm, const struct vnl_rule_env *env,
			struct vnl_finding_list *out)
{
	size_t i;
	for (i = 0; i < vnl_rule_count; i++) {
		if (!env->enabled || env->enabled(vnl_rules[i], env->data))
			vnl_rule_run(vnl_rules[i], vm, env, out);
	}
}

struct vnl_finding *vnl_report_inv(struct vnl_scan_check *sc, enum vnl_severity sev,
				   const struct vnl_inv_nic *nic, const char *fmt, ...)
{
	const struct vnl_inv_vm *vm = vnl_inv_vm_of(sc->inv, nic);
	struct vnl_finding *f = xcalloc(1, sizeof(*f));
	int forced = vnl_config_rule_severity(sc->env->config, sc->rule);
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	f->rule = sc->rule;
	f->severity = forced >= 0 ? (enum vnl_severity)forced : sev;
	f->kind = vm->kind;
	f->origin = xstrdup(nic->loc.origin ? nic->loc.origin : vm->origin);
	f->line = nic->loc.line;
	f->col = nic->loc.col;
	f->vm_id = vm->id ? xstrdup(vm->id) : NULL;
	f->vm_name = vm->name ? xstrdup(vm->name) : NULL;
	f->vm_label = xstrdup(vm->label);
	f->nic_key = xstrdup(nic->key);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	f->message = strbuf_detach(&sb);
	vnl_finding_list_add(sc->out, f);
	return f;
}

void vnl_rules_check_scan(const struct vnl_inventory *inv, const struct vnl_rule_env *env,
			  struct vnl_finding_list *out)
{
	size_t i;
	for (i = 0; i < vnl_rule_count; i++) {
		struct vnl_scan_check sc = { vnl_rules[i], inv, env, out };
		if (!vnl_rules[i]->check_scan)
			continue;
		if (env->enabled && !env->enabled(vnl_rules[i], env->data))
			continue;
		vnl_rules[i]->check_scan(&sc);
	}
}
