/* The bridge between a fix plan (src/fix.h) and the writer of each source:
 * Proxmox and libvirt files (file_fix.h), libvirt live (libvirt_live.h),
 * the PVE API (pve_api.h). Library code: results go into the plan. */
#ifndef VNL_WRITE_APPLY_H
#define VNL_WRITE_APPLY_H

#include "fix.h"

/* old_text/new_text of v, or its status FIX_NOTHING / FIX_FAILED. */
void wr_preview(struct vnl_fix *fx, struct fix_vm *v);
/* Write it: FIX_DONE (backup, effect, after) or FIX_FAILED (error). */
void wr_apply(struct vnl_fix *fx, struct fix_vm *v);
/* Every planned file (Proxmox config, domain XML), WR_FILE_WORKERS at a
 * time: each one's fsyncs wait on the disk, and the file system commits
 * those of several files together (bench/bench_fix.sh: about 12x faster
 * than one at a time). Each file keeps its own lock and order of steps. */
void wr_apply_files(struct vnl_fix *fx);
/* Close the libvirt connections the plan opened. */
void wr_close_conns(struct vnl_fix *fx);

#endif
