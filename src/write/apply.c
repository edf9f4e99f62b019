#include "config.h"

#include "write/apply.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libxml/parser.h>

#include "source/libvirt_xml.h"
#include "write/backup.h"
#include "write/file_fix.h"
#include "write/journal.h"
#include "write/libvirt_live.h"
#include "write/pve_api.h"

/* One read-only connection for previews and one read-write connection for
 * writes per URI, opened when first needed. */
struct fix_conn {
	char *uri;
	virConnectPtr ro, rw;
};

void wr_close_conns(struct vnl_fix *fx)
{
	size_t i;

	for (i = 0; i < fx->nconns; i++) {
		if (fx->conns[i].ro)
			virConnectClose(fx->conns[i].ro);
		if (fx->conns[i].rw)
			virConnectClose(fx->conns[i].rw);
		free(fx->conns[i].uri);
	}
	free(fx->conns);
	fx->conns = NULL;
	fx->nconns = 0;
}

static virConnectPtr conn_for(struct vnl_fix *fx, const char *uri, bool ro, struct vnl_err *err)
{
	struct fix_conn *c = NULL;
	virConnectPtr *slot;
	size_t i;

	for (i = 0; i < fx->nconns && !c; i++)
		if (!strcmp(fx->conns[i].uri, uri))
			c = &fx->conns[i];
	if (!c) {
		fx->conns = xrealloc(fx->conns, (fx->nconns + 1) * sizeof(*fx->conns));
		c = &fx->conns[fx->nconns++];
		memset(c, 0, sizeof(*c));
		c->uri = xstrdup(uri);
	}
	slot = ro ? &c->ro : &c->rw;
	if (!*slot)
		*slot = live_open(uri, ro, err);
	return *slot;
}

static void failed(struct fix_vm *v, const struct vnl_err *err)
{
	v->status = FIX_FAILED;
	free(v->error);
	v->error = xstrdup(err->msg);
}

static const char *backup_dir(const struct vnl_fix *fx)
{
	return fx->opt.backup_dir ? fx->opt.backup_dir : BACKUP_DEFAULT_DIR;
}

/* "URI#name" -> the URI, into buf. */
static const char *uri_of(const struct fix_vm *v, char *buf, size_t size)
{
	size_t n = strlen(v->origin), k = v->id ? strlen(v->id) : 0;

	if (k + 1 <= n && v->origin[n - k - 1] == '#')
		n -= k + 1;
	snprintf(buf, size, "%.*s", (int)n, v->origin);
	return buf;
}

/* 0 planned, 1 nothing to change, -1 failed: into v->status. */
static void outcome(struct fix_vm *v, int rc, const struct vnl_err *err)
{
	if (rc < 0)
		failed(v, err);
	else if (rc == 1)
		v->status = FIX_NOTHING;
}

static void take_texts(struct fix_vm *v, struct strbuf *old_text, struct strbuf *new_text)
{
	strbuf_release(&v->old_text);
	strbuf_release(&v->new_text);
	v->old_text = *old_text;
	v->new_text = *new_text;
	memset(old_text, 0, sizeof(*old_text));
	memset(new_text, 0, sizeof(*new_text));
}

/* ---- files ------------------------------------------------------------------------------ */

static void file_req(const struct vnl_fix *fx, const struct fix_vm *v, struct file_fix *f)
{
	memset(f, 0, sizeof(*f));
	f->kind = v->kind;
	f->path = v->origin;
	f->digest = v->digest;
	f->vm_id = v->id;
	f->vm_name = v->name;
	f->node = v->node;
	f->edits = v->edits;
	f->nedits = v->nedits;
	f->backup_dir = backup_dir(fx);
	f->lock_dir = fx->opt.lock_dir;
	f->journal = fx->journal;
	f->effect = v->kind == VNL_SRC_LIBVIRT_XML ? "reload"
		    : v->is_template ? "template" : "cold-start";
}

/* The journal's word for how a change takes effect (journal.h). */
static const char *effect_word(enum fix_effect e)
{
	switch (e) {
	case EFFECT_NEXT_COLD_START: return "cold-start";
	case EFFECT_RESTART: return "restart";
	case EFFECT_NEXT_START: return "next-start";
	case EFFECT_LIVE: return "live";
	case EFFECT_TEMPLATE: return "template";
	case EFFECT_RELOAD: return "reload";
	}
	return "cold-start";
}

/* After the change: the journal says so. A failure here leaves the VM in
 * doubt for the journal's reader, which settles files by their content. */
static void journal_changed(struct vnl_fix *fx, const struct fix_vm *v)
{
	struct vnl_err ignored;
	wr_journal_changed(fx->journal, v->label, v->origin, v->backup, effect_word(v->effect),
			   &ignored);
}

static void file_do(struct vnl_fix *fx, struct fix_vm *v, bool apply)
{
	struct file_fix f;
	struct file_fix_out o;
	struct vnl_err err;
	int rc;

	memset(&o, 0, sizeof(o));
	file_req(fx, v, &f);
	rc = apply ? file_fix_apply(&f, &o, &err) : file_fix_preview(&f, &o, &err);
	outcome(v, rc, &err);
	if (rc == 0 && apply) {
		v->status = FIX_DONE;
		v->backup = o.backup;
		o.backup = NULL;
		v->effect = v->kind == VNL_SRC_LIBVIRT_XML ? EFFECT_RELOAD
			    : v->is_template ? EFFECT_TEMPLATE : EFFECT_NEXT_COLD_START;
		journal_changed(fx, v);
	}
	if (rc == 0)
		take_texts(v, &o.old_text, &o.new_text);
	file_fix_out_release(&o);
}

