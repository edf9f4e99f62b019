/* Finding fingerprints: a stable identity for a finding that survives line
 * shifts and reordering, for SARIF partialFingerprints, GitLab Code
 * Quality, the JSON report and baselines.
 *
 * The fingerprint is the lower-case hex SHA-256 of these fields, each
 * followed by one NUL byte (a missing field is the empty string):
 *   rule id, source identity, VM id, NIC key, offending value
 * and, only for the second and later finding with the same five fields in
 * one VM, the occurrence number in decimal ("2", "3", ...) plus a NUL.
 * The source identity is the origin as given, normalised
 * (vnl_origin_normalise: "./a//b" -> "a/b"), or the URI as it is.
 * Line and column are not part of it, nor is the message. */
#ifndef VNL_FINGERPRINT_H
#define VNL_FINGERPRINT_H

#include <stddef.h>

#include "finding.h"

#define VNL_FP_HEX_LEN 64
#define VNL_FP_SIZE (VNL_FP_HEX_LEN + 1)

/* The fingerprint of f as the occurrence-th finding with its identity
 * (1 = the first; 0 counts as 1). */
void vnl_fingerprint(const struct vnl_finding *f, unsigned occurrence, char out[VNL_FP_SIZE]);

/* Numbers findings with the same identity within one VM, so that every
 * fingerprint in a report is unique (GitLab hides duplicates). The output
 * layer feeds every finding through one tracker before any reporter sees
 * it, so all formats and the baseline agree even when a baseline filters
 * some findings out. */
struct vnl_fp_seen;
struct vnl_fp_tracker {
	struct vnl_fp_seen *seen; /* identities of the current VM */
	size_t nseen, cap;
	const struct vnl_finding *last; /* the finding `current` belongs to */
	char current[VNL_FP_SIZE];
};

/* Fingerprint f, the next finding of the current VM; the string lives in
 * the tracker until the next call. */
const char *vnl_fp_tracker_add(struct vnl_fp_tracker *t, const struct vnl_finding *f);
/* The current VM is done: occurrence numbers start again. */
void vnl_fp_tracker_vm_done(struct vnl_fp_tracker *t);
void vnl_fp_tracker_release(struct vnl_fp_tracker *t);

/* The fingerprint of f for a reporter: the tracker's when f is the finding
 * it saw last, otherwise f's first-occurrence fingerprint (a reporter used
 * on its own, without the output layer). t may be NULL. */
const char *vnl_fp_of(const struct vnl_fp_tracker *t, const struct vnl_finding *f,
		      char buf[VNL_FP_SIZE]);

#endif
