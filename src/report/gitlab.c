/* GitLab Code Quality (research/linter-ux.md 5.1): a JSON array of
 *   {description, check_name, fingerprint, severity,
 *    location: {path, lines: {begin}}}
 * Severity: error -> critical (it breaks traffic or drops a NIC),
 * warning -> minor, info -> info. Fingerprints are unique per finding
 * (fingerprint.h), or GitLab would hide the duplicates. Written with jansson. */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>

#include "report.h"
#include "report/escape.h"
#include "report/fingerprint.h"
#include "rule.h"

struct gitlab_reporter {
	struct vnl_reporter base;
	FILE *out;
	const struct vnl_fp_tracker *fp;
	char *cwd;
	json_t *issues;
};

static const char *gitlab_severity(enum vnl_severity sev)
{
	switch (sev) {
	case VNL_SEV_ERROR: return "critical";
	case VNL_SEV_WARNING: return "minor";
	case VNL_SEV_INFO: return "info";
	}
	return "info";
}

static json_t *location_json(const struct gitlab_reporter *t, const struct vnl_finding *f)
{
	json_t *loc = json_object(), *lines = json_object();
	char *path = vnl_origin_relative(f->origin, t->cwd);

	json_object_set_new(loc, "path", vnl_json_text(path));
	/* lines.begin is required; 1 when the place is not known */
	json_object_set_new(lines, "begin", json_integer(f->line ? f->line : 1));
	json_object_set_new(loc, "lines", lines);
	free(path);
	return loc;
}

static void gitlab_finding(struct vnl_reporter *r, const struct vnl_finding *f)
{
	struct gitlab_reporter *t = (struct gitlab_reporter *)r;
	json_t *j = json_object();
	char buf[VNL_FP_SIZE];
	char *desc = xasprintf("%s%s", f->pending ? "[PENDING] " : "", f->message);
	char *check = xasprintf("%s %s", f->rule->id, f->rule->name);

	json_object_set_new(j, "description", vnl_json_text(desc));
	json_object_set_new(j, "check_name", json_string(check));
	json_object_set_new(j, "fingerprint", json_string(vnl_fp_of(t->fp, f, buf)));
	json_object_set_new(j, "severity", json_string(gitlab_severity(f->severity)));
	json_object_set_new(j, "location", location_json(t, f));
	json_array_append_new(t->issues, j);
	free(desc);
	free(check);
}

static void gitlab_input_error(struct vnl_reporter *r, const char *origin, const char *msg)
{
	(void)r;
	(void)origin;
	(void)msg;
}

static void gitlab_finish(struct vnl_reporter *r, const struct vnl_summary *s)
{
	struct gitlab_reporter *t = (struct gitlab_reporter *)r;

	(void)s;
	json_dumpf(t->issues, t->out, JSON_INDENT(2));
	fputc('\n', t->out);
}

static void gitlab_free(struct vnl_reporter *r)
{
	struct gitlab_reporter *t = (struct gitlab_reporter *)r;
	json_decref(t->issues);
	free(t->cwd);
	free(t);
}

struct vnl_reporter *vnl_report_gitlab_new(FILE *out, const struct vnl_fp_tracker *fp,
					   const char *cwd)
{
	struct gitlab_reporter *t = xcalloc(1, sizeof(*t));
	t->base.finding = gitlab_finding;
	t->base.input_error = gitlab_input_error;
	t->base.finish = gitlab_finish;
	t->base.free = gitlab_free;
	t->out = out;
	t->fp = fp;
	t->cwd = cwd ? xstrdup(cwd) : NULL;
	t->issues = json_array();
	return &t->base;
}