/* ---- libvirt live ---------------------------------------------------------------------------- */

static void live_do(struct vnl_fix *fx, struct fix_vm *v, bool apply)
{
	char uri[4096];
	struct live_fix f = { uri_of(v, uri, sizeof(uri)), v->id, v->uuid, v->signature,
			      v->edits, v->nedits, backup_dir(fx), fx->journal };
	struct live_fix_out o;
	struct vnl_err err;
	virConnectPtr conn = conn_for(fx, uri, !apply, &err);
	int rc;

	memset(&o, 0, sizeof(o));
	if (!conn) {
		failed(v, &err);
		return;
	}
	rc = apply ? live_fix_apply(conn, &f, &o, &err) : live_fix_preview(conn, &f, &o, &err);
	outcome(v, rc, &err);
	if (rc == 0 && apply) {
		struct libvirt_xml_result res;
		v->status = FIX_DONE;
		v->backup = o.backup;
		o.backup = NULL;
		v->running = o.running;
		v->effect = o.running == 1 ? EFFECT_RESTART : o.running == 0 ? EFFECT_NEXT_START
			    : EFFECT_NEXT_COLD_START;
		journal_changed(fx, v);
		if (o.readback && libvirt_xml_parse(v->origin, VNL_SRC_LIBVIRT_LIVE, o.readback,
						    strlen(o.readback), NULL, &res) == LIBVIRT_XML_DOMAIN) {
			v->after = res.vm;
			v->after->running = o.running;
		}
	}
	if (rc == 0 && !apply)
		take_texts(v, &o.old_text, &o.new_text);
	live_fix_out_release(&o);
}

/* ---- the PVE API ---------------------------------------------------------------------------- */

static void api_do(struct vnl_fix *fx, struct fix_vm *v, bool apply)
{
	struct api_nic *nics = xcalloc(v->nnics + 1, sizeof(*nics));
	struct api_fix f = { fx->opt.api, fx->opt.endpoint, v->origin, v->node, v->id, v->name,
			     v->digest, v->lock, v->running, nics, v->nnics, v->edits, v->nedits,
			     backup_dir(fx), fx->journal };
	struct api_fix_out o;
	struct vnl_err err;
	size_t i;
	int rc;

	memset(&o, 0, sizeof(o));
	for (i = 0; i < v->nnics; i++) {
		nics[i].key = v->nic_keys[i];
		nics[i].value = v->nic_values[i];
	}
	if (apply && !fx->opt.api)
		rc = vnl_fail(&err, "%s: no API connection to write through", v->origin);
	else
		rc = apply ? api_fix_apply(&f, &o, &err) : api_fix_preview(&f, &o, &err);
	outcome(v, rc, &err);
	if (rc == 0 && apply) {
		v->status = FIX_DONE;
		v->backup = o.backup;
		o.backup = NULL;
		v->npending = o.npending;
		v->after = o.after;
		o.after = NULL;
		v->effect = o.npending ? EFFECT_RESTART : v->is_template ? EFFECT_TEMPLATE
			    : v->running == 1 ? EFFECT_LIVE : EFFECT_NEXT_START;
		if (o.hotplug_failed && !o.npending)
			v->effect = EFFECT_RESTART;
		journal_changed(fx, v);
	}
	if (rc == 0 && !apply)
		take_texts(v, &o.old_text, &o.new_text);
	api_fix_out_release(&o);
	free(nics);
}

static void dispatch(struct vnl_fix *fx, struct fix_vm *v, bool apply)
{
	switch (v->kind) {
	case VNL_SRC_PVE_FILE:
	case VNL_SRC_LIBVIRT_XML:
		file_do(fx, v, apply);
		break;
	case VNL_SRC_LIBVIRT_LIVE:
		live_do(fx, v, apply);
		break;
	case VNL_SRC_PVE_API:
		api_do(fx, v, apply);
		break;
	}
}

void wr_preview(struct vnl_fix *fx, struct fix_vm *v)
{
	dispatch(fx, v, false);
}

void wr_apply(struct vnl_fix *fx, struct fix_vm *v)
{
	dispatch(fx, v, true);
}

/* ---- files in parallel ------------------------------------------------------------------ */

#define WR_FILE_WORKERS 8

struct pool {
	struct vnl_fix *fx;
	size_t next;
	pthread_mutex_t mu;
};

static bool planned_file(const struct fix_vm *v)
{
	return v->status == FIX_PLANNED &&
	       (v->kind == VNL_SRC_PVE_FILE || v->kind == VNL_SRC_LIBVIRT_XML);
}

static void *file_worker(void *arg)
{
	struct pool *p = arg;

	for (;;) {
		size_t i;
		pthread_mutex_lock(&p->mu);
		while (p->next < p->fx->n && !planned_file(&p->fx->vms[p->next]))
			p->next++;
		i = p->next++;
		pthread_mutex_unlock(&p->mu);
		if (i >= p->fx->n)
			return NULL;
		file_do(p->fx, &p->fx->vms[i], true);
	}
}

void wr_apply_files(struct vnl_fix *fx)
{
	struct pool p = { fx, 0, PTHREAD_MUTEX_INITIALIZER };
	pthread_t t[WR_FILE_WORKERS];
	size_t started = 0, i;

	/* the one-time set-up of libxml2 and jansson's hash seed happens here,
	 * not in racing threads (their thread-safety notes) */
	xmlInitParser();
	json_object_seed(0);
	while (started < WR_FILE_WORKERS && pthread_create(&t[started], NULL, file_worker, &p) == 0)
		started++;
	if (!started)
		file_worker(&p);
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	pthread_mutex_destroy(&p.mu);
}
