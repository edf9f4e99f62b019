/* GitHub Actions workflow commands (research/linter-ux.md 5.2): one
 * annotation per finding,
 *   ::error file=PATH,line=L,col=C,title=VNL001 pfsync-multiqueue::message
 * warning -> ::warning, info -> ::notice; escaped as actions/toolkit does.
 * Only annotations: the text report or the exit code carries the rest. */
#include "config.h"

#include <stdlib.h>

#include "report.h"
#include "report/escape.h"
#include "rule.h"

struct github_reporter {
	struct vnl_reporter base;
	FILE *out;
	char *cwd;
};

static const char *command(enum vnl_severity sev)
{
	switch (sev) {
	case VNL_SEV_ERROR: return "error";
	case VNL_SEV_WARNING: return "warning";
	case VNL_SEV_INFO: return "notice";
	}
	return "notice";
}

/* ::CMD file=F,line=L,col=C,title=T::MESSAGE; a URI origin has no file
 * in the repository, so it goes into the message instead. */
static void annotate(struct github_reporter *t, const char *cmd, const char *origin,
		     unsigned line, unsigned col, const char *title, const char *message)
{
	struct strbuf msg = STRBUF_INIT;
	char *p, *d;

	fprintf(t->out, "::%s ", cmd);
	if (vnl_origin_is_uri(origin)) {
		strbuf_addf(&msg, "%s: ", origin);
	} else {
		char *rel = vnl_origin_relative(origin, t->cwd);
		p = vnl_gh_escape_property(rel);
		fprintf(t->out, "file=%s,", p);
		if (line)
			fprintf(t->out, "line=%u,", line);
		if (line && col)
			fprintf(t->out, "col=%u,", col);
		free(p);
		free(rel);
	}
	strbuf_adds(&msg, message);
	p = vnl_gh_escape_property(title);
	d = vnl_gh_escape_data(strbuf_str(&msg));
	fprintf(t->out, "title=%s::%s\n", p, d);
	free(p);
	free(d);
	strbuf_release(&msg);
}

/* The message, then "because ..." and "fix: ..." on lines of their own. */
static char *finding_message(const struct vnl_finding *f)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addf(&sb, "%s%s", f->pending ? "[PENDING] " : "", f->message);
	if (f->evidence)
		strbuf_addf(&sb, "\nbecause %s", f->evidence);
	for (i = 0; i < f->nedits; i++) {
		char *d = vnl_edit_describe(&f->edits[i]);
		strbuf_addf(&sb, "%s%s", i ? ", " : "\nfix: ", d);
		free(d);
	}
	return strbuf_detach(&sb);
}

static void github_finding(struct vnl_reporter *r, const struct vnl_finding *f)
{
	struct github_reporter *t = (struct github_reporter *)r;
	char *title = xasprintf("%s %s", f->rule->id, f->rule->name);
	char *msg = finding_message(f);

	annotate(t, command(f->severity), f->origin, f->line, f->col, title, msg);
	free(title);
	free(msg);
}

static void github_input_error(struct vnl_reporter *r, const char *origin, const char *msg)
{
	annotate((struct github_reporter *)r, "error", origin, 0, 0, "unreadable input", msg);
}

static void github_finish(struct vnl_reporter *r, const struct vnl_summary *s)
{
	(void)r;
	(void)s;
}

static void github_free(struct vnl_reporter *r)
{
	struct github_reporter *t = (struct github_reporter *)r;
	free(t->cwd);
	free(t);
}

struct vnl_reporter *vnl_report_github_new(FILE *out, const char *cwd)
{
	struct github_reporter *t = xcalloc(1, sizeof(*t));
	t->base.finding = github_finding;
	t->base.input_error = github_input_error;
	t->base.finish = github_finish;
	t->base.free = github_free;
	t->out = out;
	t->cwd = cwd ? xstrdup(cwd) : NULL;
	return &t->base;
}
