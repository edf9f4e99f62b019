/* The output layer: one fan-out reporter in front of every selected format.
 * For each finding it computes the fingerprint once (so all formats and the
 * baseline agree), hands it to --write-baseline, drops it when the
 * --baseline lists it, counts it for --statistics, and forwards it. */
#include "config.h"

#include "output.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline.h"
#include "report/fingerprint.h"
#include "rule.h"

static const char *const format_names[] = {
	[VNL_FORMAT_TEXT] = "text",   [VNL_FORMAT_JSON] = "json",
	[VNL_FORMAT_SARIF] = "sarif", [VNL_FORMAT_JUNIT] = "junit",
	[VNL_FORMAT_GITHUB] = "github", [VNL_FORMAT_GITLAB] = "gitlab",
	[VNL_FORMAT_HTML] = "html",
};

int vnl_format_spec_parse(const char *arg, struct vnl_format_spec *spec, struct vnl_err *err)
{
	size_t n = strcspn(arg, ":"), i;

	for (i = 0; i < VNL_ARRAY_LEN(format_names); i++)
		if (strlen(format_names[i]) == n && !strncmp(arg, format_names[i], n))
			break;
	if (i == VNL_ARRAY_LEN(format_names))
		return vnl_fail(err, "--format takes text, json, sarif, junit, github, gitlab or html "
				"(optionally FORMAT:FILE), not '%.*s'", (int)n, arg);
	spec->format = (enum vnl_format)i;
	spec->path = arg[n] == ':' ? arg + n + 1 : NULL;
	if (spec->path && !*spec->path)
		return vnl_fail(err, "--format %s: the file name after ':' is empty", arg);
	return 0;
}

/* ---- the fan-out --------------------------------------------------------------- */

struct sink {
	struct vnl_reporter *rep;
	FILE *file; /* owned; NULL when writing to stdout */
	const char *path;
};

struct vnl_output {
	struct vnl_reporter base;
	struct sink sinks[VNL_MAX_FORMATS + 1]; /* + GitHub annotations */
	size_t nsinks;
	bool text_on_stdout; /* a text report prints input errors and notes */
	bool machine_on_stdout;
	bool wants_inputs;
	bool statistics;
	bool quiet;
	const char *baseline_path;
	struct vnl_fp_tracker fp;
	struct vnl_baseline baseline;
	bool have_baseline;
	struct sink writer; /* --write-baseline */
	size_t dropped[3];  /* baselined findings by severity */
	size_t vm_dropped;  /* of the VM in progress */
	size_t *per_rule;   /* reported findings by rule index */
	struct vnl_summary reported;
	char cwd[PATH_MAX];
};

static size_t rule_index(const struct vnl_rule *rule)
{
	size_t i;
	for (i = 0; i < vnl_rule_count; i++)
		if (vnl_rules[i] == rule)
			break;
	return i;
}

static void out_finding(struct vnl_reporter *r, const struct vnl_finding *f)
{
	struct vnl_output *o = (struct vnl_output *)r;
	const char *fp = vnl_fp_tracker_add(&o->fp, f);
	size_t i;

	if (o->writer.rep)
		o->writer.rep->finding(o->writer.rep, f);
	if (o->have_baseline && vnl_baseline_has(&o->baseline, fp)) {
		o->dropped[f->severity]++;
		o->vm_dropped++;
		return;
	}
	o->per_rule[rule_index(f->rule)]++;
	for (i = 0; i < o->nsinks; i++)
		o->sinks[i].rep->finding(o->sinks[i].rep, f);
}

/* Not baselined, not counted per rule, not written to a baseline: only
 * shown by the formats that mark results suppressed. The fingerprint is
 * the one the finding has unsuppressed, so an alert can follow it. */
static void out_suppressed(struct vnl_reporter *r, const struct vnl_finding *f)
{
	struct vnl_output *o = (struct vnl_output *)r;
	size_t i;

	vnl_fp_tracker_add(&o->fp, f);
	for (i = 0; i < o->nsinks; i++)
		if (o->sinks[i].rep->suppressed)
			o->sinks[i].rep->suppressed(o->sinks[i].rep, f);
}

static void out_input_error(struct vnl_reporter *r, const char *origin, const char *msg)
{
	struct vnl_output *o = (struct vnl_output *)r;
	size_t i;

	/* stderr names every unreadable input, whatever the formats */
	if (!o->text_on_stdout)
		fprintf(stderr, "%s: error: %s\n", origin, msg);
	for (i = 0; i < o->nsinks; i++)
		o->sinks[i].rep->input_error(o->sinks[i].rep, origin, msg);
}

static void out_note(struct vnl_reporter *r, const char *origin, const char *msg)
{
	struct vnl_output *o = (struct vnl_output *)r;
	size_t i;

	if (!o->text_on_stdout)
		fprintf(stderr, "%s: note: %s\n", origin, msg);
	for (i = 0; i < o->nsinks; i++)
		if (o->sinks[i].rep->note)
			o->sinks[i].rep->note(o->sinks[i].rep, origin, msg);
}

