/* Reporters only format findings; one finding type feeds every format. */
#ifndef VNL_REPORT_H
#define VNL_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "finding.h"

struct vnl_summary {
	size_t vms;
	size_t files;
	size_t unreadable; /* inputs that could not be read */
	size_t by_severity[3];
};

struct vnl_reporter {
	void (*finding)(struct vnl_reporter *r, const struct vnl_finding *f);
	/* An input that could not be read or understood at all. */
	void (*input_error)(struct vnl_reporter *r, const char *origin, const char *msg);
	void (*finish)(struct vnl_reporter *r, const struct vnl_summary *s);
	void (*free)(struct vnl_reporter *r);
};

struct vnl_text_options {
	FILE *out;     /* findings and summary */
	FILE *err;     /* input errors */
	bool color;
	bool quiet;    /* findings only: no notes, no summary */
	bool show_fix; /* a note line with the proposed edit under each finding */
};

struct vnl_reporter *vnl_report_text_new(const struct vnl_text_options *opts);

#endif
