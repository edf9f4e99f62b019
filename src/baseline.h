/* Baselines: the fingerprints of findings a team has accepted for now, so
 * that a CI gate fails only on new ones. The file is JSON:
 *   {"schema_version": 1, "tool": "vmnetlint",
 *    "findings": [{"fingerprint": "<64 hex>", "rule": "VNL001 pfsync-multiqueue",
 *                  "vm": "VM 101 (fw-a)", "nic": "net0", "origin": "...",
 *                  "message": "..."}, ...]}
 * Only "fingerprint" is read back; the rest is there for people. */
#ifndef VNL_BASELINE_H
#define VNL_BASELINE_H

#include <stdbool.h>
#include <stdio.h>

#include "report/fingerprint.h"
#include "report/report.h"
#include "util.h"

#define VNL_BASELINE_SCHEMA_VERSION 1

struct vnl_baseline {
	char (*fps)[VNL_FP_SIZE]; /* sorted */
	size_t n, cap;
};

/* Read a baseline file; on error, err says what is wrong with it (one
 * line, naming the file) and b is empty. */
int vnl_baseline_load(struct vnl_baseline *b, const char *path, struct vnl_err *err);
bool vnl_baseline_has(const struct vnl_baseline *b, const char *fingerprint);
void vnl_baseline_release(struct vnl_baseline *b);

/* A reporter that writes every finding it is given to out as a baseline
 * when the scan finishes. */
struct vnl_reporter *vnl_baseline_writer_new(FILE *out, const struct vnl_fp_tracker *fp);

#endif
