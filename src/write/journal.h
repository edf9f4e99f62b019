/* The journal of a --fix run, next to the backups: which VMs it is about
 * to change and which it changed, so an interrupted run (SIGKILL, a power
 * cut) can be found, explained and undone as a whole.
 *
 * One file per run, <backup dir>/run-<ID>.journal (0600), JSON Lines: one
 * JSON object per line, appended with O_APPEND and fsynced before the run
 * goes on. The run ID is the UTC start time and the PID:
 * 20261208T002249Z-15422.
 *
 *   {"journal":1,"run":ID,"started":T,"pid":N,"planned":N}  first line
 *   {"event":"begin",...}     a VM's backup is saved; its change comes next
 *   {"event":"changed",...}   after the rename (define, PUT): it changed
 *   {"event":"finished"}      the run came to its end
 *   {"event":"acknowledged","by":WHAT}
 *                             a later completed --fix reported it, or
 *                             restore --run put it back: no longer reported
 *
 * A VM with "begin" but no "changed" is in doubt: the kill came between
 * the two. For files the content settles it (post_sha1: changed, pre_sha1:
 * not); for the PVE API and libvirt live the journal cannot tell, and says
 * so. A last line cut short by the kill is ignored. */
#ifndef VNL_WRITE_JOURNAL_H
#define VNL_WRITE_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"
#include "write/backup.h"

#define JOURNAL_PREFIX "run-"
#define JOURNAL_EXT ".journal"

/* ---- writing (one open journal per --fix run; thread-safe) ---------------- */

struct wr_journal;

/* Create the run's journal in dir (created 0700 when missing), holding
 * its first line, fsynced with the directory. NULL with err. */
struct wr_journal *wr_journal_open(const char *dir, size_t planned, struct vnl_err *err);
const char *wr_journal_run(const struct wr_journal *j);
const char *wr_journal_path(const struct wr_journal *j);
/* b (saved, so meta_path is set) is about to be applied. effect: how the
 * change will take effect when that is known before (files), else NULL.
 * j NULL: 0. */
int wr_journal_begin(struct wr_journal *j, const struct backup_info *b, const char *effect,
		     struct vnl_err *err);
/* The VM of this backup changed; effect is a word for the report
 * ("cold-start", "restart", "next-start", "live", "template", "reload"). */
int wr_journal_changed(struct wr_journal *j, const char *label, const char *origin,
		       const char *backup, const char *effect, struct vnl_err *err);
/* Write "finished" and close; frees j (NULL: 0). */
int wr_journal_finish(struct wr_journal *j, struct vnl_err *err);
/* Close without "finished" (tests; a run that could not start). */
void wr_journal_abandon(struct wr_journal *j);
/* Append "acknowledged" to the journal at path. */
int wr_journal_acknowledge(const char *path, const char *by, struct vnl_err *err);

/* ---- reading ------------------------------------------------------------- */

enum journal_state {
	JOURNAL_CHANGED,  /* "changed", or the file holds what the fix wrote */
	JOURNAL_NOT,      /* the file holds its backup: the kill came before the rename */
	JOURNAL_IN_DOUBT, /* the journal cannot tell (API, libvirt live, file changed since) */
};

struct journal_vm {
	char *label, *source, *origin, *backup, *pre_sha1, *post_sha1, *effect;
	bool changed; /* a "changed" line */
};

struct journal_run {
	char *path, *run, *started;
	long long pid, planned;
	bool finished;
	char *acknowledged; /* by what, NULL when not */
	struct journal_vm *vms;
	size_t n;
};

void journal_run_release(struct journal_run *r);
/* Parse a journal's text; path names it in errors. 0, or -1 with err
 * (not a journal). Lines that are not JSON objects are skipped. */
int journal_parse(const char *path, const char *text, size_t len, struct journal_run *r,
		  struct vnl_err *err);
/* Every journal in dir, oldest first; unreadable ones are counted in *bad. */
int journal_list(const char *dir, struct journal_run **out, size_t *n, size_t *bad,
		 struct vnl_err *err);
void journal_list_free(struct journal_run *runs, size_t n);
/* Should the run be reported: not finished and not acknowledged. */
bool journal_interrupted(const struct journal_run *r);
/* The state of a VM of the run (reads the file of a file source). */
enum journal_state journal_vm_state(const struct journal_vm *v);
/* Does the VM need a cold start (or a reload) before its change is in force? */
bool journal_vm_needs_restart(const struct journal_vm *v);

/* The report of an interrupted run, several lines ending in '\n': "an
 * earlier --fix (run ID, started T) was interrupted: 67 VMs changed, 133
 * not; these need a cold start: ...". */
void journal_describe(const struct journal_run *r, struct strbuf *out);

#endif