static void out_vm_done(struct vnl_reporter *r, const struct vnl_vm_summary *vm)
{
	struct vnl_output *o = (struct vnl_output *)r;
	struct vnl_vm_summary shown = *vm;
	size_t i;

	shown.findings = vm->findings >= o->vm_dropped ? vm->findings - o->vm_dropped : 0;
	for (i = 0; i < o->nsinks; i++)
		if (o->sinks[i].rep->vm_done)
			o->sinks[i].rep->vm_done(o->sinks[i].rep, &shown);
	vnl_fp_tracker_vm_done(&o->fp);
	o->vm_dropped = 0;
}

/* Rules by count, most first, then in table order. */
static void print_statistics(struct vnl_output *o, FILE *out)
{
	size_t total = 0, shown = 0, i, best;

	for (i = 0; i < vnl_rule_count; i++)
		total += o->per_rule[i];
	fputs("\nstatistics:\n", out);
	while (shown < total) {
		best = 0;
		for (i = 1; i < vnl_rule_count; i++)
			if (o->per_rule[i] > o->per_rule[best])
				best = i;
		fprintf(out, "%6zu  %-7s %s\n", o->per_rule[best], vnl_rules[best]->id,
			vnl_rules[best]->name);
		shown += o->per_rule[best];
		o->per_rule[best] = 0;
	}
	if (!total)
		fputs("     0  (no findings)\n", out);
}

static void out_finish(struct vnl_reporter *r, const struct vnl_summary *s)
{
	struct vnl_output *o = (struct vnl_output *)r;
	int sev;
	size_t i;

	o->reported = *s;
	for (sev = 0; sev < 3; sev++) {
		o->reported.by_severity[sev] -= o->dropped[sev];
		o->reported.baselined += o->dropped[sev];
	}
	if (o->writer.rep)
		o->writer.rep->finish(o->writer.rep, s);
	for (i = 0; i < o->nsinks; i++)
		o->sinks[i].rep->finish(o->sinks[i].rep, &o->reported);
	/* the text summary line counts only what was reported */
	if (o->text_on_stdout && !o->quiet && o->have_baseline)
		printf("%zu %s in the baseline %s not reported\n", o->reported.baselined,
		       o->reported.baselined == 1 ? "finding" : "findings", o->baseline_path);
	if (o->statistics)
		print_statistics(o, o->machine_on_stdout ? stderr : stdout);
}

/* ---- building it ---------------------------------------------------------------- */

static int open_sink(struct sink *s, const char *path, struct vnl_err *err)
{
	s->path = path;
	if (!path)
		return 0;
	s->file = fopen(path, "w");
	if (!s->file)
		return vnl_fail(err, "cannot write %s: %s", path, strerror(errno));
	return 0;
}

static struct vnl_reporter *make_reporter(struct vnl_output *o, enum vnl_format fmt, FILE *out,
					  const struct vnl_output_options *opt)
{
	const char *cwd = o->cwd[0] ? o->cwd : NULL;

	switch (fmt) {
	case VNL_FORMAT_TEXT: {
		bool tty = out == stdout;
		struct vnl_text_options t = { out, tty ? stderr : out, tty && opt->color,
					      opt->quiet, true };
		return vnl_report_text_new(&t);
	}
	case VNL_FORMAT_JSON: return vnl_report_json_new(out, &o->fp);
	case VNL_FORMAT_SARIF: return vnl_report_sarif_new(out, &o->fp, cwd);
	case VNL_FORMAT_JUNIT: return vnl_report_junit_new(out);
	case VNL_FORMAT_GITHUB: return vnl_report_github_new(out, cwd);
	case VNL_FORMAT_GITLAB: return vnl_report_gitlab_new(out, &o->fp, cwd);
	case VNL_FORMAT_HTML: return vnl_report_html_new(out);
	}
	return NULL;
}

static int add_sink(struct vnl_output *o, enum vnl_format fmt, const char *path,
		    const struct vnl_output_options *opt, struct vnl_err *err)
{
	struct sink *s = &o->sinks[o->nsinks];

	if (open_sink(s, path, err) < 0)
		return -1;
	s->rep = make_reporter(o, fmt, s->file ? s->file : stdout, opt);
	o->nsinks++;
	if (!s->file && fmt == VNL_FORMAT_TEXT)
		o->text_on_stdout = true;
	if (!s->file && fmt != VNL_FORMAT_TEXT)
		o->machine_on_stdout = true;
	if (fmt == VNL_FORMAT_JSON)
		o->wants_inputs = true;
	return 0;
}

/* The file each format goes to: its own, or --output for the one without
 * (NULL = stdout). At most one format may take stdout or --output. */
