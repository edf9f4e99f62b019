/* SARIF 2.1.0 as GitHub code scanning reads it (research/linter-ux.md 3):
 * one run, tool.driver with every rule, one result per finding with a
 * physical location for files and a logical one for API/libvirt URIs, and
 * line-independent partialFingerprints. Written with jansson. */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report/escape.h"
#include "report/fingerprint.h"
#include "rule.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SRCROOT "%SRCROOT%"
/* autoconf's PACKAGE_URL (AC_INIT's fifth argument) once the project has a
 * home; until then a reserved, non-resolving name (RFC 2606). */
#define FALLBACK_URI "https://vmnetlint.invalid/"

struct sarif_reporter {
	struct vnl_reporter base;
	FILE *out;
	const struct vnl_fp_tracker *fp;
	char *cwd; /* NULL: leave paths as given */
	json_t *results;
	json_t *notifications;
	bool any_suppressed;
};

static const char *home_uri(void)
{
	return PACKAGE_URL[0] ? PACKAGE_URL : FALLBACK_URI;
}

static const char *sarif_level(enum vnl_severity sev)
{
	switch (sev) {
	case VNL_SEV_ERROR: return "error";
	case VNL_SEV_WARNING: return "warning";
	case VNL_SEV_INFO: return "note";
	}
	return "none";
}

static json_t *text_obj(const char *s)
{
	json_t *j = json_object();
	json_object_set_new(j, "text", vnl_json_text(s));
	return j;
}

/* The doc's first paragraph without its heading: "What it does" in the
 * ruff-style layout every rule doc follows. */
static char *doc_first_paragraph(const char *doc)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = doc;

	if (*p && *p != ' ')
		p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n');
	while (*p && *p != '\n') {
		size_t n = strcspn(p, "\n");
		const char *s = p;
		while (*s == ' ' && s < p + n)
			s++;
		if (sb.len)
			strbuf_addch(&sb, ' ');
		strbuf_add(&sb, s, (size_t)(p + n - s));
		p += n + (p[n] == '\n');
	}
	return strbuf_detach(&sb);
}

static json_t *rule_json(const struct vnl_rule *rule)
{
	json_t *j = json_object(), *conf = json_object();
	char *full = doc_first_paragraph(rule->doc);
	char *uri = xasprintf("%s%srules/%s", home_uri(),
			      str_has_suffix(home_uri(), "/") ? "" : "/", rule->id);

	json_object_set_new(j, "id", json_string(rule->id));
	json_object_set_new(j, "name", json_string(rule->name));
	json_object_set_new(j, "shortDescription", text_obj(rule->summary));
	json_object_set_new(j, "fullDescription", text_obj(full[0] ? full : rule->summary));
	json_object_set_new(j, "help", text_obj(rule->doc));
	json_object_set_new(j, "helpUri", json_string(uri));
	json_object_set_new(conf, "level", json_string(sarif_level(rule->severity)));
	json_object_set_new(j, "defaultConfiguration", conf);
	free(full);
	free(uri);
	return j;
}

static json_t *driver_json(void)
{
	json_t *d = json_object(), *rules = json_array();
	size_t i;

	for (i = 0; i < vnl_rule_count; i++)
		json_array_append_new(rules, rule_json(vnl_rules[i]));
	json_object_set_new(d, "name", json_string(PACKAGE_NAME));
	json_object_set_new(d, "version", json_string(PACKAGE_VERSION));
	json_object_set_new(d, "semanticVersion", json_string(PACKAGE_VERSION));
	json_object_set_new(d, "informationUri", json_string(home_uri()));
	json_object_set_new(d, "rules", rules);
	return d;
}

static json_t *physical_location(const struct sarif_reporter *t, const char *origin,
				 unsigned line, unsigned col)
{
	json_t *phys = json_object(), *art = json_object();
	char *rel = vnl_origin_relative(origin, t->cwd);
	char *uri = vnl_path_to_uri(rel);

	json_object_set_new(art, "uri", vnl_json_text(uri));
	if (rel[0] != '/' && t->cwd)
		json_object_set_new(art, "uriBaseId", json_string(SRCROOT));
	json_object_set_new(phys, "artifactLocation", art);
	if (line) {
		json_t *region = json_object();
		json_object_set_new(region, "startLine", json_integer(line));
		if (col)
			json_object_set_new(region, "startColumn", json_integer(col));
		json_object_set_new(phys, "region", region);
	}
	free(rel);
	free(uri);
	return phys;
}

