#include "config.h"

#include "write/pve_api.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "source/pve_api_int.h"
#include "source/pve_api_json.h"
#include "write/fileio.h"
#include "write/journal.h"
#include "write/pve_text.h"

void api_fix_out_release(struct api_fix_out *o)
{
	strbuf_release(&o->old_text);
	strbuf_release(&o->new_text);
	free(o->backup);
	o->backup = NULL;
	vnl_vm_free(o->after);
	o->after = NULL;
}

/* The new netN values: every NIC with an edit, rewritten from its current
 * value (config, else as scanned), into vals; the "netN: value" lines of
 * every NIC before and after into o. */
struct values {
	struct pve_api_value *v;
	char **owned;
	size_t n;
};

static void values_release(struct values *vs)
{
	size_t i;
	for (i = 0; i < vs->n; i++)
		free(vs->owned[i]);
	free(vs->owned);
	free(vs->v);
	memset(vs, 0, sizeof(*vs));
}

static bool has_edit(const struct api_fix *f, const char *key)
{
	size_t i;
	for (i = 0; i < f->nedits; i++)
		if (!strcmp(f->edits[i].nic_key, key))
			return true;
	return false;
}

static int new_values(const struct api_fix *f, json_t *config, struct values *vs,
		      struct api_fix_out *o, struct vnl_err *err)
{
	struct strbuf nv = STRBUF_INIT;
	size_t i;
	int rc = 0;

	strbuf_reset(&o->old_text);
	strbuf_reset(&o->new_text);
	vs->v = xcalloc(f->nnics + 1, sizeof(*vs->v));
	vs->owned = xcalloc(f->nnics + 1, sizeof(*vs->owned));
	for (i = 0; i < f->nnics && rc == 0; i++) {
		const char *key = f->nics[i].key;
		const char *cur = config ? json_string_value(json_object_get(config, key))
					 : f->nics[i].value;
		if (!cur) {
			rc = vnl_fail(err, "%s: %s is not in the config any more", f->origin, key);
			break;
		}
		strbuf_addf(&o->old_text, "%s: %s\n", key, cur);
		if (!has_edit(f, key) || (rc = pve_net_rewrite(key, cur, f->edits, f->nedits, &nv, err)) < 0 ||
		    !strcmp(strbuf_str(&nv), cur)) {
			strbuf_addf(&o->new_text, "%s: %s\n", key, cur);
			continue;
		}
		strbuf_addf(&o->new_text, "%s: %s\n", key, strbuf_str(&nv));
		vs->v[vs->n].key = key;
		vs->v[vs->n].value = vs->owned[vs->n] = strbuf_detach(&nv);
		vs->n++;
	}
	strbuf_release(&nv);
	return rc;
}

int api_fix_preview(const struct api_fix *f, struct api_fix_out *o, struct vnl_err *err)
{
	struct values vs = { 0 };
	int rc;

	if (f->lock)
		return vnl_fail(err, "%s: the VM is locked (%s); PVE refuses config changes until "
				"the lock is gone", f->origin, f->lock);
	rc = new_values(f, NULL, &vs, o, err);

	if (rc == 0 && vs.n == 0)
		rc = 1;
	values_release(&vs);
	return rc;
}

/* ---- reading ------------------------------------------------------------------------- */

static json_t *config_now(const struct api_fix *f, char **text, struct vnl_err *err)
{
	json_t *cfg;

	*text = pve_api_config_json(f->api, f->node, f->vmid, err);
	if (!*text)
		return NULL;
	cfg = json_loads(*text, 0, NULL);
	if (!json_is_object(cfg)) {
		json_decref(cfg);
		free(*text);
		*text = NULL;
		vnl_fail(err, "%s: the config is not a JSON object", f->origin);
		return NULL;
	}
	return cfg;
}

struct get_call {
	const struct pve_api *api;
	json_t *data;
	struct strbuf why;
};

static void get_done(struct vnl_http_req *req, void *arg)
{
	struct get_call *c = arg;
	pve_api_answer(c->api, req, &c->data, &c->why);
}

/* GET .../pending (research/proxmox.md 5.2); NULL when it cannot be read:
 * the rescan then sees the current config only. */
