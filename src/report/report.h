/* Reporters only format findings; one finding type feeds every format. */
#ifndef VNL_REPORT_H
#define VNL_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "finding.h"

struct vnl_inventory;
struct vnl_netenv;

/* One input of the scan: a file read, or an input that could not be. */
struct vnl_input {
	char *origin;
	char *error; /* NULL when it was read */
};

struct vnl_summary {
	size_t vms;
	size_t files;
	size_t unreadable; /* inputs that could not be read */
	size_t by_severity[3];
	size_t baselined; /* findings left out because the baseline lists them */
	size_t suppressed; /* findings left out by suppressions (src/suppress.h) */
	/* Every input, in scan order; only when the scan records inputs
	 * (vnl_scan.record_inputs), else empty. Owned by the scan. */
	struct vnl_input *inputs;
	size_t ninputs, inputs_cap;
	/* The network model of the whole scan, for the reporters that draw it
	 * (HTML): every VM's NICs in brief and the bridges. Set by the scan at
	 * finish, owned by it; NULL when the summary does not come from a scan. */
	const struct vnl_inventory *inv;
	const struct vnl_netenv *net;
};

/* A VM the scan has finished, with or without findings. */
struct vnl_vm_summary {
	enum vnl_source_kind kind;
	const char *origin;
	const char *id;
	const char *name;  /* NULL when it has none */
	const char *label; /* "VM 101 (fw-a)" */
	size_t findings;   /* how many the scan reported for it */
};

struct vnl_reporter {
	void (*finding)(struct vnl_reporter *r, const struct vnl_finding *f);
	/* An input that could not be read or understood at all. */
	void (*input_error)(struct vnl_reporter *r, const char *origin, const char *msg);
	void (*finish)(struct vnl_reporter *r, const struct vnl_summary *s);
	void (*free)(struct vnl_reporter *r);
	/* An input that was read but is not a VM definition (an XML file whose
	 * root is not <domain>): skipped, not an error. Optional (NULL). */
	void (*note)(struct vnl_reporter *r, const char *origin, const char *msg);
	/* Called for every VM after its findings. Optional (NULL). */
	void (*vm_done)(struct vnl_reporter *r, const struct vnl_vm_summary *vm);
	/* A finding a suppression covers (f->suppression says why), after the
	 * VM's reported findings and before its vm_done. Only formats that can
	 * mark a result as suppressed take these (SARIF). Optional (NULL). */
	void (*suppressed)(struct vnl_reporter *r, const struct vnl_finding *f);
};

struct vnl_text_options {
	FILE *out;     /* findings and summary */
	FILE *err;     /* input errors */
	bool color;
	bool quiet;    /* findings only: no notes, no summary */
	bool show_fix; /* a note line with the proposed edit under each finding */
};

struct vnl_reporter *vnl_report_text_new(const struct vnl_text_options *opts);

/* The machine-readable formats (src/report/<format>.c). Each writes to out,
 * which stays the caller's to close. fp supplies fingerprints (see
 * report/fingerprint.h); NULL = compute them per finding. cwd names file
 * origins relative to it; NULL = as given. */
struct vnl_fp_tracker;
struct vnl_reporter *vnl_report_json_new(FILE *out, const struct vnl_fp_tracker *fp);
struct vnl_reporter *vnl_report_sarif_new(FILE *out, const struct vnl_fp_tracker *fp,
					  const char *cwd);
struct vnl_reporter *vnl_report_junit_new(FILE *out);
struct vnl_reporter *vnl_report_github_new(FILE *out, const char *cwd);
struct vnl_reporter *vnl_report_gitlab_new(FILE *out, const struct vnl_fp_tracker *fp,
					   const char *cwd);
/* The cluster NIC map (src/report/html.c): one self-contained HTML page,
 * drawn at finish from the summary's inventory and network. */
struct vnl_reporter *vnl_report_html_new(FILE *out);

#endif
