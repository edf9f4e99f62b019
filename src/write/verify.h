/* The check every writer makes on what it is about to write (and libvirt
 * live on what it reads back): parsed again, the VM must be the same as
 * before except for the edits, and every edit must have taken. */
#ifndef VNL_WRITE_VERIFY_H
#define VNL_WRITE_VERIFY_H

#include <stddef.h>

#include "finding.h"
#include "model.h"
#include "util.h"

/* 0 when after is before with exactly the edits applied; -1 with err
 * naming the first difference ("net0: queues is '4', expected unset"). */
int wr_verify_vm(const struct vnl_vm *before, const struct vnl_vm *after,
		 const struct vnl_edit *edits, size_t n, struct vnl_err *err);

/* The same for one NIC. */
int wr_verify_nic(const struct vnl_nic *before, const struct vnl_nic *after,
		  const struct vnl_edit *edits, size_t n, struct vnl_err *err);

/* The NIC setting an edit changes, as written (NULL: not set). */
const char *wr_edit_current(const struct vnl_nic *nic, const struct vnl_edit *e);

/* Every NIC setting of the VM (and its name, uuid, vCPUs) as one string:
 * tells whether a definition changed between the scan and the fix where
 * no digest of its text is kept (libvirt live). Free the result. */
char *wr_vm_signature(const struct vnl_vm *vm);

/* Does the NIC already hold what the edit asks for? */
bool wr_edit_done(const struct vnl_nic *nic, const struct vnl_edit *e);

#endif