/* An API or libvirt URI is not an artifact a code viewer can open: name
 * it as a logical location (the VM or NIC resource at that URI). */
static json_t *logical_location(const char *origin, const char *name)
{
	json_t *a = json_array(), *l = json_object();

	json_object_set_new(l, "name", vnl_json_text(name));
	json_object_set_new(l, "fullyQualifiedName", vnl_json_text(origin));
	json_object_set_new(l, "kind", json_string("resource"));
	json_array_append_new(a, l);
	return a;
}

static json_t *location_json(const struct sarif_reporter *t, const char *origin,
			     const char *name, unsigned line, unsigned col)
{
	json_t *loc = json_object();

	if (vnl_origin_is_uri(origin))
		json_object_set_new(loc, "logicalLocations", logical_location(origin, name));
	else
		json_object_set_new(loc, "physicalLocation",
				    physical_location(t, origin, line, col));
	return loc;
}

static size_t rule_index(const struct vnl_rule *rule)
{
	size_t i;
	for (i = 0; i < vnl_rule_count; i++)
		if (vnl_rules[i] == rule)
			break;
	return i;
}

static json_t *result_properties(const struct vnl_finding *f)
{
	json_t *p = json_object();
	json_object_set_new(p, "vm", vnl_json_text(f->vm_label));
	json_object_set_new(p, "nic", vnl_json_text(f->nic_key));
	json_object_set_new(p, "evidence", vnl_json_text(f->evidence));
	json_object_set_new(p, "pending", json_boolean(f->pending));
	return p;
}

static json_t *result_json(struct sarif_reporter *t, const struct vnl_finding *f)
{
	json_t *res = json_object(), *locs = json_array(), *fps = json_object();
	char buf[VNL_FP_SIZE];
	const char *fp = vnl_fp_of(t->fp, f, buf);
	char *msg = xasprintf("%s%s", f->pending ? "[PENDING] " : "", f->message);
	size_t idx = rule_index(f->rule);

	json_object_set_new(res, "ruleId", json_string(f->rule->id));
	if (idx < vnl_rule_count)
		json_object_set_new(res, "ruleIndex", json_integer((json_int_t)idx));
	json_object_set_new(res, "level", json_string(sarif_level(f->severity)));
	json_object_set_new(res, "message", text_obj(msg));
	json_array_append_new(locs, location_json(t, f->origin,
						  f->nic_key ? f->nic_key : f->vm_label,
						  f->line, f->col));
	json_object_set_new(res, "locations", locs);
	/* GitHub reads primaryLocationLineHash to follow an alert from run to
	 * run; ours does not change when lines move (fingerprint.h). */
	json_object_set_new(fps, "vmnetlint/v1", json_string(fp));
	json_object_set_new(fps, "primaryLocationLineHash", json_string(fp));
	json_object_set_new(res, "partialFingerprints", fps);
	json_object_set_new(res, "properties", result_properties(f));
	free(msg);
	return res;
}

static void sarif_finding(struct vnl_reporter *r, const struct vnl_finding *f)
{
	struct sarif_reporter *t = (struct sarif_reporter *)r;
	json_array_append_new(t->results, result_json(t, f));
}

/* A suppressed finding stays a result, marked so (SARIF 2.1.0 3.27.23):
 * GitHub code scanning closes its alert as dismissed rather than fixed.
 * inSource: a suppression in the VM's definition; external: in
 * vmnetlint.conf. */
static void sarif_suppressed(struct vnl_reporter *r, const struct vnl_finding *f)
{
	struct sarif_reporter *t = (struct sarif_reporter *)r;
	json_t *res = result_json(t, f), *supps = json_array(), *s = json_object();

	json_object_set_new(s, "kind", json_string(f->suppressed_in_source ? "inSource" : "external"));
	json_object_set_new(s, "status", json_string("accepted"));
	if (f->suppression && *f->suppression)
		json_object_set_new(s, "justification", vnl_json_text(f->suppression));
	json_array_append_new(supps, s);
	json_object_set_new(res, "suppressions", supps);
	json_array_append_new(t->results, res);
	t->any_suppressed = true;
}

