#include "config.h"

#include "write/backup.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "write/digest.h"
#include "write/fileio.h"

void backup_info_init(struct backup_info *b)
{
	memset(b, 0, sizeof(*b));
	b->mode = b->uid = b->gid = -1;
	b->applied = -1;
}

static void free_list(char **list, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void backup_info_release(struct backup_info *b)
{
	char **strs[] = { &b->meta_path, &b->data_path, &b->source, &b->origin, &b->uri,
			  &b->vm_id, &b->vm_name, &b->node, &b->uuid, &b->pre_sha1,
			  &b->post_sha1, &b->time, &b->run };
	size_t i;

	for (i = 0; i < VNL_ARRAY_LEN(strs); i++)
		free(*strs[i]);
	free_list(b->keys, b->nkeys);
	free_list(b->edits, b->nedits);
	backup_info_init(b);
}

void backup_info_add(char ***list, size_t *n, const char *s)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = xstrdup(s);
}

/* ---- metadata as JSON --------------------------------------------------------------- */

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *str_array(char **list, size_t n)
{
	json_t *a = json_array();
	size_t i;
	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(list[i]));
	return a;
}

static json_t *int_or_null(long long v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static char *meta_text(const struct backup_info *b)
{
	const char *slash = b->data_path ? strrchr(b->data_path, '/') : NULL;
	json_t *o = json_object();
	json_t *vm = json_object();
	char *dump, *text;

	json_object_set_new(vm, "id", str_or_null(b->vm_id));
	json_object_set_new(vm, "name", str_or_null(b->vm_name));
	json_object_set_new(vm, "node", str_or_null(b->node));
	json_object_set_new(vm, "uuid", str_or_null(b->uuid));
	json_object_set_new(o, "schema_version", json_integer(1));
	json_object_set_new(o, "tool", json_string("vmnetlint"));
	json_object_set_new(o, "source", str_or_null(b->source));
	json_object_set_new(o, "origin", str_or_null(b->origin));
	json_object_set_new(o, "uri", str_or_null(b->uri));
	json_object_set_new(o, "vm", vm);
	json_object_set_new(o, "backup", str_or_null(slash ? slash + 1 : b->data_path));
	json_object_set_new(o, "time", str_or_null(b->time));
	json_object_set_new(o, "run", str_or_null(b->run));
	json_object_set_new(o, "pre_sha1", str_or_null(b->pre_sha1));
	json_object_set_new(o, "post_sha1", str_or_null(b->post_sha1));
	json_object_set_new(o, "applied", b->applied < 0 ? json_null() : json_boolean(b->applied));
	json_object_set_new(o, "keys", str_array(b->keys, b->nkeys));
	json_object_set_new(o, "edits", str_array(b->edits, b->nedits));
	json_object_set_new(o, "mode", int_or_null(b->mode));
	json_object_set_new(o, "uid", int_or_null(b->uid));
	json_object_set_new(o, "gid", int_or_null(b->gid));
	dump = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	text = xasprintf("%s\n", dump);
	free(dump);
	return text;
}

static char *dup_field(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? xstrdup(s) : NULL;
}

static long long int_field(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

static void read_list(json_t *a, char ***list, size_t *n)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
		if (json_is_string(v))
			backup_info_add(list, n, json_string_value(v));
}

static int parse_meta(const char *path, const char *text, size_t len, struct backup_info *b,
		      struct vnl_err *err)
{
	json_error_t je;
	json_t *o = json_loadb(text, len, 0, &je), *vm;
	char dir[PATH_MAX];
	const char *base, *data;

	if (!o || !json_is_object(o) || json_integer_value(json_object_get(o, "schema_version")) != 1) {
		json_decref(o);
		return vnl_fail(err, "%s: not a vmnetlint backup description (schema_version 1)", path);
	}
	vm = json_object_get(o, "vm");
	b->meta_path = xstrdup(path);
	b->source = dup_field(o, "source");
	b->origin = dup_field(o, "origin");
	b->uri = dup_field(o, "uri");
	b->vm_id = dup_field(vm, "id");
	b->vm_name = dup_field(vm, "name");
	b->node = dup_field(vm, "node");
	b->uuid = dup_field(vm, "uuid");
	b->time = dup_field(o, "time");
	b->run = dup_field(o, "run");
	b->pre_sha1 = dup_field(o, "pre_sha1");
	b->post_sha1 = dup_field(o, "post_sha1");
	b->applied = json_is_boolean(json_object_get(o, "applied"))
			     ? json_is_true(json_object_get(o, "applied")) : -1;
	read_list(json_object_get(o, "keys"), &b->keys, &b->nkeys);
	read_list(json_object_get(o, "edits"), &b->edits, &b->nedits);
	b->mode = int_field(o, "mode");
	b->uid = int_field(o, "uid");
	b->gid = int_field(o, "gid");
	data = json_string_value(json_object_get(o, "backup"));
	wr_split_path(path, dir, sizeof(dir), &base);
	if (data && !strchr(data, '/'))
		b->data_path = xasprintf("%s/%s", dir, data);
	json_decref(o);
	if (!b->source || !b->origin || !b->pre_sha1 || !b->data_path)
		return vnl_fail(err, "%s: incomplete backup description", path);
	return 0;
}

/* ---- saving ------------------------------------------------------------------------------ */

/* A VM id as a file name part: [A-Za-z0-9._-], at most 64 bytes. */
static void name_part(const char *s, char *out, size_t size)
{
	size_t i;
	for (i = 0; s && s[i] && i + 1 < size && i < 64; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '.' || c == '-' || c == '_';
		out[i] = ok && !(i == 0 && c == '.') ? c : '_';
	}
	out[i] = '\0';
	if (!i)
		snprintf(out, size, "vm");
}

static const char *data_ext(const char *source)
{
	if (!strcmp(source, "pve-file"))
		return ".conf";
	if (!strcmp(source, "pve-api"))
		return ".json";
	return ".xml";
}

int backup_save(const char *dir, struct backup_info *b, const char *data, size_t len,
		struct vnl_err *err)
{
	char sha[VNL_SHA1_HEX_LEN + 1], vm[80], stamp[32], iso[32], name[256], chosen[300];
	const char *ext = data_ext(b->source);
	time_t now = time(NULL);
	struct tm tm;
	char *meta;
	int rc;

	if (wr_mkdirs(dir, 0700, err) < 0)
		return -1;
	vnl_sha1_hex(data, len, sha);
	free(b->pre_sha1);
	b->pre_sha1 = xstrdup(sha);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	free(b->time);
	b->time = xstrdup(iso);
	name_part(b->vm_id ? b->vm_id : b->vm_name, vm, sizeof(vm));
	snprintf(name, sizeof(name), "%s_%s_%s_%.12s%s", b->source, vm, stamp, sha, ext);
	if (wr_create_new(dir, name, ext, data, len, chosen, sizeof(chosen), err) < 0)
		return -1;
	free(b->data_path);
	b->data_path = xasprintf("%s/%s", dir, chosen);
	/* the metadata follows the name the data got */
	snprintf(name, sizeof(name), "%.*s" BACKUP_META_EXT, (int)(strlen(chosen) - strlen(ext)),
		 chosen);
	meta = meta_text(b);
	rc = wr_create_new(dir, name, BACKUP_META_EXT, meta, strlen(meta), chosen, sizeof(chosen), err);
	free(meta);
	if (rc < 0)
		return -1;
	free(b->meta_path);
	b->meta_path = xasprintf("%s/%s", dir, chosen);
	return wr_fsync_dir(dir, err);
}

int backup_update(const struct backup_info *b, struct vnl_err *err)
{
	struct wr_replace o = { false, NULL };
	char *meta = meta_text(b);
	int rc = wr_replace_file(b->meta_path, meta, strlen(meta), &o, err);

	free(meta);
	return rc;
}

/* ---- loading ------------------------------------------------------------------------------ */

/* NAME.meta.json for NAME.ext, NAME or NAME.meta.json. */
static char *meta_path_for(const char *name, const char *dir)
{
	char *path = strchr(name, '/') ? xstrdup(name) : xasprintf("%s/%s", dir, name);
	char *dot, *meta;
	struct stat st;

	if (str_has_suffix(path, BACKUP_META_EXT))
		return path;
	meta = xasprintf("%s" BACKUP_META_EXT, path);
	if (stat(meta, &st) == 0) {
		free(path);
		return meta;
	}
	free(meta);
	dot = strrchr(path, '.');
	if (dot && !strchr(dot, '/'))
		*dot = '\0';
	meta = xasprintf("%s" BACKUP_META_EXT, path);
	free(path);
	return meta;
}

int backup_load(const char *name, const char *dir, struct backup_info *b, struct strbuf *data,
		struct vnl_err *err)
{
	char *path = meta_path_for(name, dir);
	struct strbuf text = STRBUF_INIT;
	char sha[VNL_SHA1_HEX_LEN + 1];
	int rc = wr_read_file(path, &text, NULL, err);

	backup_info_init(b);
	if (rc == 1)
		rc = vnl_fail(err, "%s: no such backup (see 'vmnetlint backups')", name);
	if (rc == 0)
		rc = parse_meta(path, text.buf, text.len, b, err);
	free(path);
	strbuf_release(&text);
	if (rc < 0 || !data)
		return rc;
	rc = wr_read_file(b->data_path, data, NULL, err);
	if (rc == 1)
		return vnl_fail(err, "%s: the backup file %s is missing", b->meta_path, b->data_path);
	if (rc < 0)
		return -1;
	vnl_sha1_hex(data->buf, data->len, sha);
	if (strcmp(sha, b->pre_sha1))
		return vnl_fail(err, "%s: the content does not match its recorded SHA-1; not used",
				b->data_path);
	return 0;
}

static int by_time(const void *x, const void *y)
{
	const struct backup_info *a = x, *b = y;
	int c = strcmp(a->time ? a->time : "", b->time ? b->time : "");
	return c ? c : strcmp(a->meta_path, b->meta_path);
}

int backup_list(const char *dir, struct backup_info **out, size_t *n, size_t *bad,
		struct vnl_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0;

	*out = NULL;
	*n = *bad = 0;
	if (!d && errno == ENOENT)
		return 0;
	if (!d)
		return vnl_fail(err, "%s: cannot read: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		struct vnl_err why;
		char *path;
		if (de->d_name[0] == '.' || !str_has_suffix(de->d_name, BACKUP_META_EXT))
			continue;
		vnl_grow(out, &cap, *n + 1, sizeof(**out));
		path = xasprintf("%s/%s", dir, de->d_name);
		if (backup_load(path, dir, &(*out)[*n], NULL, &why) == 0)
			(*n)++;
		else {
			backup_info_release(&(*out)[*n]);
			(*bad)++;
		}
		free(path);
	}
	closedir(d);
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), by_time);
	return 0;
}

void backup_list_filter_run(struct backup_info *list, size_t *n, const char *run)
{
	size_t i, k = 0;

	if (!run)
		return;
	for (i = 0; i < *n; i++) {
		if (list[i].run && !strcmp(list[i].run, run))
			list[k++] = list[i];
		else
			backup_info_release(&list[i]);
	}
	*n = k;
}
