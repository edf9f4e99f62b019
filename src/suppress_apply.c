/* Applying suppressions (suppress.h): to each VM's findings in
 * vnl_scan_vm, then to the findings of the rules that compare VMs
 * (check_scan: duplicate MACs, MTUs on one segment, HA pairs) once every VM
 * is in. A VM is freed before those run, so what its suppressions and the
 * config's [suppress] sections can still say about such findings is kept
 * here, copied; a VM without any keeps nothing, so memory stays flat. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "config_file.h"
#include "report/report.h"
#include "rule.h"
#include "suppress.h"

extern const struct vnl_rule rule_unused_suppression;

/* A VM's suppression, kept for the whole-scan findings. */
struct kept_supp {
	char *rule;
	char *reason; /* NULL: none given */
	char *origin;
	unsigned line, col;
	bool used;
};

/* A VM whose suppressions or [suppress] sections may cover whole-scan
 * findings. */
struct kept_vm {
	char *id, *name, *label, *origin;
	enum vnl_source_kind kind;
	struct kept_supp *supp;
	size_t nsupp;
	bool *decl_on; /* per [suppress] section; NULL when none covers it */
};

struct vnl_suppress_tally {
	const struct vnl_config *cfg; /* NULL: no [suppress] sections */
	size_t ndecl;
	bool *seen;   /* the section covered a VM of the scan */
	size_t *used; /* findings it suppressed */
	struct kept_vm *vms;
	size_t nvms, vms_cap;
};

static void kept_vm_release(struct kept_vm *kv)
{
	size_t i;

	for (i = 0; i < kv->nsupp; i++) {
		free(kv->supp[i].rule);
		free(kv->supp[i].reason);
		free(kv->supp[i].origin);
	}
	free(kv->supp);
	free(kv->decl_on);
	free(kv->id);
	free(kv->name);
	free(kv->label);
	free(kv->origin);
}

void vnl_suppress_tally_free(struct vnl_suppress_tally *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nvms; i++)
		kept_vm_release(&t->vms[i]);
	free(t->vms);
	free(t->seen);
	free(t->used);
	free(t);
}

static struct vnl_suppress_tally *tally_get(struct vnl_suppress_tally **tp,
					    const struct vnl_config *cfg)
{
	struct vnl_suppress_tally *t = *tp;

	if (t)
		return t;
	t = *tp = xcalloc(1, sizeof(*t));
	if (cfg && cfg->nsuppress) {
		t->cfg = cfg;
		t->ndecl = cfg->nsuppress;
	}
	t->seen = xcalloc(t->ndecl + 1, sizeof(bool));
	t->used = xcalloc(t->ndecl + 1, sizeof(size_t));
	return t;
}

/* Does the selector list name a rule that runs in this scan (and, with
 * scan_only, one that compares VMs)? An unused suppression of a rule that
 * --select left out is not worth a word. */
static bool names_enabled_rule(const char *list, const struct vnl_rule_env *env, bool scan_only)
{
	size_t i;

	for (i = 0; i < vnl_rule_count; i++) {
		const struct vnl_rule *r = vnl_rules[i];
		if ((!scan_only || r->check_scan) && vnl_rule_suppressible(r) &&
		    vnl_selectors_match(list, r) && (!env->enabled || env->enabled(r, env->data)))
			return true;
	}
	return false;
}

static bool unused_enabled(const struct vnl_rule_env *env)
{
	return !env->enabled || env->enabled(&rule_unused_suppression, env->data);
}

static char *unused_message(const char *label, enum vnl_source_kind kind, const char *rule)
{
	if (kind == VNL_SRC_LIBVIRT_XML || kind == VNL_SRC_LIBVIRT_LIVE)
		return xasprintf("%s: <vmnetlint:suppress rule='%s'> matched no finding; remove it "
				 "from the metadata", label, rule);
	return xasprintf("%s: 'vmnetlint: ignore %s' matched no finding; remove it from the "
			 "VM's notes", label, rule);
}