static int check_destinations(const struct vnl_output_options *opt, struct vnl_err *err)
{
	size_t i, k, unnamed = 0;

	for (i = 0; i < opt->nformats; i++) {
		unnamed += !opt->formats[i].path;
		for (k = 0; k < i && opt->formats[i].path; k++)
			if (opt->formats[k].path && !strcmp(opt->formats[i].path, opt->formats[k].path))
				return vnl_fail(err, "--format: %s is given to two formats",
						opt->formats[i].path);
	}
	if (unnamed > 1)
		return vnl_fail(err, "--format: only one format can go to %s; give the others a "
				"file (--format FORMAT:FILE)", opt->output ? opt->output : "stdout");
	if (opt->output && opt->nformats && !unnamed)
		return vnl_fail(err, "--output %s: every --format already names its file",
				opt->output);
	if (opt->nformats > VNL_MAX_FORMATS)
		return vnl_fail(err, "--format: at most %d formats", VNL_MAX_FORMATS);
	return 0;
}

static int add_sinks(struct vnl_output *o, const struct vnl_output_options *opt,
		     struct vnl_err *err)
{
	const char *gha = getenv("GITHUB_ACTIONS");
	size_t i;

	if (opt->nformats == 0 && add_sink(o, VNL_FORMAT_TEXT, opt->output, opt, err) < 0)
		return -1;
	for (i = 0; i < opt->nformats; i++) {
		const struct vnl_format_spec *f = &opt->formats[i];
		if (add_sink(o, f->format, f->path ? f->path : opt->output, opt, err) < 0)
			return -1;
	}
	/* Under GitHub Actions the text report on stdout also annotates. */
	if (o->text_on_stdout && gha && !strcmp(gha, "true") && !opt->no_github_annotations)
		return add_sink(o, VNL_FORMAT_GITHUB, NULL, opt, err);
	return 0;
}

static struct vnl_output *output_new(void)
{
	struct vnl_output *o = xcalloc(1, sizeof(*o));

	o->base.finding = out_finding;
	o->base.input_error = out_input_error;
	o->base.note = out_note;
	o->base.vm_done = out_vm_done;
	o->base.finish = out_finish;
	o->base.free = NULL; /* vnl_output_close */
	o->per_rule = xcalloc(vnl_rule_count + 1, sizeof(*o->per_rule));
	if (!getcwd(o->cwd, sizeof(o->cwd)))
		o->cwd[0] = '\0'; /* paths stay as given */
	return o;
}

struct vnl_output *vnl_output_open(const struct vnl_output_options *opt, struct vnl_err *err)
{
	struct vnl_output *o;
	size_t i;

	if (check_destinations(opt, err) < 0)
		return NULL;
	o = output_new();
	o->statistics = opt->statistics;
	o->quiet = opt->quiet;
	o->baseline_path = opt->baseline;
	if (opt->baseline) {
		struct vnl_err why;
		if (vnl_baseline_load(&o->baseline, opt->baseline, &why) < 0) {
			vnl_fail(err, "--baseline %s", why.msg);
			goto fail;
		}
		o->have_baseline = true;
	}
	if (opt->write_baseline) {
		if (open_sink(&o->writer, opt->write_baseline, err) < 0)
			goto fail;
		o->writer.rep = vnl_baseline_writer_new(o->writer.file, &o->fp);
	}
	if (add_sinks(o, opt, err) < 0)
		goto fail;
	for (i = 0; i < o->nsinks; i++)
		if (o->sinks[i].rep->suppressed)
			o->base.suppressed = out_suppressed; /* else the scan frees them at once */
	return o;
fail:
	vnl_output_close(o, NULL);
	return NULL;
}

struct vnl_reporter *vnl_output_reporter(struct vnl_output *o)
{
	return &o->base;
}

bool vnl_output_wants_inputs(const struct vnl_output *o)
{
	return o->wants_inputs;
}

const struct vnl_summary *vnl_output_summary(const struct vnl_output *o)
{
	return &o->reported;
}

/* Free the reporter and close its file; the first failure goes to err. */
static int close_sink(struct sink *s, struct vnl_err *err, int rc)
{
	if (s->rep)
		s->rep->free(s->rep);
	if (s->file) {
		bool bad = ferror(s->file) != 0;
		if (fclose(s->file) != 0 || bad) {
			if (rc == 0)
				vnl_fail(err, "writing %s failed: %s", s->path,
					 errno ? strerror(errno) : "I/O error");
			rc = -1;
		}
	}
	s->rep = NULL;
	s->file = NULL;
	return rc;
}

int vnl_output_close(struct vnl_output *o, struct vnl_err *err)
{
	int rc = 0;
	size_t i;

	if (!o)
		return 0;
	for (i = 0; i < o->nsinks; i++)
		rc = close_sink(&o->sinks[i], err, rc);
	rc = close_sink(&o->writer, err, rc);
	if (fflush(stdout) != 0 && rc == 0)
		rc = vnl_fail(err, "writing to stdout failed: %s", strerror(errno));
	vnl_baseline_release(&o->baseline);
	vnl_fp_tracker_release(&o->fp);
	free(o->per_rule);
	free(o);
	return rc;
}
