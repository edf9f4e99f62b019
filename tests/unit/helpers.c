#include "config.h"

#include "helpers.h"

#include <string.h>

#include "roles.h"
#include "source/pve_conf.h"

struct vnl_vm *pve_vm(const char *vmid, const char *text)
{
	struct pve_conf_hint hint = { vmid, "pve1" };
	struct vnl_vm *vm = pve_conf_parse("test.conf", text, strlen(text), &hint);
	vnl_roles_classify(vm);
	if (vm->pending)
		vnl_roles_classify(vm->pending);
	return vm;
}

void run_rule(const char *id, struct vnl_vm *vm, struct vnl_finding_list *out)
{
	run_rule_env(id, vm, NULL, NULL, out);
}

void run_rule_env(const char *id, struct vnl_vm *vm, const struct vnl_netenv *net,
		  const struct vnl_config *config, struct vnl_finding_list *out)
{
	struct vnl_rule_env env = { net, config, NULL, NULL };
	struct vnl_check chk = { vnl_rule_find(id), vm, &env, out };
	chk.rule->check(&chk);
}

size_t count_findings(const struct vnl_finding_list *l, const char *nic_key, int sev)
{
	size_t i, n = 0;
	for (i = 0; i < l->n; i++) {
		const struct vnl_finding *f = l->items[i];
		if (nic_key && (!f->nic_key || strcmp(f->nic_key, nic_key)))
			continue;
		if (sev >= 0 && (int)f->severity != sev)
			continue;
		n++;
	}
	return n;
}

const struct vnl_finding *finding_on(const struct vnl_finding_list *l, const char *nic_key)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		if (l->items[i]->nic_key && !strcmp(l->items[i]->nic_key, nic_key))
			return l->items[i];
	return NULL;
}

bool has_edit(const struct vnl_finding_list *l, const char *nic_key, enum vnl_edit_op op,
	      enum vnl_edit_prop prop)
{
	size_t i, k;
	for (i = 0; i < l->n; i++)
		for (k = 0; k < l->items[i]->nedits; k++) {
			const struct vnl_edit *e = &l->items[i]->edits[k];
			if (!strcmp(e->nic_key, nic_key) && e->op == op && e->prop == prop)
				return true;
		}
	return false;
}
