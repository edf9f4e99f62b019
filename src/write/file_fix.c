#include "config.h"

#include "write/file_fix.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "write/digest.h"
#include "write/fileio.h"
#include "write/journal.h"
#include "write/libvirt_xml.h"
#include "write/pve_text.h"

void file_fix_out_release(struct file_fix_out *o)
{
	strbuf_release(&o->old_text);
	strbuf_release(&o->new_text);
	free(o->backup);
	o->backup = NULL;
}

static bool is_pve(enum vnl_source_kind kind)
{
	return kind == VNL_SRC_PVE_FILE;
}

static char *lock_path(enum vnl_source_kind kind, const char *lock_dir, const char *real)
{
	char sha[VNL_SHA1_HEX_LEN + 1];

	if (is_pve(kind))
		return pve_file_lock_path(lock_dir ? lock_dir : PVE_LOCK_DIR, real);
	/* libvirt has no lock convention for its files: one of ours per file */
	vnl_sha1_hex(real, strlen(real), sha);
	return xasprintf("%s/xml-%.16s.lock", lock_dir ? lock_dir : XML_LOCK_DIR, sha);
}

static int rewrite(enum vnl_source_kind kind, const struct strbuf *text,
		   const struct vnl_edit *edits, size_t n, struct strbuf *out, struct vnl_err *err)
{
	if (is_pve(kind))
		return pve_conf_rewrite(text->buf, text->len, edits, n, out, err);
	return lv_xml_rewrite(text->buf, text->len, edits, n, out, err);
}

/* The file as it is now, checked against the scan, and its new text.
 * 0 with o->new_text; 1 nothing to change; -1 with err. */
static int prepare(const struct file_fix *f, const char *real, struct stat *st,
		   struct file_fix_out *o, struct vnl_err *err)
{
	char sha[VNL_SHA1_HEX_LEN + 1];
	int rc = wr_read_file(real, &o->old_text, st, err);

	if (rc == 1)
		return vnl_fail(err, "%s: the file is gone since the scan; not fixed", f->path);
	if (rc < 0)
		return -1;
	vnl_sha1_hex(o->old_text.buf, o->old_text.len, sha);
	if (!f->digest || strcmp(sha, f->digest))
		return vnl_fail(err, "%s: changed since the scan (SHA-1 %.12s, scanned %.12s); not "
				"fixed: scan again", f->path, sha, f->digest ? f->digest : "unknown");
	if (st->st_nlink > 1)
		return vnl_fail(err, "%s: has %lu hard links, which replacing it would split; not "
				"fixed", f->path, (unsigned long)st->st_nlink);
	if (rewrite(f->kind, &o->old_text, f->edits, f->nedits, &o->new_text, err) < 0)
		return -1;
	if (o->new_text.len == o->old_text.len &&
	    !memcmp(o->new_text.buf, o->old_text.buf, o->old_text.len))
		return 1;
	return 0;
}

static int resolve(const struct file_fix *f, char *real, bool *pmxcfs, struct vnl_err *err)
{
	if (!realpath(f->path, real))
		return vnl_fail(err, "%s: %s; not fixed", f->path, strerror(errno));
	return pve_file_pmxcfs(real, pmxcfs, err);
}

int file_fix_preview(const struct file_fix *f, struct file_fix_out *o, struct vnl_err *err)
{
	char real[PATH_MAX];
	struct stat st;
	bool pmxcfs;

	if (resolve(f, real, &pmxcfs, err) < 0)
		return -1;
	return prepare(f, real, &st, o, err);
}

static void describe_edits(struct backup_info *b, const struct vnl_edit *edits, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		char *d = vnl_edit_describe(&edits[i]);
		backup_info_add(&b->edits, &b->nedits, d);
		free(d);
		for (k = 0; k < b->nkeys && strcmp(b->keys[k], edits[i].nic_key); k++)
			;
		if (k == b->nkeys)
			backup_info_add(&b->keys, &b->nkeys, edits[i].nic_key);
	}
}

