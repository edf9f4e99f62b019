/* The unified diff of --diff and of the --fix prompt (src/diff.c): fixed
 * cases in GNU diff's format, and random texts whose diff, applied by the
 * small patcher below, gives the new text back. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "tap.h"

static char *diff(const char *a, const char *b)
{
	struct strbuf out = STRBUF_INIT;
	vnl_diff_unified(&out, "a", a, strlen(a), "b", b, strlen(b));
	return strbuf_detach(&out);
}

static void check(const char *a, const char *b, const char *want, const char *what)
{
	char *got = diff(a, b);
	if (!is_str(got ? got : "", want, "%s", what))
		diag("got:\n%s", got ? got : "");
	free(got);
}

static void test_cases(void)
{
	check("x\n", "x\n", "", "equal texts: nothing");
	check("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nV\n6\n7\n8\n9\n",
	      "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+V\n 6\n 7\n 8\n",
	      "one line changed, three lines of context");
	check("", "new\n", "--- a\n+++ b\n@@ -0,0 +1 @@\n+new\n", "into an empty file");
	check("old\n", "", "--- a\n+++ b\n@@ -1 +0,0 @@\n-old\n", "everything removed");
	check("a\nb", "a\nc", "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n"
	      "+c\n\\ No newline at end of file\n", "no newline at the end");
	check("a\nb\n", "a\nb", "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end "
	      "of file\n", "only the last newline removed");
	check("x\r\ny\r\n", "x\r\nz\r\n", "--- a\n+++ b\n@@ -1,2 +1,2 @@\n x\r\n-y\r\n+z\r\n",
	      "CR stays part of its line");
	check("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n",
	      "X\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\nY\n",
	      "--- a\n+++ b\n@@ -1,4 +1,4 @@\n-1\n+X\n 2\n 3\n 4\n@@ -13,4 +13,4 @@\n 13\n 14\n 15\n"
	      "-16\n+Y\n", "changes far apart: two hunks");
	check("1\n2\n3\n4\n5\n6\n7\n8\n", "X\n2\n3\n4\n5\n6\n7\nY\n",
	      "--- a\n+++ b\n@@ -1,8 +1,8 @@\n-1\n+X\n 2\n 3\n 4\n 5\n 6\n 7\n-8\n+Y\n",
	      "changes six lines apart share a hunk");
	check("a\nb\nc\n", "a\nc\n", "--- a\n+++ b\n@@ -1,3 +1,2 @@\n a\n-b\n c\n", "a line removed");
	check("a\nc\n", "a\nb\nc\n", "--- a\n+++ b\n@@ -1,2 +1,3 @@\n a\n+b\n c\n", "a line added");
}

/* ---- the property: patching a with diff(a, b) gives b ------------------------------ */

static const char *next_line(const char *p, const char **end)
{
	const char *nl = strchr(p, '\n');
	*end = nl ? nl + 1 : p + strlen(p);
	return p;
}

/* Apply a unified diff of whole lines to a; NULL when it does not fit. */
static char *patch(const char *a, const char *d)
{
	struct strbuf out = STRBUF_INIT;
	const char *p = d, *e, *ap = a;
	long line = 1;

	if (!*d)
		return xstrdup(a);
	next_line(p, &e), p = e;
	next_line(p, &e), p = e;
	while (*p) {
		long from, n;
		if (sscanf(p, "@@ -%ld", &from) != 1)
			goto bad;
		if (strstr(p, ",0 +") && (n = 0, sscanf(p, "@@ -%ld,%ld", &from, &n) == 2) && n == 0)
			from++; /* an empty range names the line before */
		next_line(p, &e), p = e;
		for (; line < from; line++) {
			next_line(ap, &e);
			strbuf_add(&out, ap, (size_t)(e - ap));
			ap = e;
		}
		while (*p && *p != '@') {
			next_line(p, &e);
			if (*p == '\\') { /* handled with the line before it */
				p = e;
				continue;
			}
			if (*p == ' ' || *p == '-') {
				const char *ae;
				next_line(ap, &ae);
				if (*p == ' ')
					strbuf_add(&out, ap, (size_t)(ae - ap));
				ap = ae;
				line++;
			} else if (*p == '+') {
				const char *pe = e;
				/* a "\ No newline" after it takes the '\n' away */
				bool cut = *pe == '\\';
				strbuf_add(&out, p + 1, (size_t)(e - p - 1) - (cut ? 1 : 0));
			} else {
				goto bad;
			}
			p = e;
		}
	}
	strbuf_adds(&out, ap);
	return strbuf_detach(&out);
bad:
	strbuf_release(&out);
	return NULL;
}

static char *random_text(unsigned *seed, int lines)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	for (i = 0; i < lines; i++)
		strbuf_addf(&sb, "l%d\n", rand_r(seed) % 6);
	if (sb.len && rand_r(seed) % 4 == 0)
		sb.len--; /* sometimes no newline at the end */
	return strbuf_detach(&sb);
}

static void test_random(void)
{
	unsigned seed = 12345;
	int i, bad = 0;

	for (i = 0; i < 2000; i++) {
		char *a = random_text(&seed, rand_r(&seed) % 25);
		char *b = random_text(&seed, rand_r(&seed) % 25);
		char *d = diff(a ? a : "", b ? b : "");
		char *back = patch(a ? a : "", d);
		if (!back || strcmp(back, b ? b : "")) {
			if (bad++ == 0)
				diag("a=[%s] b=[%s] diff:\n%s", a, b, d);
		}
		free(a);
		free(b);
		free(d);
		free(back);
	}
	is_int(bad, 0, "2000 random pairs: each diff applied to the old text gives the new one");
}

int main(void)
{
	test_cases();
	test_random();
	return done_testing();
}
