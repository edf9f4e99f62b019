/* The journal of a --fix run: see journal.h. */
#include "config.h"

#include "write/journal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "write/digest.h"
#include "write/fileio.h"

struct wr_journal {
	int fd;
	char *run, *path;
	pthread_mutex_t mu;
};

const char *wr_journal_run(const struct wr_journal *j)
{
	return j ? j->run : NULL;
}

const char *wr_journal_path(const struct wr_journal *j)
{
	return j ? j->path : NULL;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* One line, appended in one write(2) and fsynced: the writers run in
 * parallel threads (write/apply.c), so the line is written under the
 * mutex; the fsync need not be. */
static int append_line(int fd, pthread_mutex_t *mu, const char *path, json_t *o,
		       struct vnl_err *err)
{
	char *dump = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	char *line = xasprintf("%s\n", dump ? dump : "{}");
	int rc = 0;

	json_decref(o);
	free(dump);
	if (mu)
		pthread_mutex_lock(mu);
	if (wr_write_all(fd, line, strlen(line)) < 0)
		rc = vnl_fail(err, "%s: cannot write the journal: %s", path, strerror(errno));
	if (mu)
		pthread_mutex_unlock(mu);
	if (rc == 0 && fdatasync(fd) < 0 && errno != EINVAL)
		rc = vnl_fail(err, "%s: cannot fsync the journal: %s", path, strerror(errno));
	free(line);
	return rc;
}

static int create_file(const char *dir, struct wr_journal *j, struct vnl_err *err)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int i;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (i = 0; i < 100; i++) {
		j->run = i ? xasprintf("%s-%ld-%d", stamp, (long)getpid(), i)
			   : xasprintf("%s-%ld", stamp, (long)getpid());
		j->path = xasprintf("%s/" JOURNAL_PREFIX "%s" JOURNAL_EXT, dir, j->run);
		j->fd = open(j->path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
			     0600);
		if (j->fd >= 0 || errno != EEXIST)
			break;
		free(j->run);
		free(j->path);
		j->run = j->path = NULL;
	}
	if (j->fd < 0)
		return vnl_fail(err, "%s: cannot create the journal: %s", j->path ? j->path : dir,
				strerror(errno));
	return 0;
}

static void journal_free(struct wr_journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	pthread_mutex_destroy(&j->mu);
	free(j->run);
	free(j->path);
	free(j);
}

struct wr_journal *wr_journal_open(const char *dir, size_t planned, struct vnl_err *err)
{
	struct wr_journal *j = xcalloc(1, sizeof(*j));
	char iso[32];
	time_t now = time(NULL);
	struct tm tm;
	json_t *o;

	j->fd = -1;
	pthread_mutex_init(&j->mu, NULL);
	if (wr_mkdirs(dir, 0700, err) < 0 || create_file(dir, j, err) < 0) {
		journal_free(j);
		return NULL;
	}
	gmtime_r(&now, &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	o = json_object();
	json_object_set_new(o, "journal", json_integer(1));
	json_object_set_new(o, "tool", json_string("vmnetlint"));
	json_object_set_new(o, "run", json_string(j->run));
	json_object_set_new(o, "started", json_string(iso));
	json_object_set_new(o, "pid", json_integer((json_int_t)getpid()));
	json_object_set_new(o, "planned", json_integer((json_int_t)planned));
	if (append_line(j->fd, NULL, j->path, o, err) < 0 || wr_fsync_dir(dir, err) < 0) {
		unlink(j->path);
		journal_free(j);
		return NULL;
	}
	return j;
}

int wr_journal_begin(struct wr_journal *j, const struct backup_info *b, const char *effect,
		     struct vnl_err *err)
{
	const char *id = b->vm_id ? b->vm_id : b->vm_name;
	char *label;
	json_t *o;