static json_t *pending_now(const struct api_fix *f)
{
	struct get_call c = { f->api, NULL, STRBUF_INIT };
	char *path = xasprintf("/nodes/%s/qemu/%s/pending", f->node, f->vmid);

	vnl_http_queue(f->api->http, "GET", path, NULL, true, get_done, &c);
	vnl_http_run(f->api->http);
	free(path);
	strbuf_release(&c.why);
	return c.data;
}

/* ---- writing ---------------------------------------------------------------------------- */

static void fill_backup(struct backup_info *b, const struct api_fix *f, const struct values *vs)
{
	size_t i;

	backup_info_init(b);
	b->applied = 0;
	b->source = xstrdup("pve-api");
	b->origin = xstrdup(f->origin);
	b->uri = f->endpoint ? xstrdup(f->endpoint) : NULL;
	b->vm_id = xstrdup(f->vmid);
	b->vm_name = f->name ? xstrdup(f->name) : NULL;
	b->node = xstrdup(f->node);
	b->run = f->journal ? xstrdup(wr_journal_run(f->journal)) : NULL;
	for (i = 0; i < f->nedits; i++) {
		char *d = vnl_edit_describe(&f->edits[i]);
		backup_info_add(&b->edits, &b->nedits, d);
		free(d);
	}
	for (i = 0; i < vs->n; i++)
		backup_info_add(&b->keys, &b->nkeys, vs->v[i].key);
}

static int put(const struct api_fix *f, const struct values *vs, struct api_fix_out *o,
	       struct vnl_err *err)
{
	struct vnl_err why;

	switch (pve_api_put_config(f->api, f->node, f->vmid, vs->v, vs->n, f->digest, &why)) {
	case PVE_PUT_OK:
		return 0;
	case PVE_PUT_HOTPLUG:
		o->hotplug_failed = true;
		return 0;
	case PVE_PUT_CONFLICT:
		return vnl_fail(err, "%s: changed since the scan (checksum mismatch); not fixed and "
				"not retried: scan again", f->origin);
	default:
		return vnl_fail(err, "%s: %s", f->origin, why.msg);
	}
}

/* After the PUT: the new digest into the backup, the state of each NIC,
 * and the VM as PVE now has it. */
static void after_put(const struct api_fix *f, const struct values *vs, struct backup_info *b,
		      struct api_fix_out *o)
{
	enum pve_key_state *st = xcalloc(vs->n + 1, sizeof(*st));
	const char **keys = xcalloc(vs->n + 1, sizeof(*keys));
	struct vnl_err ignored;
	json_t *cfg, *pend;
	char *text = NULL;
	size_t i;

	cfg = config_now(f, &text, &ignored);
	if (cfg && json_string_value(json_object_get(cfg, "digest")))
		b->post_sha1 = xstrdup(json_string_value(json_object_get(cfg, "digest")));
	b->applied = 1;
	backup_update(b, &ignored);
	for (i = 0; i < vs->n; i++)
		keys[i] = vs->v[i].key;
	if (pve_api_key_states(f->api, f->node, f->vmid, keys, vs->n, st, &ignored) == 0)
		for (i = 0; i < vs->n; i++)
			st[i] == PVE_KEY_PENDING ? o->npending++ : o->nlive++;
	pend = pending_now(f);
	if (cfg) {
		o->after = pve_json_vm(f->origin, f->vmid, f->node, cfg, pend);
		o->after->running = f->running;
		if (o->after->pending)
			o->after->pending->running = f->running;
	}
	json_decref(pend);
	json_decref(cfg);
	free(text);
	free(keys);
	free(st);
}

static int apply_with(const struct api_fix *f, json_t *cfg, const char *text,
		      struct api_fix_out *o, struct vnl_err *err)
{
	const char *digest = json_string_value(json_object_get(cfg, "digest"));
	const char *lock = json_string_value(json_object_get(cfg, "lock"));
	struct values vs = { 0 };
	struct backup_info b;
	int rc;