/* ---- one VM ------------------------------------------------------------------------- */

struct vm_suppress {
	struct vnl_vm *vm;
	bool *valid;   /* vm->suppressions[i] can apply */
	bool *used;    /* ... and covered a finding */
	bool *decl_on; /* cfg->suppress[j] covers this VM */
	struct vnl_suppress_tally *t;
};

/* What covered a finding: the first suppression that did. */
struct why {
	const char *reason;
	bool in_source; /* in the VM's definition, not vmnetlint.conf */
};

static void note_why(struct why *w, bool hit, const char *reason, bool in_source)
{
	if (hit)
		return; /* an earlier one is the reason given */
	w->reason = reason;
	w->in_source = in_source;
}

/* A covered finding: kept, with its reason, for the reporters that show
 * suppressed results; freed when nobody wants it. */
static void set_aside(struct vnl_finding *f, const struct why *w,
		      struct vnl_finding_list *suppressed)
{
	if (!suppressed) {
		vnl_finding_free(f);
		return;
	}
	f->suppression = xstrdup(w->reason ? w->reason : "");
	f->suppressed_in_source = w->in_source;
	vnl_finding_list_add(suppressed, f);
}

static bool covered(struct vm_suppress *vs, const struct vnl_finding *f, struct why *w)
{
	const struct vnl_vm *vm = vs->vm;
	struct vnl_suppress_tally *t = vs->t;
	bool hit = false;
	size_t i;

	if (!vnl_rule_suppressible(f->rule))
		return false;
	for (i = 0; i < vm->nsuppressions; i++) {
		if (vs->valid[i] && vnl_selectors_match(vm->suppressions[i].rule, f->rule)) {
			vs->used[i] = true;
			note_why(w, hit, vm->suppressions[i].reason, true);
			hit = true;
		}
	}
	for (i = 0; i < t->ndecl; i++) {
		if (vs->decl_on[i] && vnl_selectors_match(t->cfg->suppress[i].rules, f->rule)) {
			t->used[i]++;
			note_why(w, hit, t->cfg->suppress[i].reason, false);
			hit = true;
		}
	}
	return hit;
}

/* Which [suppress] sections cover this VM; those naming a rule that runs
 * count as having seen a VM of the scan. */
static void match_config(struct vm_suppress *vs, const struct vnl_rule_env *env)
{
	struct vnl_suppress_tally *t = vs->t;
	size_t i;

	for (i = 0; i < t->ndecl; i++) {
		const struct vnl_suppress_decl *d = &t->cfg->suppress[i];
		vs->decl_on[i] = vnl_config_suppress_matches(d, vs->vm);
		if (vs->decl_on[i] && names_enabled_rule(d->rules, env, false))
			t->seen[i] = true;
	}
}

/* VNL091 for the VM's own suppressions that covered nothing, except those
 * that may still cover a whole-scan finding: they wait for the end. */
static void report_unused(struct vm_suppress *vs, const struct vnl_rule_env *env,
			  struct vnl_finding_list *found)
{
	struct vnl_vm *vm = vs->vm;
	struct vnl_check chk = { &rule_unused_suppression, vm, env, found };
	size_t i;