	if (!j)
		return 0;
	/* as the fix's report names it (vnl_vm_label) */
	label = b->vm_id && b->vm_name && strcmp(b->vm_id, b->vm_name)
			? xasprintf("VM %s (%s)", b->vm_id, b->vm_name)
			: xasprintf("VM %s", id ? id : "?");
	o = json_object();
	json_object_set_new(o, "event", json_string("begin"));
	json_object_set_new(o, "vm", json_string(label));
	free(label);
	json_object_set_new(o, "source", str_or_null(b->source));
	json_object_set_new(o, "origin", str_or_null(b->origin));
	json_object_set_new(o, "backup", str_or_null(b->meta_path));
	json_object_set_new(o, "pre_sha1", str_or_null(b->pre_sha1));
	json_object_set_new(o, "post_sha1", str_or_null(b->post_sha1));
	if (effect)
		json_object_set_new(o, "effect", json_string(effect));
	return append_line(j->fd, &j->mu, j->path, o, err);
}

int wr_journal_changed(struct wr_journal *j, const char *label, const char *origin,
		       const char *backup, const char *effect, struct vnl_err *err)
{
	json_t *o;

	if (!j)
		return 0;
	o = json_object();
	json_object_set_new(o, "event", json_string("changed"));
	json_object_set_new(o, "label", str_or_null(label));
	json_object_set_new(o, "origin", str_or_null(origin));
	json_object_set_new(o, "backup", str_or_null(backup));
	json_object_set_new(o, "effect", str_or_null(effect));
	return append_line(j->fd, &j->mu, j->path, o, err);
}

int wr_journal_finish(struct wr_journal *j, struct vnl_err *err)
{
	json_t *o;
	int rc;

	if (!j)
		return 0;
	o = json_object();
	json_object_set_new(o, "event", json_string("finished"));
	rc = append_line(j->fd, &j->mu, j->path, o, err);
	journal_free(j);
	return rc;
}

void wr_journal_abandon(struct wr_journal *j)
{
	if (j)
		journal_free(j);
}

int wr_journal_acknowledge(const char *path, const char *by, struct vnl_err *err)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	json_t *o;
	int rc;

	if (fd < 0)
		return vnl_fail(err, "%s: cannot open the journal: %s", path, strerror(errno));
	o = json_object();
	json_object_set_new(o, "event", json_string("acknowledged"));
	json_object_set_new(o, "by", json_string(by));
	rc = append_line(fd, NULL, path, o, err);
	close(fd);
	return rc;
}

/* ---- reading ------------------------------------------------------------------ */

static void vm_release(struct journal_vm *v)
{
	char **strs[] = { &v->label, &v->source, &v->origin, &v->backup, &v->pre_sha1,
			  &v->post_sha1, &v->effect };
	size_t i;
	for (i = 0; i < VNL_ARRAY_LEN(strs); i++)
		free(*strs[i]);
}

void journal_run_release(struct journal_run *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		vm_release(&r->vms[i]);
	free(r->vms);
	free(r->path);
	free(r->run);
	free(r->started);
	free(r->acknowledged);
	memset(r, 0, sizeof(*r));
}

static char *dup_field(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? xstrdup(s) : NULL;
}

static void set_field(char **dst, json_t *o, const char *key)
{
	char *s = dup_field(o, key);
	if (s) {
		free(*dst);
		*dst = s;
	}
}

/* The VM of this backup (the key both lines share: "changed" names the
 * file as given, "begin" as resolved), added when it is new. */
static struct journal_vm *vm_for(struct journal_run *r, const char *origin, const char *backup,
				 size_t *cap)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct journal_vm *v = &r->vms[i];
		if (backup ? v->backup && !strcmp(v->backup, backup)
			   : !v->backup && !strcmp(v->origin, origin))
			return &r->vms[i];
	}
	vnl_grow(&r->vms, cap, r->n + 1, sizeof(*r->vms));
	memset(&r->vms[r->n], 0, sizeof(r->vms[r->n]));
	r->vms[r->n].origin = xstrdup(origin);
	r->vms[r->n].backup = backup ? xstrdup(backup) : NULL;
	return &r->vms[r->n++];
}