	if (!digest || !f->digest || strcmp(digest, f->digest))
		return vnl_fail(err, "%s: changed since the scan (digest %.12s, scanned %.12s); not "
				"fixed: scan again", f->origin, digest ? digest : "none",
				f->digest ? f->digest : "none");
	if (lock)
		return vnl_fail(err, "%s: the VM is locked (%s); PVE refuses config changes until "
				"the lock is gone", f->origin, lock);
	rc = new_values(f, cfg, &vs, o, err);
	if (rc == 0 && vs.n == 0)
		rc = 1;
	if (rc != 0) {
		values_release(&vs);
		return rc;
	}
	fill_backup(&b, f, &vs);
	rc = backup_save(f->backup_dir, &b, text, strlen(text), err);
	if (rc == 0)
		rc = wr_journal_begin(f->journal, &b, NULL, err);
	if (rc == 0)
		rc = put(f, &vs, o, err);
	if (rc == 0) {
		after_put(f, &vs, &b, o);
		o->backup = xstrdup(b.meta_path);
	}
	backup_info_release(&b);
	values_release(&vs);
	return rc;
}

int api_fix_apply(const struct api_fix *f, struct api_fix_out *o, struct vnl_err *err)
{
	char *text;
	json_t *cfg;
	int rc;

	wr_test_pause();
	cfg = config_now(f, &text, err);
	if (!cfg)
		return -1;
	rc = apply_with(f, cfg, text, o, err);
	json_decref(cfg);
	free(text);
	return rc;
}

/* ---- restore -------------------------------------------------------------------------------- */

static enum restore_result put_back(struct pve_api *api, const struct backup_info *b,
				    json_t *old, const char *digest, struct vnl_err *err)
{
	struct pve_api_value *v = xcalloc(b->nkeys + 1, sizeof(*v));
	size_t i, n = 0;
	enum pve_put_result r;
	struct vnl_err why;

	for (i = 0; i < b->nkeys; i++) {
		const char *val = json_string_value(json_object_get(old, b->keys[i]));
		if (val) {
			v[n].key = b->keys[i];
			v[n++].value = val;
		}
	}
	r = n ? pve_api_put_config(api, b->node, b->vm_id, v, n, digest, &why) : PVE_PUT_OK;
	free(v);
	if (r == PVE_PUT_OK || r == PVE_PUT_HOTPLUG)
		return RESTORE_DONE;
	vnl_fail(err, "%s: %s", b->origin,
		 r == PVE_PUT_CONFLICT ? "changed while restoring (checksum mismatch)" : why.msg);
	return RESTORE_FAILED;
}

enum restore_result api_restore(struct pve_api *api, const struct backup_info *b,
				const char *data, size_t len, bool force, const char *backup_dir,
				char **note, struct vnl_err *err)
{
	json_t *old = json_loadb(data, len, 0, NULL), *cur = NULL;
	const char *pre = json_string_value(json_object_get(old, "digest")), *now;
	char *text = NULL;
	enum restore_result res = RESTORE_FAILED;

	*note = NULL;
	if (!json_is_object(old)) {
		vnl_fail(err, "%s: not a JSON config", b->data_path);
		goto out;
	}
	if (!(text = pve_api_config_json(api, b->node, b->vm_id, err)))
		goto out;
	if (!(cur = json_loads(text, 0, NULL))) {
		vnl_fail(err, "%s: the config is not JSON", b->origin);
		goto out;
	}
	now = json_string_value(json_object_get(cur, "digest"));
	if (now && pre && !strcmp(now, pre)) {
		res = RESTORE_ALREADY;
	} else if (!now || !b->post_sha1 || strcmp(now, b->post_sha1)) {
		if (!force) {
			vnl_fail(err, "%s: changed since the fix; not restored (--force restores "
				 "anyway, keeping the current config as a backup)", b->origin);
			res = RESTORE_REFUSED;
			goto out;
		}
		{
			struct backup_info k;
			backup_info_init(&k);
			k.source = xstrdup(b->source);
			k.origin = xstrdup(b->origin);
			k.uri = b->uri ? xstrdup(b->uri) : NULL;
			k.vm_id = xstrdup(b->vm_id);
			k.node = xstrdup(b->node);
			if (backup_save(backup_dir, &k, text, strlen(text), err) == 0)
				*note = xasprintf("the config it replaced is saved as %s", k.meta_path);
			backup_info_release(&k);
			if (!*note)
				goto out;
		}
		res = put_back(api, b, old, now, err);
	} else {
		res = put_back(api, b, old, now, err);
	}
out:
	json_decref(old);
	json_decref(cur);
	free(text);
	return res;
}
