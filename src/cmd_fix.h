/* The command layer of `scan --fix`, `scan --diff`, `restore` and
 * `backups`: what is printed, the prompt, the exit codes. The plan and the
 * writers are library code (fix.h, write/). */
#ifndef VNL_CMD_FIX_H
#define VNL_CMD_FIX_H

#include "cli.h"
#include "fix.h"
#include "output.h"
#include "scan.h"

struct pve_api;

/* With --fix or --diff and no --format/--output, the report of the scan
 * itself is not printed: stdout carries the diff, or the fix's results. */
void vnl_cmd_fix_output(const struct vnl_cli *cli, struct vnl_output_options *o);

/* Usage checks of the fix options (--vm without --fix, ...): 0 or an exit code. */
int vnl_cmd_fix_check(const struct vnl_cli *cli);

/* Before the scan reads anything: NULL without --fix/--diff. */
struct vnl_fix *vnl_cmd_fix_begin(const struct vnl_cli *cli, struct vnl_scan *scan,
				  struct pve_api *api, const char *endpoint);
/* After the scan finished: preview, show, confirm, apply, rescan, report.
 * Frees fx. Returns the exit code (scan_rc is the scan's own). */
int vnl_cmd_fix_end(struct vnl_fix *fx, const struct vnl_cli *cli, struct vnl_scan *scan,
		    int scan_rc);

/* The journal of --fix runs (cmd_journal.c, write/journal.h). */
struct wr_journal;
/* Before the scan reads anything: every interrupted run in the backup
 * store as a note (reported first), and the stale temp files of the store;
 * with --fix the scan keeps the stale temp files it sees for removal. */
void vnl_cmd_journal_notes(const struct vnl_cli *cli, struct vnl_scan *scan);
/* For backups: each interrupted run (of --run ID only, when given). */
void vnl_cmd_journal_print(const struct vnl_cli *cli, FILE *out);
/* --fix, once confirmed: remove the stale temp files the scan saw, those
 * next to the files of interrupted runs and those of the store. -1 when
 * one could not be removed (reported). */
int vnl_cmd_journal_clean(const struct vnl_cli *cli, struct vnl_scan *scan);
/* The run's journal, or NULL after printing why (nothing may change then). */
struct wr_journal *vnl_cmd_journal_open(const struct vnl_cli *cli, size_t planned);
/* Mark it finished, and acknowledge the interrupted runs before it. */
int vnl_cmd_journal_close(const struct vnl_cli *cli, struct wr_journal *j);
/* restore --run ID went through: acknowledge ID. 1 when its journal was found. */
int vnl_cmd_journal_restored(const struct vnl_cli *cli, const char *run);

typedef struct pve_api *vnl_open_api_fn(const struct vnl_cli *cli, const char *endpoint);

/* vmnetlint restore BACKUP... and vmnetlint backups (cmd_restore.c). */
int vnl_cmd_restore(struct vnl_cli *cli, vnl_open_api_fn *open_api);
int vnl_cmd_backups(struct vnl_cli *cli);

#endif