static void take_event(struct journal_run *r, json_t *o, size_t *cap)
{
	const char *ev = json_string_value(json_object_get(o, "event"));
	const char *origin = json_string_value(json_object_get(o, "origin"));
	struct journal_vm *v;

	if (!ev)
		return;
	if (!strcmp(ev, "finished")) {
		r->finished = true;
		return;
	}
	if (!strcmp(ev, "acknowledged")) {
		free(r->acknowledged);
		r->acknowledged = dup_field(o, "by");
		if (!r->acknowledged)
			r->acknowledged = xstrdup("?");
		return;
	}
	if (!origin || (strcmp(ev, "begin") && strcmp(ev, "changed")))
		return;
	v = vm_for(r, origin, json_string_value(json_object_get(o, "backup")), cap);
	if (!strcmp(ev, "begin")) {
		set_field(&v->origin, o, "origin"); /* resolved: the one to read */
		set_field(&v->label, o, "vm");
		set_field(&v->source, o, "source");
		set_field(&v->pre_sha1, o, "pre_sha1");
		set_field(&v->post_sha1, o, "post_sha1");
		set_field(&v->effect, o, "effect");
	} else {
		if (!v->label)
			set_field(&v->label, o, "label");
		set_field(&v->effect, o, "effect");
		v->changed = true;
	}
}

static int take_header(struct journal_run *r, json_t *o, const char *path, struct vnl_err *err)
{
	json_t *pid = json_object_get(o, "pid"), *planned = json_object_get(o, "planned");

	if (!json_is_object(o) || json_integer_value(json_object_get(o, "journal")) != 1 ||
	    !json_is_string(json_object_get(o, "run")))
		return vnl_fail(err, "%s: not a vmnetlint journal (its first line)", path);
	r->run = dup_field(o, "run");
	r->started = dup_field(o, "started");
	r->pid = json_is_integer(pid) ? json_integer_value(pid) : -1;
	r->planned = json_is_integer(planned) ? json_integer_value(planned) : -1;
	return 0;
}

static int by_origin(const void *x, const void *y)
{
	const struct journal_vm *a = x, *b = y;
	int c = strcmp(a->origin, b->origin);
	return c ? c : strcmp(a->backup ? a->backup : "", b->backup ? b->backup : "");
}

int journal_parse(const char *path, const char *text, size_t len, struct journal_run *r,
		  struct vnl_err *err)
{
	size_t pos = 0, cap = 0;
	bool first = true;

	memset(r, 0, sizeof(*r));
	r->path = xstrdup(path);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		json_t *o = nl ? json_loadb(text + pos, n, JSON_REJECT_DUPLICATES, NULL) : NULL;
		/* no newline: the last line was cut short, and is not used */
		if (first) {
			if (take_header(r, o, path, err) < 0) {
				json_decref(o);
				journal_run_release(r);
				return -1;
			}
			first = false;
		} else if (json_is_object(o)) {
			take_event(r, o, &cap);
		}
		json_decref(o);
		pos += n + 1;
	}
	if (first) {
		journal_run_release(r);
		return vnl_fail(err, "%s: an empty journal", path);
	}
	/* the writers run in parallel: the report lists the VMs in a stable order */
	if (r->n > 1)
		qsort(r->vms, r->n, sizeof(*r->vms), by_origin);
	return 0;
}

static int by_start(const void *x, const void *y)
{
	const struct journal_run *a = x, *b = y;
	int c = strcmp(a->started ? a->started : "", b->started ? b->started : "");
	return c ? c : strcmp(a->path, b->path);
}

static bool is_journal_name(const char *name)
{
	return !strncmp(name, JOURNAL_PREFIX, strlen(JOURNAL_PREFIX)) &&
	       str_has_suffix(name, JOURNAL_EXT);
}

int journal_list(const char *dir, struct journal_run **out, size_t *n, size_t *bad,
		 struct vnl_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0;

	*out = NULL;
	*n = *bad = 0;
	if (!d && (errno == ENOENT || errno == ENOTDIR))
		return 0;
	if (!d)
		return vnl_fail(err, "%s: cannot read: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		struct strbuf text = STRBUF_INIT;
		struct vnl_err why;
		char *path;
		if (!is_journal_name(de->d_name))
			continue;
		vnl_grow(out, &cap, *n + 1, sizeof(**out));
		path = xasprintf("%s/%s", dir, de->d_name);
		if (wr_read_file(path, &text, NULL, &why) == 0 &&
		    journal_parse(path, text.buf, text.len, &(*out)[*n], &why) == 0)
			(*n)++;
		else
			(*bad)++;
		strbuf_release(&text);
		free(path);
	}
	closedir(d);
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), by_start);
	return 0;
}

