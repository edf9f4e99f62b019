/* Fixing a VM through the Proxmox VE API (research/proxmox.md 4.4, 5.3):
 * ONE PUT per VM carrying every changed netN in full (the MAC kept: a netN
 * without it gets a new random MAC, 2.2) and the digest read at scan time.
 * A "checksum mismatch" (the config changed since) is reported and
 * skipped, never retried. The backup is GET .../config?current=1 as JSON
 * in the common store; afterwards GET .../pending tells, per NIC, whether
 * the change is live or waits in [PENDING] for a cold start.
 *
 * In the backup's metadata post_sha1 is the config digest PVE reports
 * after the fix (the pre-fix digest is the backup's own "digest"). */
#ifndef VNL_WRITE_PVE_API_H
#define VNL_WRITE_PVE_API_H

#include <stdbool.h>
#include <stddef.h>

#include "finding.h"
#include "model.h"
#include "source/pve_api.h"
#include "util.h"
#include "write/backup.h"
#include "write/file_fix.h"

struct wr_journal;

struct api_nic {
	const char *key;   /* netN */
	const char *value; /* as scanned */
};

struct api_fix {
	struct pve_api *api;
	const char *endpoint; /* --pve URL, kept in the backup for restore */
	const char *origin;   /* the VM's config URL (pve://.../config) */
	const char *node, *vmid, *name;
	const char *digest;   /* as scanned */
	const char *lock;     /* as scanned (`lock:`), NULL when none */
	int running;
	const struct api_nic *nics;
	size_t nnics;
	const struct vnl_edit *edits;
	size_t nedits;
	const char *backup_dir;
	struct wr_journal *journal; /* the run's (write/journal.h); NULL: none */
};

struct api_fix_out {
	struct strbuf old_text, new_text; /* "netN: value" lines, for a diff */
	char *backup;
	struct vnl_vm *after;  /* the VM read back (config and pending), for a rescan */
	size_t npending;       /* NICs whose change waits in [PENDING] */
	size_t nlive;          /* NICs whose change is in force */
	bool hotplug_failed;   /* PVE wrote it to [PENDING] but the hot-plug failed */
};

void api_fix_out_release(struct api_fix_out *o);

/* The netN lines before and after, from the scanned values; no request. */
int api_fix_preview(const struct api_fix *f, struct api_fix_out *o, struct vnl_err *err);
/* 0 written; 1 nothing to change; -1 with err (a conflict says "changed
 * since the scan"). */
int api_fix_apply(const struct api_fix *f, struct api_fix_out *o, struct vnl_err *err);

enum restore_result api_restore(struct pve_api *api, const struct backup_info *b,
				const char *data, size_t len, bool force, const char *backup_dir,
				char **note, struct vnl_err *err);

#endif
