/* vmnetlint.conf: what the VM configs cannot say. INI-style, git-config
 * shaped: `[section]` or `[section "name"]`, `key = value`, `#`/`;`
 * comments. Every setting remembers the file and line it came from, for
 * --show-config and for the evidence a finding cites. */
#ifndef VNL_CONFIG_FILE_H
#define VNL_CONFIG_FILE_H

#include <stdbool.h>
#include <stdio.h>

#include "model.h"
#include "netenv.h"

struct vnl_rule;

#define VNL_CONFIG_FILE "vmnetlint.conf"

struct vnl_rule_setting {
	const char *rule; /* id or name as written */
	int enabled;      /* 1, 0, or -1 = not said */
	int severity;     /* a vnl_severity, or -1 = not said */
	struct vnl_loc loc;
};

/* [vm "PATTERN"]: PATTERN is a name glob, `id:101` or `tag:opnsense`. */
struct vnl_vm_decl {
	const char *pattern;
	struct vnl_loc loc;
	const char *roles; /* "firewall, pfsync" */
	const char *overlay;
	int inner_mtu;     /* 0 = not said */
	const char *overlay_family;
	const char *overlay_nic;
	const char *pfsync_nic;
	const char *pair;
};

/* [bridge "NAME"] (optionally `node = pve1`): MTUs the inputs lack. */
struct vnl_bridge_decl {
	const char *name;
	const char *node;
	int mtu;
	int underlay_mtu;
	const char *overlay;
	const char *family;
	struct vnl_loc loc;
};

/* [pair "NAME"] members = a, b */
struct vnl_pair_decl {
	const char *name;
	const char *members;
	struct vnl_loc loc;
};

/* [suppress "RULES"]: do not report RULES (ids, names or id prefixes,
 * comma-separated) on the VMs that vm and path select (both when both are
 * given); reason is required (src/suppress.h). */
struct vnl_suppress_decl {
	const char *rules;
	const char *vm;     /* a [vm] pattern: name glob, id:N, tag:T; NULL = any */
	const char *path;   /* a glob on the VM's origin; NULL = any */
	const char *reason;
	struct vnl_loc loc; /* the section header */
};

/* An integer parameter with its place; loc.origin NULL = the default. */
struct vnl_param {
	int value;
	struct vnl_loc loc;
};

struct vnl_config {
	const char *path; /* NULL: no file, defaults only */
	struct vnl_rule_setting *rules;
	size_t nrules, rules_cap;
	struct vnl_vm_decl *vms;
	size_t nvms, vms_cap;
	struct vnl_bridge_decl *bridges;
	size_t nbridges, bridges_cap;
	struct vnl_pair_decl *pairs;
	size_t npairs, pairs_cap;
	struct vnl_suppress_decl *suppress;
	size_t nsuppress, suppress_cap;

	struct vnl_param underlay_mtu;   /* [network] underlay-mtu; 1500 */
	const char *underlay_family;     /* [network] underlay-family */
	struct vnl_loc underlay_family_loc;
	struct vnl_param max_queues;     /* [queues] max; 8 (VNL021's cap) */
	struct vnl_param pfsync_max_mtu; /* [pfsync] max-mtu; 4080 (VNL013) */
	struct vnl_param inner_mtu_slack; /* [overlay] slack; 80 (VNL010 info) */

	struct arena arena;
};

/* Defaults only. */
void vnl_config_init(struct vnl_config *cfg);
/* Read a file on top of the defaults. On error: -1 and err says
 * "FILE:LINE: what". */
int vnl_config_load(struct vnl_config *cfg, const char *path, struct vnl_err *err);
/* Parse text (for tests); origin names it in errors. */
int vnl_config_parse(struct vnl_config *cfg, const char *origin, const char *text,
		     struct vnl_err *err);
void vnl_config_release(struct vnl_config *cfg);

/* Is the rule on (config only; --select/--ignore come on top)? */
bool vnl_config_rule_enabled(const struct vnl_config *cfg, const struct vnl_rule *rule);
/* The severity the config forces on a rule, or -1. */
int vnl_config_rule_severity(const struct vnl_config *cfg, const struct vnl_rule *rule);

/* Give vm what [vm] sections say about it: roles (as evidence), overlay,
 * pfsync NIC, pair; [pair] membership. */
void vnl_config_apply_vm(const struct vnl_config *cfg, struct vnl_vm *vm);
/* Does a [suppress] section cover vm (its vm pattern and path glob)? */
bool vnl_config_suppress_matches(const struct vnl_suppress_decl *d, const struct vnl_vm *vm);
/* Add what [bridge] sections say to the network environment. */
void vnl_config_apply_net(const struct vnl_config *cfg, struct vnl_netenv *net);

/* Every setting in force and where it came from. */
void vnl_config_show(const struct vnl_config *cfg, FILE *out);

#endif