void journal_list_free(struct journal_run *runs, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		journal_run_release(&runs[i]);
	free(runs);
}

bool journal_interrupted(const struct journal_run *r)
{
	return !r->finished && !r->acknowledged;
}

static bool is_file_source(const char *s)
{
	return s && (!strcmp(s, "pve-file") || !strcmp(s, "libvirt-xml"));
}

enum journal_state journal_vm_state(const struct journal_vm *v)
{
	struct strbuf cur = STRBUF_INIT;
	char sha[VNL_SHA1_HEX_LEN + 1];
	struct vnl_err err;
	enum journal_state st = JOURNAL_IN_DOUBT;

	if (v->changed)
		return JOURNAL_CHANGED;
	if (!is_file_source(v->source) || !v->origin)
		return JOURNAL_IN_DOUBT;
	if (wr_read_file(v->origin, &cur, NULL, &err) == 0) {
		vnl_sha1_hex(cur.buf, cur.len, sha);
		if (v->post_sha1 && !strcmp(sha, v->post_sha1))
			st = JOURNAL_CHANGED;
		else if (v->pre_sha1 && !strcmp(sha, v->pre_sha1))
			st = JOURNAL_NOT;
	}
	strbuf_release(&cur);
	return st;
}

bool journal_vm_needs_restart(const struct journal_vm *v)
{
	if (v->effect)
		return !strcmp(v->effect, "cold-start") || !strcmp(v->effect, "restart") ||
		       !strcmp(v->effect, "reload");
	return true; /* settled by its content: a file, whose running state is unknown */
}

static const char *vm_name(const struct journal_vm *v)
{
	return v->label ? v->label : v->origin;
}

static void list_vms(const struct journal_run *r, const enum journal_state *st,
		     enum journal_state want, bool restart_only, struct strbuf *out)
{
	size_t i, k = 0;

	for (i = 0; i < r->n; i++) {
		if (st[i] != want || (restart_only && !journal_vm_needs_restart(&r->vms[i])))
			continue;
		strbuf_addf(out, "%s%s", k++ ? ", " : " ", vm_name(&r->vms[i]));
	}
	strbuf_addch(out, '\n');
}

void journal_describe(const struct journal_run *r, struct strbuf *out)
{
	enum journal_state *st = xcalloc(r->n + 1, sizeof(*st));
	size_t i, changed = 0, doubt = 0, restart = 0, planned;

	for (i = 0; i < r->n; i++) {
		st[i] = journal_vm_state(&r->vms[i]);
		changed += st[i] == JOURNAL_CHANGED;
		doubt += st[i] == JOURNAL_IN_DOUBT;
		restart += st[i] == JOURNAL_CHANGED && journal_vm_needs_restart(&r->vms[i]);
	}
	planned = r->planned >= 0 && (size_t)r->planned >= changed + doubt ? (size_t)r->planned
									  : changed + doubt;
	strbuf_addf(out, "an earlier --fix (run %s, started %s) was interrupted: %zu VM%s changed, "
		    "%zu not", r->run, r->started ? r->started : "?", changed,
		    changed == 1 ? "" : "s", planned - changed - doubt);
	if (doubt)
		strbuf_addf(out, ", %zu in doubt", doubt);
	strbuf_addf(out, " (journal %s)\n", r->path);
	if (restart) {
		strbuf_addf(out, "  these need a cold start (shut down, then start):");
		list_vms(r, st, JOURNAL_CHANGED, true, out);
	}
	if (doubt) {
		strbuf_adds(out, "  in doubt (the kill came between the change and its record):");
		list_vms(r, st, JOURNAL_IN_DOUBT, false, out);
	}
	strbuf_addf(out, "  'vmnetlint backups --run %s' lists its backups; 'vmnetlint restore "
		    "--run %s' undoes it; the next completed --fix stops this report\n", r->run,
		    r->run);
	free(st);
}
