/* Fixing a definition file: a Proxmox qm config (pve_file.c: pmxcfs rules,
 * qemu-server's lock) or a libvirt domain XML file, with the same steps:
 *
 *   lock -> re-read -> same SHA-1 as at scan time? -> rewrite + verify ->
 *   backup (fsynced) -> temp file, fsync, rename, fsync directory.
 *
 * A file that changed since the scan, a locked VM, a file with several hard
 * links or a VM of another node inside /etc/pve is refused, untouched. */
#ifndef VNL_WRITE_FILE_FIX_H
#define VNL_WRITE_FILE_FIX_H

#include <stdbool.h>
#include <stddef.h>

#include "finding.h"
#include "model.h"
#include "util.h"
#include "write/backup.h"

#define PVE_LOCK_DIR "/var/lock/qemu-server"  /* research/proxmox.md 4.2 */
#define XML_LOCK_DIR "/var/lock/vmnetlint"
#define PVE_PMXCFS_ROOT "/etc/pve"

struct wr_journal;

struct file_fix {
	enum vnl_source_kind kind; /* VNL_SRC_PVE_FILE or VNL_SRC_LIBVIRT_XML */
	const char *path;          /* as scanned */
	const char *digest;        /* SHA-1 of the file as scanned */
	const char *vm_id, *vm_name, *node;
	const struct vnl_edit *edits;
	size_t nedits;
	const char *backup_dir;
	const char *lock_dir; /* NULL: PVE_LOCK_DIR or XML_LOCK_DIR */
	struct wr_journal *journal; /* the run's (write/journal.h); NULL: none */
	const char *effect;         /* for the journal: "cold-start", "template", "reload" */
};

struct file_fix_out {
	struct strbuf old_text, new_text;
	char *backup; /* the backup's metadata file */
};

void file_fix_out_release(struct file_fix_out *o);

/* What the fix would write (old_text, new_text), changing nothing. 0; 1
 * when there is nothing to change; -1 with err. */
int file_fix_preview(const struct file_fix *f, struct file_fix_out *o, struct vnl_err *err);
/* Apply it. 0 written (o->backup set); 1 nothing to change; -1 with err
 * and the file untouched. */
int file_fix_apply(const struct file_fix *f, struct file_fix_out *o, struct vnl_err *err);

/* Restoring a file backup (data is its content). */
enum restore_result {
	RESTORE_DONE,      /* the backup is back */
	RESTORE_ALREADY,   /* the file already holds it */
	RESTORE_REFUSED,   /* changed after the fix (or gone); --force overrides */
	RESTORE_FAILED,
};
/* note (NULL when none) says where the overridden content was saved. */
enum restore_result file_restore(const struct backup_info *b, const char *data, size_t len,
				 bool force, const char *lock_dir, const char *backup_dir,
				 char **note, struct vnl_err *err);

/* Does the file hold what the backup's fix wrote? For `vmnetlint backups`:
 * "restorable", "already restored", "changed since the fix", "missing". */
const char *file_backup_state(const struct backup_info *b);

/* pve_file.c: the pmxcfs rules and qemu-server's lock. */
/* Is real (a resolved path) inside pmxcfs? When it is, only configs of
 * this node may be written: -1 with err otherwise. */
int pve_file_pmxcfs(const char *real, bool *inside, struct vnl_err *err);
/* The lock file for a config: <dir>/lock-<vmid>.conf, as qemu-server
 * names it; for a file not named <vmid>.conf, lock-<name>. */
char *pve_file_lock_path(const char *lock_dir, const char *real);

#endif
