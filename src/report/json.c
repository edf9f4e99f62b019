/* The JSON report: one document, schema_version 1, described in README
 * ("JSON output") and doc/vmnetlint-report.schema.json. Written with
 * jansson; the document is built in memory and written at the end. */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>

#include "report.h"
#include "report/escape.h"
#include "report/fingerprint.h"
#include "rule.h"

#define JSON_SCHEMA_VERSION 1

struct json_reporter {
	struct vnl_reporter base;
	FILE *out;
	const struct vnl_fp_tracker *fp;
	json_t *findings;
	json_t *vms;
	json_t *notes;
};

static json_t *jcount(size_t n)
{
	return json_integer((json_int_t)n);
}

/* 0 means unknown: null rather than a made-up position. */
static json_t *jpos(unsigned n)
{
	return n ? json_integer(n) : json_null();
}

static json_t *edit_json(const struct vnl_edit *e)
{
	char *desc = vnl_edit_describe(e);
	bool offload = e->prop == VNL_PROP_HOST_OFFLOAD || e->prop == VNL_PROP_GUEST_OFFLOAD;
	json_t *j = json_object();

	json_object_set_new(j, "op", json_string(e->op == VNL_EDIT_REMOVE ? "remove" : "set"));
	json_object_set_new(j, "property", json_string(vnl_edit_prop_name(e->prop)));
	json_object_set_new(j, "offload",
			    offload ? json_string(vnl_offload_name(e->offload)) : json_null());
	json_object_set_new(j, "nic", vnl_json_text(e->nic_key));
	json_object_set_new(j, "value", vnl_json_text(e->value));
	json_object_set_new(j, "description", vnl_json_text(desc));
	free(desc);
	return j;
}

static json_t *vm_json(const struct vnl_finding *f)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", vnl_json_text(f->vm_id));
	json_object_set_new(j, "name", vnl_json_text(f->vm_name));
	json_object_set_new(j, "label", vnl_json_text(f->vm_label));
	json_object_set_new(j, "source_kind", json_string(vnl_source_kind_name(f->kind)));
	return j;
}

static json_t *location_json(const struct vnl_finding *f)
{
	json_t *j = json_object();
	json_object_set_new(j, "origin", vnl_json_text(f->origin));
	json_object_set_new(j, "line", jpos(f->line));
	json_object_set_new(j, "column", jpos(f->col));
	return j;
}

static json_t *finding_json(const struct vnl_finding *f, const char *fingerprint)
{
	json_t *j = json_object(), *rule = json_object(), *edits = json_array();
	size_t i;

	json_object_set_new(rule, "id", json_string(f->rule->id));
	json_object_set_new(rule, "name", json_string(f->rule->name));
	for (i = 0; i < f->nedits; i++)
		json_array_append_new(edits, edit_json(&f->edits[i]));
	json_object_set_new(j, "rule", rule);
	json_object_set_new(j, "severity", json_string(vnl_severity_name(f->severity)));
	json_object_set_new(j, "message", vnl_json_text(f->message));
	json_object_set_new(j, "vm", vm_json(f));
	json_object_set_new(j, "nic", vnl_json_text(f->nic_key));
	json_object_set_new(j, "location", location_json(f));
	json_object_set_new(j, "evidence", vnl_json_text(f->evidence));
	json_object_set_new(j, "value", vnl_json_text(f->value));
	json_object_set_new(j, "edits", edits);
	json_object_set_new(j, "fingerprint", json_string(fingerprint));
	json_object_set_new(j, "pending", json_boolean(f->pending));
	return j;
}

static void json_finding(struct vnl_reporter *r, const struct vnl_finding *f)
{
	struct json_reporter *t = (struct json_reporter *)r;
	char buf[VNL_FP_SIZE];

	json_array_append_new(t->findings, finding_json(f, vnl_fp_of(t->fp, f, buf)));
}

/* Input errors are listed from the summary's inputs at the end. */
static void json_input_error(struct vnl_reporter *r, const char *origin, const char *msg)
{
	(void)r;
	(void)origin;
	(void)msg;
}

