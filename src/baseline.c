#include "config.h"

#include "baseline.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "report/escape.h"
#include "rule.h"

/* ---- reading ---------------------------------------------------------------- */

static bool is_fingerprint(const char *s)
{
	size_t i;
	for (i = 0; i < VNL_FP_HEX_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[i] == '\0';
}

static int cmp_fp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int take_findings(struct vnl_baseline *b, const char *path, json_t *list,
			 struct vnl_err *err)
{
	size_t i;
	json_t *item;

	if (!json_is_array(list))
		return vnl_fail(err, "%s: not a vmnetlint baseline: \"findings\" must be an array",
				path);
	json_array_foreach(list, i, item) {
		const char *fp = json_string_value(json_object_get(item, "fingerprint"));
		if (!fp || !is_fingerprint(fp))
			return vnl_fail(err, "%s: findings[%zu]: \"fingerprint\" must be %d lower-case "
					"hex digits", path, i, VNL_FP_HEX_LEN);
		vnl_grow(&b->fps, &b->cap, b->n + 1, sizeof(*b->fps));
		memcpy(b->fps[b->n++], fp, VNL_FP_SIZE);
	}
	return 0;
}

int vnl_baseline_load(struct vnl_baseline *b, const char *path, struct vnl_err *err)
{
	json_error_t jerr;
	json_t *root, *version;
	int rc = -1;

	memset(b, 0, sizeof(*b));
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (jerr.line > 0)
			return vnl_fail(err, "%s:%d: not valid JSON: %s", path, jerr.line, jerr.text);
		return vnl_fail(err, "%s: %s", path, jerr.text);
	}
	version = json_object_get(root, "schema_version");
	if (!json_is_object(root) || !json_is_integer(version))
		vnl_fail(err, "%s: not a vmnetlint baseline (no \"schema_version\"; write one with "
			 "--write-baseline)", path);
	else if (json_integer_value(version) != VNL_BASELINE_SCHEMA_VERSION)
		vnl_fail(err, "%s: baseline schema_version %lld is not supported (this vmnetlint "
			 "reads %d)", path, (long long)json_integer_value(version),
			 VNL_BASELINE_SCHEMA_VERSION);
	else
		rc = take_findings(b, path, json_object_get(root, "findings"), err);
	json_decref(root);
	if (rc < 0) {
		vnl_baseline_release(b);
		return -1;
	}
	if (b->n > 1)
		qsort(b->fps, b->n, sizeof(*b->fps), cmp_fp);
	return 0;
}

bool vnl_baseline_has(const struct vnl_baseline *b, const char *fingerprint)
{
	return b->n && bsearch(fingerprint, b->fps, b->n, sizeof(*b->fps), cmp_fp) != NULL;
}

void vnl_baseline_release(struct vnl_baseline *b)
{
	free(b->fps);
	memset(b, 0, sizeof(*b));
}

/* ---- writing ---------------------------------------------------------------- */

struct baseline_writer {
	struct vnl_reporter base;
	FILE *out;
	const struct vnl_fp_tracker *fp;
	json_t *findings;
};

static void writer_finding(struct vnl_reporter *r, const struct vnl_finding *f)
{
	struct baseline_writer *w = (struct baseline_writer *)r;
	json_t *j = json_object();
	char buf[VNL_FP_SIZE];
	char *rule = xasprintf("%s %s", f->rule->id, f->rule->name);

	json_object_set_new(j, "fingerprint", json_string(vnl_fp_of(w->fp, f, buf)));
	json_object_set_new(j, "rule", json_string(rule));
	json_object_set_new(j, "vm", vnl_json_text(f->vm_label));
	json_object_set_new(j, "nic", vnl_json_text(f->nic_key));
	json_object_set_new(j, "origin", vnl_json_text(f->origin));
	json_object_set_new(j, "message", vnl_json_text(f->message));
	json_array_append_new(w->findings, j);
	free(rule);
}

static void writer_input_error(struct vnl_reporter *r, const char *origin, const char *msg)
{
	(void)r;
	(void)origin;
	(void)msg;
}

static void writer_finish(struct vnl_reporter *r, const struct vnl_summary *s)
{
	struct baseline_writer *w = (struct baseline_writer *)r;
	json_t *root = json_object();

	(void)s;
	json_object_set_new(root, "schema_version", json_integer(VNL_BASELINE_SCHEMA_VERSION));
	json_object_set_new(root, "tool", json_string(PACKAGE_NAME));
	json_object_set(root, "findings", w->findings);
	json_dumpf(root, w->out, JSON_INDENT(2));
	fputc('\n', w->out);
	json_decref(root);
}

static void writer_free(struct vnl_reporter *r)
{
	struct baseline_writer *w = (struct baseline_writer *)r;
	json_decref(w->findings);
	free(w);
}

struct vnl_reporter *vnl_baseline_writer_new(FILE *out, const struct vnl_fp_tracker *fp)
{
	struct baseline_writer *w = xcalloc(1, sizeof(*w));
	w->base.finding = writer_finding;
	w->base.input_error = writer_input_error;
	w->base.finish = writer_finish;
	w->base.free = writer_free;
	w->out = out;
	w->fp = fp;
	w->findings = json_array();
	return &w->base;
}