/* Once one result carries suppressions, every result does (an empty list:
 * checked, none applies), so no consumer reads an absent one as "this tool
 * does not suppress". */
static void mark_unsuppressed(struct sarif_reporter *t)
{
	size_t i;
	json_t *res;

	json_array_foreach(t->results, i, res)
		if (!json_object_get(res, "suppressions"))
			json_object_set_new(res, "suppressions", json_array());
}

static void notify(struct sarif_reporter *t, const char *level, const char *origin,
		   const char *msg)
{
	json_t *n = json_object(), *locs = json_array();

	json_object_set_new(n, "level", json_string(level));
	json_object_set_new(n, "message", text_obj(msg));
	json_array_append_new(locs, location_json(t, origin, origin, 0, 0));
	json_object_set_new(n, "locations", locs);
	json_array_append_new(t->notifications, n);
}

static void sarif_input_error(struct vnl_reporter *r, const char *origin, const char *msg)
{
	notify((struct sarif_reporter *)r, "error", origin, msg);
}

static void sarif_note(struct vnl_reporter *r, const char *origin, const char *msg)
{
	notify((struct sarif_reporter *)r, "note", origin, msg);
}

static json_t *run_json(struct sarif_reporter *t)
{
	json_t *run = json_object(), *tool = json_object(), *inv = json_object();
	json_t *invs = json_array();

	json_object_set_new(tool, "driver", driver_json());
	json_object_set_new(run, "tool", tool);
	json_object_set_new(inv, "executionSuccessful", json_true());
	if (json_array_size(t->notifications))
		json_object_set(inv, "toolExecutionNotifications", t->notifications);
	json_array_append_new(invs, inv);
	json_object_set_new(run, "invocations", invs);
	if (t->cwd) {
		json_t *bases = json_object(), *root = json_object();
		char *dir = xasprintf("%s/", t->cwd[1] ? t->cwd : "");
		char *uri = vnl_path_to_uri(dir);
		json_object_set_new(root, "uri", vnl_json_text(uri));
		json_object_set_new(bases, SRCROOT, root);
		json_object_set_new(run, "originalUriBaseIds", bases);
		free(dir);
		free(uri);
	}
	json_object_set(run, "results", t->results);
	return run;
}

static void sarif_finish(struct vnl_reporter *r, const struct vnl_summary *s)
{
	struct sarif_reporter *t = (struct sarif_reporter *)r;
	json_t *root = json_object(), *runs = json_array();

	(void)s;
	if (t->any_suppressed)
		mark_unsuppressed(t);
	json_object_set_new(root, "$schema", json_string(SARIF_SCHEMA));
	json_object_set_new(root, "version", json_string("2.1.0"));
	json_array_append_new(runs, run_json(t));
	json_object_set_new(root, "runs", runs);
	json_dumpf(root, t->out, JSON_INDENT(2));
	fputc('\n', t->out);
	json_decref(root);
}

static void sarif_free(struct vnl_reporter *r)
{
	struct sarif_reporter *t = (struct sarif_reporter *)r;
	json_decref(t->results);
	json_decref(t->notifications);
	free(t->cwd);
	free(t);
}

struct vnl_reporter *vnl_report_sarif_new(FILE *out, const struct vnl_fp_tracker *fp,
					  const char *cwd)
{
	struct sarif_reporter *t = xcalloc(1, sizeof(*t));
	t->base.finding = sarif_finding;
	t->base.suppressed = sarif_suppressed;
	t->base.input_error = sarif_input_error;
	t->base.note = sarif_note;
	t->base.finish = sarif_finish;
	t->base.free = sarif_free;
	t->out = out;
	t->fp = fp;
	t->cwd = cwd && cwd[0] == '/' ? vnl_origin_normalise(cwd) : NULL;
	t->results = json_array();
	t->notifications = json_array();
	return &t->base;
}