	if (!unused_enabled(env))
		return;
	for (i = 0; i < vm->nsuppressions; i++) {
		const struct vnl_suppression *s = &vm->suppressions[i];
		struct vnl_finding *f;
		char *msg;

		if (!vs->valid[i] || vs->used[i] || !names_enabled_rule(s->rule, env, false) ||
		    names_enabled_rule(s->rule, env, true))
			continue;
		msg = unused_message(vnl_vm_label(vm), vm->kind, s->rule);
		f = vnl_report(&chk, VNL_SEV_INFO, NULL, s->loc, "%s", msg);
		f->value = xstrdup(s->rule);
		free(msg);
	}
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Keep what may cover the VM's whole-scan findings. */
static void keep_for_scan(struct vm_suppress *vs, const struct vnl_rule_env *env)
{
	struct vnl_vm *vm = vs->vm;
	struct vnl_suppress_tally *t = vs->t;
	struct kept_vm kv = { 0 };
	bool decls = false;
	size_t i, cap = 0;

	for (i = 0; i < t->ndecl; i++)
		decls = decls || (vs->decl_on[i] &&
				  names_enabled_rule(t->cfg->suppress[i].rules, env, true));
	for (i = 0; i < vm->nsuppressions; i++) {
		const struct vnl_suppression *s = &vm->suppressions[i];
		struct kept_supp *k;

		if (!vs->valid[i] || !names_enabled_rule(s->rule, env, true))
			continue;
		vnl_grow(&kv.supp, &cap, kv.nsupp + 1, sizeof(*kv.supp));
		k = &kv.supp[kv.nsupp++];
		k->rule = xstrdup(s->rule);
		k->reason = dup_or_null(s->reason);
		k->origin = dup_or_null(s->loc.origin);
		k->line = s->loc.line;
		k->col = s->loc.col;
		k->used = vs->used[i];
	}
	if (!kv.nsupp && !decls)
		return;
	if (decls) {
		kv.decl_on = xmalloc(t->ndecl * sizeof(bool));
		memcpy(kv.decl_on, vs->decl_on, t->ndecl * sizeof(bool));
	}
	kv.id = dup_or_null(vm->id);
	kv.name = dup_or_null(vm->name);
	kv.label = xstrdup(vnl_vm_label(vm));
	kv.origin = xstrdup(vm->origin);
	kv.kind = vm->kind;
	vnl_grow(&t->vms, &t->vms_cap, t->nvms + 1, sizeof(*t->vms));
	t->vms[t->nvms++] = kv;
}

size_t vnl_suppress_apply(struct vnl_vm *vm, struct vnl_finding_list *found,
			  const struct vnl_rule_env *env, struct vnl_suppress_tally **tally,
			  struct vnl_finding_list *suppressed)
{
	struct vm_suppress vs = { vm, NULL, NULL, NULL, NULL };
	size_t i, kept = 0, dropped = 0;

	if (!vm->nsuppressions && !(env->config && env->config->nsuppress))
		return 0;
	vs.t = tally_get(tally, env->config);
	vs.valid = xcalloc(vm->nsuppressions + 1, sizeof(bool));
	vs.used = xcalloc(vm->nsuppressions + 1, sizeof(bool));
	vs.decl_on = xcalloc(vs.t->ndecl + 1, sizeof(bool));
	for (i = 0; i < vm->nsuppressions; i++)
		vs.valid[i] = vnl_suppression_check(&vm->suppressions[i]) == VNL_SUPP_OK;
	match_config(&vs, env);
	for (i = 0; i < found->n; i++) {
		struct vnl_finding *f = found->items[i];
		struct why w = { NULL, false };
		if (covered(&vs, f, &w)) {
			set_aside(f, &w, suppressed);
			dropped++;
		} else {
			found->items[kept++] = f;
		}
	}
	found->n = kept;
	report_unused(&vs, env, found);
	keep_for_scan(&vs, env);
	free(vs.valid);
	free(vs.used);
	free(vs.decl_on);
	return dropped;
}

/* ---- the whole scan ------------------------------------------------------------------ */

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_kept(const void *a, const void *b)
{
	return cmp_str(((const struct kept_vm *)a)->id, ((const struct kept_vm *)b)->id);
}

/* The finding's VM: same id, and the finding's origin is the VM's
 * (a file) or a place in it ("<URI>#net0"). */
static struct kept_vm *find_vm(struct vnl_suppress_tally *t, const struct vnl_finding *f)
{
	size_t lo = 0, hi = t->nvms;

