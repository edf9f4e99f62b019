/* Orchestration: inputs -> sources -> model -> rules -> reporter. */
#ifndef VNL_SCAN_H
#define VNL_SCAN_H

#include <stdbool.h>

#include "finding.h"
#include "model.h"
#include "inventory.h"
#include "netenv.h"
#include "report/report.h"

struct vnl_selection {
	const char **select; /* ids, names or id prefixes; empty = all */
	size_t nselect;
	const char **ignore;
	size_t nignore;
};

struct pve_env;
struct vnl_suppress_tally;

struct vnl_scan {
	const struct vnl_selection *sel;
	struct vnl_reporter *rep;
	struct vnl_summary sum;
	/* Keep every finding after reporting it (for --fix); off for a plain
	 * scan, so memory stays flat however many VMs there are. */
	bool keep_findings;
	struct vnl_finding_list kept;
	/* Called with each VM once its findings are reported, before it is
	 * freed (--fix and --diff note what they need); NULL = none. With it
	 * set, VMs read from files get their SHA-1 in vm->digest. */
	void (*vm_hook)(struct vnl_scan *scan, struct vnl_vm *vm, void *data);
	void *vm_hook_data;
	struct strbuf buf; /* file contents, reused from file to file */
	struct vnl_netenv net; /* bridges and networks the inputs describe */
	const struct vnl_config *config; /* NULL = defaults */
	size_t net_configured; /* bridges the config has been applied to */
	/* Keep the list of inputs in sum.inputs (for the JSON report). */
	bool record_inputs;
	/* Proxmox: --interfaces [NODE=]FILE, and the network and firewall
	 * files of each pmxcfs tree, loaded before its VMs (source/pve_tree.h). */
	const char *const *interfaces;
	size_t ninterfaces;
	struct pve_env *pve_env;
	/* --no-suppress: ignore every suppression (src/suppress.h); else
	 * what the config's [suppress] sections did so far. */
	bool no_suppress;
	struct vnl_suppress_tally *suppress;
	/* Temp files of a killed vmnetlint seen in the directories walked
	 * (write/stale_tmp.h): noted, or with collect_tmps (--fix) the stale
	 * ones kept here for removal and the others noted. */
	bool collect_tmps;
	char **stale_tmps;
	size_t nstale_tmps, stale_tmps_cap;
	/* Every VM's NICs in brief, for the rules that compare VMs. */
	struct vnl_inventory inv;
	/* (rule, context gap) pairs already noted "not checked" (rule.h). */
	struct vnl_scan_gap_seen { const void *rule; size_t gap; } *gaps_noted;
	size_t ngaps_noted, gaps_noted_cap;
};

void vnl_scan_init(struct vnl_scan *scan, const struct vnl_selection *sel,
		   struct vnl_reporter *rep);
/* A file or a directory (walked recursively). */
void vnl_scan_path(struct vnl_scan *scan, const char *path);
/* A VM from any source; the scan takes ownership. */
void vnl_scan_vm(struct vnl_scan *scan, struct vnl_vm *vm);
/* An input that could not be read: reported, counted, the scan goes on. */
void vnl_scan_input_error(struct vnl_scan *scan, const char *origin, const char *fmt, ...)
	VNL_PRINTF(3, 4);
/* A one-line note (reporter's note hook): context missing, input skipped.
 * Not an error: the exit status follows the findings. */
void vnl_scan_note(struct vnl_scan *scan, const char *origin, const char *fmt, ...)
	VNL_PRINTF(3, 4);
/* Note an input in sum.inputs (when record_inputs): read when error is NULL. */
void vnl_scan_record_input(struct vnl_scan *scan, const char *origin, const char *error);
void vnl_scan_finish(struct vnl_scan *scan);
void vnl_scan_release(struct vnl_scan *scan);


#endif
