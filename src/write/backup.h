/* The backup store, one for every source: each backup is the definition as
 * it was before a fix (a qm config, domain XML, the API's config JSON) plus
 * a small metadata file (JSON, jansson). Both are written and fsynced before
 * the original is touched. The store lives outside /etc/pve, which pmxcfs
 * replicates cluster-wide and caps at 128 MiB (research/proxmox.md 4.1).
 *
 * Names: <source>_<vm>_<UTC time>_<first 12 hex of the SHA-1>.<ext>, the
 * metadata next to it as <same>.meta.json; files 0600, the directory 0700
 * (a libvirt definition read with VIR_DOMAIN_XML_SECURE holds passwords).
 *
 * Restoring decides by content hashes: the current content equal to
 * post_sha1 (what the fix wrote) is restored; equal to pre_sha1 is already
 * the backup; anything else changed after the fix and needs --force. */
#ifndef VNL_WRITE_BACKUP_H
#define VNL_WRITE_BACKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#define BACKUP_DEFAULT_DIR "/var/backups/vmnetlint"
#define BACKUP_META_EXT ".meta.json"

struct backup_info {
	char *meta_path; /* set by backup_save / backup_load */
	char *data_path;
	char *source;   /* vnl_source_kind_name: pve-file, pve-api, libvirt-xml, libvirt-live */
	char *origin;   /* absolute file path, "URI#name", or the API config URL */
	char *uri;      /* libvirt-live: the connection URI; pve-api: the endpoint */
	char *vm_id, *vm_name, *node, *uuid; /* NULL when unknown */
	char *pre_sha1;  /* the backup's content */
	char *post_sha1; /* what the fix wrote (files: known before the write) */
	char *time;      /* ISO 8601 UTC, set by backup_save */
	char *run;       /* the --fix run that made it (write/journal.h); NULL: none */
	/* 1: the fix went through; 0: not (yet); -1: not recorded, because
	 * the hashes tell (files: post_sha1 is known before the write, and
	 * one metadata write less per VM is one fsync pair less) */
	int applied;
	char **keys;     /* the NICs the fix changed ("net0") */
	size_t nkeys;
	char **edits;    /* "remove queues from net0" */
	size_t nedits;
	long long mode, uid, gid; /* files: of the original; -1 when unknown */
};

void backup_info_init(struct backup_info *b);
void backup_info_release(struct backup_info *b);
void backup_info_add(char ***list, size_t *n, const char *s);

/* Write data and its metadata into dir (created 0700 when missing), both
 * fsynced, then the directory. Fills meta_path, data_path and time. */
int backup_save(const char *dir, struct backup_info *b, const char *data, size_t len,
		struct vnl_err *err);
/* Rewrite the metadata (post_sha1, applied) atomically. */
int backup_update(const struct backup_info *b, struct vnl_err *err);

/* A backup named by its metadata file, its data file, or either name
 * inside dir. data (may be NULL) gets the content, checked against
 * pre_sha1. */
int backup_load(const char *name, const char *dir, struct backup_info *b, struct strbuf *data,
		struct vnl_err *err);

/* Every backup in dir, oldest first; unreadable metadata files are
 * skipped and counted in *bad. A missing dir is an empty list. */
int backup_list(const char *dir, struct backup_info **out, size_t *n, size_t *bad,
		struct vnl_err *err);
/* Keep only the backups of one --fix run (run NULL: all); frees the others. */
void backup_list_filter_run(struct backup_info *list, size_t *n, const char *run);

#endif