	while (lo < hi) { /* the first with id >= f's */
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_str(t->vms[mid].id, f->vm_id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->nvms && !cmp_str(t->vms[lo].id, f->vm_id); lo++) {
		size_t n = strlen(t->vms[lo].origin);
		if (!strncmp(f->origin, t->vms[lo].origin, n) &&
		    (f->origin[n] == '\0' || f->origin[n] == '#'))
			return &t->vms[lo];
	}
	return NULL;
}

static bool covered_kept(struct vnl_suppress_tally *t, struct kept_vm *kv,
			 const struct vnl_finding *f, struct why *w)
{
	bool hit = false;
	size_t i;

	for (i = 0; i < kv->nsupp; i++) {
		if (vnl_selectors_match(kv->supp[i].rule, f->rule)) {
			kv->supp[i].used = true;
			note_why(w, hit, kv->supp[i].reason, true);
			hit = true;
		}
	}
	for (i = 0; kv->decl_on && i < t->ndecl; i++) {
		if (kv->decl_on[i] && vnl_selectors_match(t->cfg->suppress[i].rules, f->rule)) {
			t->used[i]++;
			note_why(w, hit, t->cfg->suppress[i].reason, false);
			hit = true;
		}
	}
	return hit;
}

static struct vnl_finding *kept_unused(const struct kept_vm *kv, const struct kept_supp *s,
				       const struct vnl_rule_env *env)
{
	struct vnl_finding *f = xcalloc(1, sizeof(*f));
	int forced = vnl_config_rule_severity(env->config, &rule_unused_suppression);

	f->rule = &rule_unused_suppression;
	f->severity = forced >= 0 ? (enum vnl_severity)forced : VNL_SEV_INFO;
	f->kind = kv->kind;
	f->origin = xstrdup(s->origin ? s->origin : kv->origin);
	f->line = s->line;
	f->col = s->col;
	f->vm_id = dup_or_null(kv->id);
	f->vm_name = dup_or_null(kv->name);
	f->vm_label = xstrdup(kv->label);
	f->message = unused_message(kv->label, kv->kind, s->rule);
	f->value = xstrdup(s->rule);
	return f;
}

size_t vnl_suppress_apply_scan(struct vnl_suppress_tally *t, struct vnl_finding_list *found,
			       const struct vnl_rule_env *env, struct vnl_finding_list *suppressed)
{
	size_t i, k, kept = 0, dropped = 0;

	if (!t)
		return 0;
	if (t->nvms > 1)
		qsort(t->vms, t->nvms, sizeof(*t->vms), cmp_kept);
	for (i = 0; i < found->n; i++) {
		struct vnl_finding *f = found->items[i];
		struct kept_vm *kv = vnl_rule_suppressible(f->rule) ? find_vm(t, f) : NULL;
		struct why w = { NULL, false };

		if (kv && covered_kept(t, kv, f, &w)) {
			set_aside(f, &w, suppressed);
			dropped++;
		} else {
			found->items[kept++] = f;
		}
	}
	found->n = kept;
	for (i = 0; i < t->nvms && unused_enabled(env); i++)
		for (k = 0; k < t->vms[i].nsupp; k++)
			if (!t->vms[i].supp[k].used)
				vnl_finding_list_add(found, kept_unused(&t->vms[i], &t->vms[i].supp[k], env));
	return dropped;
}

void vnl_suppress_note_unused(const struct vnl_suppress_tally *t, struct vnl_reporter *rep)
{
	size_t i;

	if (!t || !rep->note)
		return;
	for (i = 0; i < t->ndecl; i++) {
		const struct vnl_suppress_decl *d = &t->cfg->suppress[i];
		char *where, *msg;

		if (!t->seen[i] || t->used[i])
			continue;
		where = xasprintf("%s:%u", d->loc.origin, d->loc.line);
		msg = xasprintf("[suppress \"%s\"] covered VMs of this scan but none of their "
				"findings; remove it or narrow its vm/path", d->rules);
		rep->note(rep, where, msg);
		free(where);
		free(msg);
	}
}
