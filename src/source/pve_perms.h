/* A PVE API token's effective privileges, as GET /access/permissions
 * returns them: {path: {privilege: propagate}} (research/proxmox.md 5.7),
 * and the privileges vmnetlint uses. No HTTP in here. */
#ifndef VNL_PVE_PERMS_H
#define VNL_PVE_PERMS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "util.h"

struct pve_perms;

/* From the answer's data (an object of path -> object of privilege ->
 * 1/0). NULL with err when it is not of that shape. */
struct pve_perms *pve_perms_from_json(json_t *data, struct vnl_err *err);
void pve_perms_free(struct pve_perms *p);

enum pve_perm_state {
	PVE_PERM_NO,     /* neither at path nor above it, nor below */
	PVE_PERM_BELOW,  /* only on some paths below (e.g. /vms/101): partly */
	PVE_PERM_YES,    /* at path, or inherited from above it */
};
/* Has the token priv on path? An entry for path itself counts whatever its
 * value; one for a parent path only when it propagates (value != 0). With
 * BELOW, the paths that have it are appended to below (", "-separated). */
enum pve_perm_state pve_perms_check(const struct pve_perms *p, const char *path,
				    const char *priv, struct strbuf *below);

/* What vmnetlint reads or writes with a privilege. */
struct pve_priv_use {
	const char *privs; /* "VM.Audit", or alternatives "A|B|C" */
	const char *path;
	bool for_fix;      /* only --fix and restore need it */
	const char *reads; /* what it gives */
	const char *without; /* what a scan lacks without it */
};
extern const struct pve_priv_use pve_priv_uses[];
extern const size_t pve_priv_use_count;

#endif
