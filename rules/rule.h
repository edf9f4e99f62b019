/* The rule descriptor. One file per rule in rules/, each defining one
 * constant `struct vnl_rule`, and one table (registry.c) that lists them.
 * A rule reads the neutral model and reports findings with proposed edits;
 * it never parses input and never prints. */
#ifndef VNL_RULE_H
#define VNL_RULE_H

#include <stdbool.h>

#include "finding.h"
#include "model.h"
#include "netenv.h"

struct vnl_check;
struct vnl_netenv;
struct vnl_config;
struct vnl_inventory;
struct vnl_inv_nic;
struct vnl_scan_check;

struct vnl_rule {
	const char *id;   /* "VNL001" */
	const char *name; /* "pfsync-multiqueue" */
	enum vnl_severity severity; /* default; a check may report lower */
	const char *summary;        /* one line for `vmnetlint rules` */
	const char *doc;            /* `vmnetlint explain`: why, example, fix, sources */
	/* Look at one VM and report what is wrong with it (NULL for rules that
	 * only compare VMs). */
	void (*check)(struct vnl_check *chk);
	/* Look at the whole scan once every VM is in (duplicate MACs, pairs);
	 * NULL for rules about single VMs. */
	void (*check_scan)(struct vnl_scan_check *sc);
	/* Propose the edit that repairs one finding; NULL when no edit is safe. */
	void (*fix)(struct vnl_check *chk, const struct vnl_nic *nic, struct vnl_finding *f);
};

/* What every check may consult besides the VM. */
struct vnl_rule_env {
	const struct vnl_netenv *net;     /* bridges and networks; may be empty */
	const struct vnl_config *config;  /* vmnetlint.conf; NULL = defaults */
	/* Is a rule switched on? NULL = all are. */
	bool (*enabled)(const struct vnl_rule *rule, void *data);
	void *data;
	/* A rule met a context gap (net->gaps[gap]): the scan says "not
	 * checked" once per rule and gap. NULL = nobody listens. */
	void (*not_checked)(const struct vnl_rule *rule, size_t gap, void *data);
};

/* What a check sees and where its findings go. */
struct vnl_check {
	const struct vnl_rule *rule;
	struct vnl_vm *vm;
	const struct vnl_rule_env *env;
	struct vnl_finding_list *out;
};

/* Report a finding on nic (or the whole VM when nic is NULL) at loc. */
struct vnl_finding *vnl_report(struct vnl_check *chk, enum vnl_severity sev,
			       const struct vnl_nic *nic, struct vnl_loc loc,
			       const char *fmt, ...) VNL_PRINTF(5, 6);
/* The check needs context `what` on node (NULL: the cluster's) that a
 * source could not read: true, and the scan notes "not checked: <what>
 * unavailable (<why>)" once for this rule; false when nothing is missing,
 * so the check goes on as before. */
bool vnl_not_checked(struct vnl_check *chk, enum vnl_context what, const char *node);

/* The same for a NIC whose bridge the inputs do not describe while the
 * node network of its VM's node, or SDN, could not be read. */
bool vnl_not_checked_bridge(struct vnl_check *chk, const struct vnl_nic *nic);

/* The config in force: env->config, or the defaults when there is none. */
const struct vnl_config *vnl_rule_config(const struct vnl_check *chk);

/* Attach the evidence of role to a finding ("why did this rule apply"). */
void vnl_finding_cite_role(struct vnl_check *chk, struct vnl_finding *f, enum vnl_role role);

/* What a whole-scan check sees. */
struct vnl_scan_check {
	const struct vnl_rule *rule;
	const struct vnl_inventory *inv;
	const struct vnl_rule_env *env;
	struct vnl_finding_list *out;
};

/* Report a finding on an inventory NIC. */
struct vnl_finding *vnl_report_inv(struct vnl_scan_check *sc, enum vnl_severity sev,
				   const struct vnl_inv_nic *nic, const char *fmt, ...)
	VNL_PRINTF(4, 5);

/* Run every enabled whole-scan check. */
void vnl_rules_check_scan(const struct vnl_inventory *inv, const struct vnl_rule_env *env,
			  struct vnl_finding_list *out);

/* The table. */
extern const struct vnl_rule *const vnl_rules[];
extern const size_t vnl_rule_count;
/* By id ("VNL001", case-insensitive) or name ("pfsync-multiqueue"). */
const struct vnl_rule *vnl_rule_find(const char *id_or_name);
/* Does id_or_prefix select the rule: an id, a name, or an id prefix ("VNL0")? */
bool vnl_rule_matches(const struct vnl_rule *rule, const char *id_or_prefix);

/* Run one rule on one VM: its check, then its fix for each finding. */
void vnl_rule_run(const struct vnl_rule *rule, struct vnl_vm *vm,
		  const struct vnl_rule_env *env, struct vnl_finding_list *out);
/* Run every enabled rule on one VM. */
void vnl_rules_check_vm(struct vnl_vm *vm, const struct vnl_rule_env *env,
			struct vnl_finding_list *out);

#endif
