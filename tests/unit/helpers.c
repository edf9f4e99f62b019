#include "config.h"

#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "roles.h"
#include "source/pve_conf.h"
#include "source/pve_firewall.h"
#include "source/pve_interfaces.h"
#include "source/pve_sdn.h"
#include "tap.h"

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
	struct vnl_rule_env env = { net, config, NULL, NULL, NULL };
	vnl_rule_run(vnl_rule_find(id), vm, &env, out);
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

static void diag_problem(void *data, enum vnl_severity sev, const struct vnl_loc *loc,
			 const char *msg)
{
	(void)data;
	diag("%s:%u:%u: %s: %s", loc->origin, loc->line, loc->col, vnl_severity_name(sev), msg);
}

struct vnl_netenv *netenv_from_text(const char *node, const char *interfaces,
				    const char *zones, const char *vnets)
{
	struct pve_report rep = { diag_problem, NULL };
	struct vnl_netenv *env = xcalloc(1, sizeof(*env));
	struct pve_hostnet hn;
	struct pve_sdn *sdn = pve_sdn_new();

	vnl_netenv_init(env);
	pve_hostnet_init(&hn);
	if (interfaces)
		pve_interfaces_parse(&hn, "interfaces", node, interfaces, strlen(interfaces), &rep);
	pve_interfaces_apply(&hn, env);
	if (zones)
		pve_sdn_parse(sdn, PVE_SDN_ZONES, "zones.cfg", zones, strlen(zones), &rep);
	if (vnets)
		pve_sdn_parse(sdn, PVE_SDN_VNETS, "vnets.cfg", vnets, strlen(vnets), &rep);
	pve_sdn_apply(sdn, &hn, env, &rep);
	pve_sdn_free(sdn);
	pve_hostnet_release(&hn);
	return env;
}

void netenv_cluster_fw(struct vnl_netenv *env, const char *cluster_fw)
{
	struct pve_report rep = { diag_problem, NULL };
	pve_firewall_parse_cluster("cluster.fw", cluster_fw, strlen(cluster_fw), env, &rep);
}

void netenv_free(struct vnl_netenv *env)
{
	if (!env)
		return;
	vnl_netenv_release(env);
	free(env);
}

void vm_set_fw(struct vnl_vm *vm, const char *fw_text)
{
	struct pve_report rep = { diag_problem, NULL };
	if (fw_text)
		pve_firewall_parse_vm("vm.fw", fw_text, strlen(fw_text), vm, &rep);
	else
		pve_firewall_vm_defaults(vm);
}
