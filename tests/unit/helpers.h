/* Shared by the unit tests: build VMs from inline configs, run rules. */
#ifndef VNL_TEST_HELPERS_H
#define VNL_TEST_HELPERS_H

#include "finding.h"
#include "model.h"
#include "rule.h"

/* A Proxmox VM from config text, roles classified, as the scan sees it. */
struct vnl_vm *pve_vm(const char *vmid, const char *text);

/* Run one rule (by id) on vm; the caller clears the list. */
void run_rule(const char *id, struct vnl_vm *vm, struct vnl_finding_list *out);
/* The same with a network environment and a config (either may be NULL). */
void run_rule_env(const char *id, struct vnl_vm *vm, const struct vnl_netenv *net,
		  const struct vnl_config *config, struct vnl_finding_list *out);

/* How many findings in l are on nic_key (NULL: any) with severity sev (-1: any). */
size_t count_findings(const struct vnl_finding_list *l, const char *nic_key, int sev);

/* The first finding on nic_key, or NULL. */
const struct vnl_finding *finding_on(const struct vnl_finding_list *l, const char *nic_key);

/* Does any finding carry the edit "remove|set prop on nic"? */
bool has_edit(const struct vnl_finding_list *l, const char *nic_key, enum vnl_edit_op op,
	      enum vnl_edit_prop prop);

/* A network environment built as the scan builds it from a Proxmox tree:
 * an /etc/network/interfaces text of node (NULL: every node), then SDN
 * zones.cfg and vnets.cfg texts (any text may be NULL). Problems in the
 * texts are printed as TAP diagnostics. Free with netenv_free. */
struct vnl_netenv *netenv_from_text(const char *node, const char *interfaces,
				    const char *zones, const char *vnets);
/* Datacenter firewall state from a cluster.fw text. */
void netenv_cluster_fw(struct vnl_netenv *env, const char *cluster_fw);
void netenv_free(struct vnl_netenv *env);
/* The VM's firewall options from a <vmid>.fw text; NULL: the firewall
 * directory exists but the VM has no file (PVE's defaults). */
void vm_set_fw(struct vnl_vm *vm, const char *fw_text);

#endif