static void json_note(struct vnl_reporter *r, const char *origin, const char *msg)
{
	struct json_reporter *t = (struct json_reporter *)r;
	json_t *j = json_object();

	json_object_set_new(j, "origin", vnl_json_text(origin));
	json_object_set_new(j, "message", vnl_json_text(msg));
	json_array_append_new(t->notes, j);
}

static void json_vm_done(struct vnl_reporter *r, const struct vnl_vm_summary *vm)
{
	struct json_reporter *t = (struct json_reporter *)r;
	json_t *j = json_object();

	json_object_set_new(j, "id", vnl_json_text(vm->id));
	json_object_set_new(j, "name", vnl_json_text(vm->name));
	json_object_set_new(j, "label", vnl_json_text(vm->label));
	json_object_set_new(j, "origin", vnl_json_text(vm->origin));
	json_object_set_new(j, "source_kind", json_string(vnl_source_kind_name(vm->kind)));
	json_array_append_new(t->vms, j);
}

static json_t *summary_json(const struct vnl_summary *s)
{
	json_t *j = json_object(), *sev = json_object();
	size_t e = s->by_severity[VNL_SEV_ERROR], w = s->by_severity[VNL_SEV_WARNING];
	size_t i = s->by_severity[VNL_SEV_INFO];

	json_object_set_new(sev, "error", jcount(e));
	json_object_set_new(sev, "warning", jcount(w));
	json_object_set_new(sev, "info", jcount(i));
	json_object_set_new(j, "findings", jcount(e + w + i));
	json_object_set_new(j, "by_severity", sev);
	json_object_set_new(j, "vms", jcount(s->vms));
	json_object_set_new(j, "files", jcount(s->files));
	json_object_set_new(j, "unreadable", jcount(s->unreadable));
	json_object_set_new(j, "baselined", jcount(s->baselined));
	json_object_set_new(j, "suppressed", jcount(s->suppressed));
	return j;
}

static json_t *inputs_json(const struct vnl_summary *s)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < s->ninputs; i++) {
		json_t *j = json_object();
		json_object_set_new(j, "origin", vnl_json_text(s->inputs[i].origin));
		json_object_set_new(j, "read", json_boolean(!s->inputs[i].error));
		json_object_set_new(j, "error", vnl_json_text(s->inputs[i].error));
		json_array_append_new(a, j);
	}
	return a;
}

static void json_finish(struct vnl_reporter *r, const struct vnl_summary *s)
{
	struct json_reporter *t = (struct json_reporter *)r;
	json_t *root = json_object(), *tool = json_object();

	json_object_set_new(tool, "name", json_string(PACKAGE_NAME));
	json_object_set_new(tool, "version", json_string(PACKAGE_VERSION));
	json_object_set_new(root, "schema_version", json_integer(JSON_SCHEMA_VERSION));
	json_object_set_new(root, "tool", tool);
	json_object_set_new(root, "summary", summary_json(s));
	json_object_set(root, "findings", t->findings);
	json_object_set(root, "vms", t->vms);
	json_object_set_new(root, "inputs", inputs_json(s));
	json_object_set(root, "notes", t->notes);
	json_dumpf(root, t->out, JSON_INDENT(2));
	fputc('\n', t->out);
	json_decref(root);
}

static void json_free(struct vnl_reporter *r)
{
	struct json_reporter *t = (struct json_reporter *)r;
	json_decref(t->findings);
	json_decref(t->vms);
	json_decref(t->notes);
	free(t);
}

struct vnl_reporter *vnl_report_json_new(FILE *out, const struct vnl_fp_tracker *fp)
{
	struct json_reporter *t = xcalloc(1, sizeof(*t));
	t->base.finding = json_finding;
	t->base.input_error = json_input_error;
	t->base.note = json_note;
	t->base.vm_done = json_vm_done;
	t->base.finish = json_finish;
	t->base.free = json_free;
	t->out = out;
	t->fp = fp;
	t->findings = json_array();
	t->vms = json_array();
	t->notes = json_array();
	return &t->base;
}
