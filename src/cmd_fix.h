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

typedef struct pve_api *vnl_open_api_fn(const struct vnl_cli *cli, const char *endpoint);

/* vmnetlint restore BACKUP... and vmnetlint backups (cmd_restore.c). */
int vnl_cmd_restore(struct vnl_cli *cli, vnl_open_api_fn *open_api);
int vnl_cmd_backups(struct vnl_cli *cli);

#endif
