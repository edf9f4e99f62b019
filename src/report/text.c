/* The text report: `file:line:col: severity: message [VNL001 name]`, the
 * shape compilers use, so editors and CI logs can jump to the place. */
#include "config.h"

#include <stdlib.h>

#include "report.h"
#include "rule.h"

struct text_reporter {
	struct vnl_reporter base;
	struct vnl_text_options opt;
};

#define BOLD "\033[1m"
#define RED "\033[1;31m"
#define YELLOW "\033[1;33m"
#define CYAN "\033[1;36m"
#define DIM "\033[2m"
#define RESET "\033[0m"

static const char *sev_color(enum vnl_severity sev)
{
	switch (sev) {
	case VNL_SEV_ERROR: return RED;
	case VNL_SEV_WARNING: return YELLOW;
	case VNL_SEV_INFO: return CYAN;
	}
	return "";
}

static void print_place(FILE *out, const struct vnl_finding *f)
{
	fputs(f->origin, out);
	if (f->line) {
		fprintf(out, ":%u", f->line);
		if (f->col)
			fprintf(out, ":%u", f->col);
	}
}

static void text_finding(struct vnl_reporter *r, const struct vnl_finding *f)
{
	struct text_reporter *t = (struct text_reporter *)r;
	FILE *out = t->opt.out;
	bool c = t->opt.color;
	size_t i;

	if (c)
		fputs(BOLD, out);
	print_place(out, f);
	fputs(c ? ":" RESET " " : ": ", out);
	fprintf(out, "%s%s:%s %s%s [%s %s]\n", c ? sev_color(f->severity) : "",
		vnl_severity_name(f->severity), c ? RESET : "", f->pending ? "[PENDING] " : "",
		f->message, f->rule->id, f->rule->name);
	if (t->opt.quiet)
		return;
	if (f->evidence)
		fprintf(out, "    %sbecause%s %s\n", c ? DIM : "", c ? RESET : "", f->evidence);
	if (t->opt.show_fix && f->nedits) {
		fprintf(out, "    %sfix:%s ", c ? DIM : "", c ? RESET : "");
		for (i = 0; i < f->nedits; i++) {
			char *d = vnl_edit_describe(&f->edits[i]);
			fprintf(out, "%s%s", i ? ", " : "", d);
			free(d);
		}
		fputc('\n', out);
	}
}

static void text_input_error(struct vnl_reporter *r, const char *origin, const char *msg)
{
	struct text_reporter *t = (struct text_reporter *)r;
	bool c = t->opt.color;
	fprintf(t->opt.err, "%s%s:%s %serror:%s %s\n", c ? BOLD : "", origin, c ? RESET : "",
		c ? RED : "", c ? RESET : "", msg);
}

static void text_note(struct vnl_reporter *r, const char *origin, const char *msg)
{
	struct text_reporter *t = (struct text_reporter *)r;
	bool c = t->opt.color;

	if (t->opt.quiet)
		return;
	fprintf(t->opt.err, "%s%s:%s %snote:%s %s\n", c ? BOLD : "", origin, c ? RESET : "",
		c ? CYAN : "", c ? RESET : "", msg);
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void text_finish(struct vnl_reporter *r, const struct vnl_summary *s)
{
	struct text_reporter *t = (struct text_reporter *)r;
	size_t e = s->by_severity[VNL_SEV_ERROR], w = s->by_severity[VNL_SEV_WARNING];
	size_t i = s->by_severity[VNL_SEV_INFO];

	if (t->opt.quiet)
		return;
	if (e + w + i)
		fputc('\n', t->opt.out);
	fprintf(t->opt.out, "%zu %s, %zu %s, %zu info in %zu %s", e, plural(e, "error", "errors"),
		w, plural(w, "warning", "warnings"), i, s->vms, plural(s->vms, "VM", "VMs"));
	if (s->unreadable)
		fprintf(t->opt.out, "; %zu %s could not be read", s->unreadable,
			plural(s->unreadable, "input", "inputs"));
	fputc('\n', t->opt.out);
	if (s->suppressed)
		fprintf(t->opt.out, "%zu %s suppressed (--no-suppress shows them)\n", s->suppressed,
			plural(s->suppressed, "finding", "findings"));
}

static void text_free(struct vnl_reporter *r)
{
	free(r);
}

struct vnl_reporter *vnl_report_text_new(const struct vnl_text_options *opts)
{
	struct text_reporter *t = xcalloc(1, sizeof(*t));
	t->base.finding = text_finding;
	t->base.input_error = text_input_error;
	t->base.finish = text_finish;
	t->base.free = text_free;
	t->base.note = text_note;
	t->opt = *opts;
	return &t->base;
}
