/* Where a scan's report goes: the formats (--format F[:FILE], --output),
 * the files they are written to, GitHub annotations under GitHub Actions,
 * the baseline filter (--baseline, --write-baseline) and --statistics.
 * The glue between the command line and the reporters: it builds one
 * reporter that forwards every event to all the selected formats. */
#ifndef VNL_OUTPUT_H
#define VNL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "report/report.h"
#include "util.h"

enum vnl_format {
	VNL_FORMAT_TEXT,
	VNL_FORMAT_JSON,
	VNL_FORMAT_SARIF,
	VNL_FORMAT_JUNIT,
	VNL_FORMAT_GITHUB,
	VNL_FORMAT_GITLAB,
	VNL_FORMAT_HTML,
};

#define VNL_MAX_FORMATS 16

struct vnl_format_spec {
	enum vnl_format format;
	const char *path; /* NULL: --output, or standard output */
};

/* "json" or "json:FILE". path points into arg, which must outlive spec. */
int vnl_format_spec_parse(const char *arg, struct vnl_format_spec *spec, struct vnl_err *err);

struct vnl_output_options {
	const struct vnl_format_spec *formats; /* none: text */
	size_t nformats;
	const char *output;     /* --output FILE: for the format without a FILE */
	bool color;             /* text on standard output is coloured */
	bool quiet;             /* text: findings only */
	bool no_github_annotations;
	bool statistics;        /* counts per rule after the report */
	const char *baseline;   /* report only findings not in this baseline */
	const char *write_baseline;
};

struct vnl_output;

/* Check the options, load the baseline and open every output file. NULL
 * with a one-line reason in err on a usage error (exit 2). */
struct vnl_output *vnl_output_open(const struct vnl_output_options *opt, struct vnl_err *err);
struct vnl_reporter *vnl_output_reporter(struct vnl_output *o);
/* Does a format need the scan's list of inputs (vnl_scan.record_inputs)? */
bool vnl_output_wants_inputs(const struct vnl_output *o);
/* The summary as reported, after the baseline took its findings out: what
 * the exit code is decided on. Valid after the scan finished. */
const struct vnl_summary *vnl_output_summary(const struct vnl_output *o);
/* Close the files and free everything; -1 with err when a report could
 * not be written completely. */
int vnl_output_close(struct vnl_output *o, struct vnl_err *err);

#endif
