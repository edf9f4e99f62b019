/* Unified diffs of two texts, line by line (Myers' O(ND) algorithm), for
 * `scan --diff` and the confirmation of `--fix`. No external tool. */
#ifndef VNL_DIFF_H
#define VNL_DIFF_H

#include <stddef.h>

#include "util.h"

/* The lines context shown around each change, as `diff -u` does. */
#define VNL_DIFF_CONTEXT 3

/* Append to out a unified diff from a (labelled old_label) to b (new_label):
 * "--- old_label", "+++ new_label", then hunks "@@ -l,n +l,n @@" with
 * VNL_DIFF_CONTEXT lines of context; a last line without a newline is
 * followed by "\ No newline at end of file". Lines end at '\n' (a CR stays
 * part of its line). Appends nothing when the texts are equal. Returns the
 * number of lines removed plus added. */
size_t vnl_diff_unified(struct strbuf *out, const char *old_label, const char *a, size_t alen,
			const char *new_label, const char *b, size_t blen);

#endif
