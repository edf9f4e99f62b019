/* --fix and --diff: which VMs change and how, then the writers (src/write/).
 * Library code: it never prints. The command layer is cmd_fix.c.
 *
 * During the scan a hook notes every VM (what the writers need: digest,
 * lock, NIC values, the UUID) and which of the kept findings are its. The
 * edits of its findings are merged per VM: the same edit twice is one
 * edit; two findings that want different values for one setting are
 * settled for the more severe one (on a tie, the one reported first), and
 * the other finding is left unfixed with the reason. Findings on a NIC
 * with a pending change, or with an edit the VM's source cannot express,
 * are left unfixed too. */
#ifndef VNL_FIX_H
#define VNL_FIX_H

#include <stdbool.h>
#include <stddef.h>

#include "finding.h"
#include "model.h"
#include "scan.h"
#include "util.h"

struct pve_api;
struct wr_journal;

struct vnl_fix_options {
	const char *const *vm_patterns; /* --vm: ids, names or globs; none = every VM */
	size_t nvm;
	const char *backup_dir; /* NULL: BACKUP_DEFAULT_DIR */
	const char *lock_dir;   /* NULL: each source's default */
	struct pve_api *api;    /* for pve-api VMs */
	const char *endpoint;   /* the --pve URL, for their backups */
};

enum fix_item_state {
	ITEM_NO_EDIT,     /* the finding proposes no edit */
	ITEM_PLANNED,     /* its edits are in the VM's plan */
	ITEM_SKIPPED,     /* left unfixed: why says why */
	ITEM_FIXED,       /* gone after the fix */
	ITEM_FIXED_PENDING, /* written; in force at the next cold start (PVE [PENDING]) */
	ITEM_REMAINS,     /* written, but still reported */
};

struct fix_item {
	size_t finding; /* index in scan->kept */
	enum fix_item_state state;
	char *why;
	bool cross; /* reported after the VMs (a rule that compares VMs) */
};

enum fix_status {
	FIX_PLANNED,
	FIX_NOTHING, /* the definition already holds every edit */
	FIX_DONE,
	FIX_FAILED,  /* not changed: error says why */
};

enum fix_effect {
	EFFECT_NEXT_COLD_START, /* files: the running state is unknown */
	EFFECT_RESTART,         /* running: needs a cold restart */
	EFFECT_NEXT_START,      /* stopped: the next start uses it */
	EFFECT_LIVE,            /* in force now (PVE hot-plug) */
	EFFECT_TEMPLATE,        /* a template: clones made from now on */
	EFFECT_RELOAD,          /* libvirt XML file: at the next define of the file */
};

struct fix_vm {
	enum vnl_source_kind kind;
	char *origin, *id, *name, *label, *node, *uuid, *digest, *signature, *lock;
	int running;
	bool is_template;
	struct fix_item *items; /* every finding of the VM */
	size_t nitems;
	bool selected; /* --vm */
	/* the plan */
	struct vnl_edit *edits;
	size_t nedits;
	char **nic_keys, **nic_values; /* every NIC as scanned: key and value */
	bool *nic_pending;              /* it has a pending change */
	size_t nnics;
	/* the outcome */
	enum fix_status status;
	char *error;
	struct strbuf old_text, new_text; /* what changes (no secrets) */
	char *backup;
	enum fix_effect effect;
	size_t npending;            /* PVE API: NICs whose change waits in [PENDING] */
	struct vnl_vm *after;       /* API and libvirt live: the VM as read back */
	size_t rescan_first, rescan_n; /* its findings after the fix, in scan->kept */
	bool rescanned;
};

struct vnl_fix {
	struct vnl_fix_options opt;
	struct fix_vm *vms;
	size_t n, cap;
	size_t kept_seen;     /* findings of scan->kept given to a VM so far */
	long rescanning;      /* the VM being rescanned, or -1 */
	struct fix_conn *conns; /* libvirt connections by URI */
	size_t nconns;
	/* The run's journal (write/journal.h), set by the command before
	 * vnl_fix_apply; NULL: none. The writers record in it. */
	struct wr_journal *journal;
};

struct vnl_fix *vnl_fix_new(const struct vnl_fix_options *o);
void vnl_fix_free(struct vnl_fix *fx);
/* Install on a scan (keep_findings, vm_hook) before it reads anything. */
void vnl_fix_attach(struct vnl_fix *fx, struct vnl_scan *scan);

/* After the scan finished: give the findings reported after the VMs (the
 * rules that compare VMs) to their VMs, and plan their edits. */
void vnl_fix_adopt(struct vnl_fix *fx, struct vnl_scan *scan);

/* How many VMs have a plan, and how many findings it fixes. */
size_t vnl_fix_planned(const struct vnl_fix *fx, size_t *nfindings);

/* What each planned VM would become (old_text/new_text), writing nothing. */
void vnl_fix_preview(struct vnl_fix *fx);
/* Apply every plan that previewed cleanly. */
void vnl_fix_apply(struct vnl_fix *fx);
/* Scan again what was changed (files from disk, the others as read back)
 * and settle each item: fixed, fixed-pending or remains. */
void vnl_fix_rescan(struct vnl_fix *fx, struct vnl_scan *scan);

/* A label for a diff: the file as given, or the URI. */
const char *vnl_fix_diff_label(const struct fix_vm *v);

#endif
