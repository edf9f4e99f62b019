/* Fixing a domain through a live libvirt connection (research/libvirt.md
 * 3.4, 3.5, 3.7, 7): the persistent definition is fetched with
 * VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE on a read-write
 * connection (without SECURE a redefine erases passwords) and kept as the
 * backup, edited as text (write/libvirt_xml.h), defined again with
 * VIR_DOMAIN_DEFINE_VALIDATE, then read back: libvirt silently drops some
 * values, so the edit must be there, or the old definition is put back. A
 * running guest keeps its NICs until a cold restart (libvirt.md 1.3).
 *
 * test:///FILE connections are private per open and never written back
 * (3.7): everything here works inside the connection it is given. */
#ifndef VNL_WRITE_LIBVIRT_LIVE_H
#define VNL_WRITE_LIBVIRT_LIVE_H

#include <stdbool.h>
#include <stddef.h>

#include <libvirt/libvirt.h>

#include "finding.h"
#include "util.h"
#include "write/backup.h"
#include "write/file_fix.h"

struct wr_journal;

struct live_fix {
	const char *uri;
	const char *name;      /* the domain */
	const char *uuid;      /* as scanned; NULL: not compared */
	const char *signature; /* wr_vm_signature at scan time; NULL: not compared */
	const struct vnl_edit *edits;
	size_t nedits;
	const char *backup_dir;
	struct wr_journal *journal; /* the run's (write/journal.h); NULL: none */
};

struct live_fix_out {
	struct strbuf old_text, new_text; /* the definition without secrets, for a diff */
	char *backup;                     /* the backup's metadata file */
	char *readback;                   /* the definition after the define (no secrets) */
	int running;                      /* 1, 0, -1 unknown */
};

void live_fix_out_release(struct live_fix_out *o);

/* Open uri (read-write, or read-only for a preview); libvirt prints
 * nothing (research/libvirt.md 3.6). NULL with err. */
virConnectPtr live_open(const char *uri, bool read_only, struct vnl_err *err);

/* old_text/new_text of the fix, changing nothing (works read-only). 0; 1
 * nothing to change; -1 with err. */
int live_fix_preview(virConnectPtr conn, const struct live_fix *f, struct live_fix_out *o,
		     struct vnl_err *err);
/* Apply it: 0 defined and verified; 1 nothing to change; -1 with err (the
 * definition is as before). */
int live_fix_apply(virConnectPtr conn, const struct live_fix *f, struct live_fix_out *o,
		   struct vnl_err *err);

/* Put a libvirt-live backup back (its metadata names the domain). */
enum restore_result live_restore(virConnectPtr conn, const struct backup_info *b,
				 const char *data, bool force, const char *backup_dir,
				 char **note, struct vnl_err *err);

#endif