static void fill_backup(struct backup_info *b, const struct file_fix *f, const char *real,
			const struct stat *st, const struct strbuf *new_text)
{
	char sha[VNL_SHA1_HEX_LEN + 1];

	backup_info_init(b);
	b->source = xstrdup(vnl_source_kind_name(f->kind));
	b->origin = xstrdup(real);
	b->vm_id = f->vm_id ? xstrdup(f->vm_id) : NULL;
	b->vm_name = f->vm_name ? xstrdup(f->vm_name) : NULL;
	b->node = f->node ? xstrdup(f->node) : NULL;
	b->run = f->journal ? xstrdup(wr_journal_run(f->journal)) : NULL;
	/* known before the write: a crash between the rename and any later
	 * step still leaves a backup that restore can judge (backup.h) */
	vnl_sha1_hex(new_text->buf, new_text->len, sha);
	b->post_sha1 = xstrdup(sha);
	b->mode = st->st_mode & 07777;
	b->uid = st->st_uid;
	b->gid = st->st_gid;
	describe_edits(b, f->edits, f->nedits);
}

/* Under the lock: check, back up, replace. */
static int apply_locked(const struct file_fix *f, const char *real, bool pmxcfs,
			struct file_fix_out *o, struct vnl_err *err)
{
	struct wr_replace how = { pmxcfs, NULL };
	struct backup_info b;
	struct stat st;
	int rc = prepare(f, real, &st, o, err);

	if (rc != 0)
		return rc;
	fill_backup(&b, f, real, &st, &o->new_text);
	/* the journal names the VM before its file changes (journal.h) */
	if (backup_save(f->backup_dir, &b, o->old_text.buf, o->old_text.len, err) < 0 ||
	    wr_journal_begin(f->journal, &b, f->effect, err) < 0) {
		backup_info_release(&b);
		return -1;
	}
	how.keep = &st;
	rc = wr_replace_file(real, o->new_text.buf, o->new_text.len, &how, err);
	if (rc == 0)
		o->backup = xstrdup(b.meta_path);
	backup_info_release(&b);
	return rc;
}

int file_fix_apply(const struct file_fix *f, struct file_fix_out *o, struct vnl_err *err)
{
	const char *dir = f->lock_dir ? f->lock_dir : is_pve(f->kind) ? PVE_LOCK_DIR : XML_LOCK_DIR;
	char real[PATH_MAX], *lock;
	bool pmxcfs;
	int fd, rc;

	if (resolve(f, real, &pmxcfs, err) < 0)
		return -1;
	if (wr_mkdirs(dir, 0755, err) < 0)
		return -1;
	wr_test_pause();
	lock = lock_path(f->kind, f->lock_dir, real);
	fd = wr_lock(lock, -1, err);
	free(lock);
	if (fd < 0)
		return -1;
	rc = apply_locked(f, real, pmxcfs, o, err);
	wr_unlock(fd);
	return rc;
}

/* ---- restore ---------------------------------------------------------------------------- */

static bool is_pve_source(const struct backup_info *b)
{
	return !strcmp(b->source, "pve-file");
}

const char *file_backup_state(const struct backup_info *b)
{
	struct strbuf cur = STRBUF_INIT;
	struct vnl_err err;
	char sha[VNL_SHA1_HEX_LEN + 1];
	int rc = wr_read_file(b->origin, &cur, NULL, &err);
	const char *state;

	if (rc == 1)
		state = "missing (restore --force recreates it)";
	else if (rc < 0)
		state = "unreadable";
	else {
		vnl_sha1_hex(cur.buf, cur.len, sha);
		state = !strcmp(sha, b->pre_sha1) ? "already as backed up"
			: b->post_sha1 && !strcmp(sha, b->post_sha1) ? "restorable"
			: "changed since the fix (restore --force)";
	}
	strbuf_release(&cur);
	return state;
}

/* Keep what --force overrides: the current content as a new backup. */
static int save_overridden(const struct backup_info *b, const struct strbuf *cur,
			   const char *backup_dir, char **note, struct vnl_err *err)
{
	struct backup_info k;
	int rc;

	backup_info_init(&k);
	k.source = xstrdup(b->source);
	k.origin = xstrdup(b->origin);
	k.vm_id = b->vm_id ? xstrdup(b->vm_id) : NULL;
	k.vm_name = b->vm_name ? xstrdup(b->vm_name) : NULL;
	k.post_sha1 = xstrdup(b->pre_sha1);
	backup_info_add(&k.edits, &k.nedits, "restore --force of an older backup");
	rc = backup_save(backup_dir, &k, cur->buf, cur->len, err);
	if (rc == 0)
		*note = xasprintf("the content it replaced is saved as %s", k.meta_path);
	backup_info_release(&k);
	return rc;
}

static enum restore_result restore_locked(const struct backup_info *b, const char *data,
					  size_t len, bool force, bool pmxcfs,
					  const char *backup_dir, char **note, struct vnl_err *err)
{
	struct strbuf cur = STRBUF_INIT;
	struct wr_replace how = { pmxcfs, NULL };
	struct stat st;
	char sha[VNL_SHA1_HEX_LEN + 1];
	int rc = wr_read_file(b->origin, &cur, &st, err);
	enum restore_result res = RESTORE_FAILED;

	if (rc < 0)
		goto out;
	if (rc == 0) {
		vnl_sha1_hex(cur.buf, cur.len, sha);
		how.keep = &st;
	} else {
		/* gone: recreate it as it was */
		memset(&st, 0, sizeof(st));
		st.st_mode = b->mode >= 0 ? (mode_t)b->mode : 0640;
		st.st_uid = b->uid >= 0 ? (uid_t)b->uid : geteuid();
		st.st_gid = b->gid >= 0 ? (gid_t)b->gid : getegid();
		how.keep = &st;
	}
	if (rc == 0 && !strcmp(sha, b->pre_sha1)) {
		res = RESTORE_ALREADY;
		goto out;
	}
	if (rc == 1 || !b->post_sha1 || strcmp(sha, b->post_sha1)) {
		if (!force) {
			vnl_fail(err, "%s %s since the fix; not restored (--force restores anyway, "
				 "keeping the current content as a backup)", b->origin,
				 rc == 1 ? "is gone" : "changed");
			res = RESTORE_REFUSED;
			goto out;
		}
		if (rc == 0 && save_overridden(b, &cur, backup_dir, note, err) < 0)
			goto out;
	}
	if (wr_replace_file(b->origin, data, len, &how, err) == 0)
		res = RESTORE_DONE;
out:
	strbuf_release(&cur);
	return res;
}

enum restore_result file_restore(const struct backup_info *b, const char *data, size_t len,
				 bool force, const char *lock_dir, const char *backup_dir,
				 char **note, struct vnl_err *err)
{
	enum vnl_source_kind kind = is_pve_source(b) ? VNL_SRC_PVE_FILE : VNL_SRC_LIBVIRT_XML;
	const char *dir = lock_dir ? lock_dir : is_pve(kind) ? PVE_LOCK_DIR : XML_LOCK_DIR;
	char *lock;
	bool pmxcfs;
	int fd;
	enum restore_result res;

	*note = NULL;
	if (b->origin[0] != '/')
		return vnl_fail(err, "%s: the origin '%s' is not an absolute path", b->meta_path,
				b->origin), RESTORE_FAILED;
	if (pve_file_pmxcfs(b->origin, &pmxcfs, err) < 0 || wr_mkdirs(dir, 0755, err) < 0)
		return RESTORE_FAILED;
	lock = lock_path(kind, lock_dir, b->origin);
	fd = wr_lock(lock, -1, err);
	free(lock);
	if (fd < 0)
		return RESTORE_FAILED;
	res = restore_locked(b, data, len, force, pmxcfs, backup_dir, note, err);
	wr_unlock(fd);
	return res;
}
