/* Myers' greedy O(ND) shortest edit script on lines (E. W. Myers, "An O(ND)
 * Difference Algorithm and Its Variations", 1986), with the usual unified
 * output. The common head and tail are taken off first: a fix changes a few
 * lines, so what is left is small. Each step d keeps its furthest-reaching
 * x for diagonals -d..d, which is all the backtrack needs: O(D^2) memory.
 * Past MAX_D steps the middle is shown as removed and added in full, which
 * is still a correct diff, only not the shortest. */
#include "config.h"

#include "diff.h"

#include <stdlib.h>
#include <string.h>

#define MAX_D 4000

struct line {
	const char *s;
	size_t n; /* with its '\n', if it has one */
};

struct lines {
	struct line *v;
	size_t n;
};

static void split_lines(const char *t, size_t len, struct lines *out)
{
	size_t cap = 0, pos = 0;

	out->v = NULL;
	out->n = 0;
	while (pos < len) {
		const char *nl = memchr(t + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - t) + 1 : len;
		vnl_grow(&out->v, &cap, out->n + 1, sizeof(*out->v));
		out->v[out->n].s = t + pos;
		out->v[out->n].n = end - pos;
		out->n++;
		pos = end;
	}
}

static int line_eq(const struct line *x, const struct line *y)
{
	return x->n == y->n && !memcmp(x->s, y->s, x->n);
}

/* One step of the edit script: ' ' both, '-' only a, '+' only b. */
struct op {
	char kind;
	size_t ai, bi; /* line index in a (for ' ' and '-') and b (' ' and '+') */
};

struct script {
	struct op *v;
	size_t n, cap;
};

static void push(struct script *s, char kind, size_t ai, size_t bi)
{
	vnl_grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v));
	s->v[s->n].kind = kind;
	s->v[s->n].ai = ai;
	s->v[s->n].bi = bi;
	s->n++;
}

/* The furthest x on diagonal k after step d, from the saved rows. */
static long row_get(long **rows, long d, long k)
{
	return rows[d][k + d];
}

/* Forward pass over a[0..n) and b[0..m); rows[d] holds x for k = -d..d.
 * Returns the number of steps D, or -1 when it exceeds MAX_D. */
static long myers_forward(const struct line *a, long n, const struct line *b, long m, long **rows)
{
	long d, k;

	for (d = 0; d <= n + m && d <= MAX_D; d++) {
		rows[d] = xmalloc((size_t)(2 * d + 1) * sizeof(long));
		for (k = -d; k <= d; k += 2) {
			long x, y;
			if (d == 0)
				x = 0;
			else if (k == -d || (k != d && row_get(rows, d - 1, k - 1) < row_get(rows, d - 1, k + 1)))
				x = row_get(rows, d - 1, k + 1); /* down: a line of b added */
			else
				x = row_get(rows, d - 1, k - 1) + 1; /* right: a line of a removed */
			y = x - k;
			while (x < n && y < m && line_eq(&a[x], &b[y]))
				x++, y++;
			rows[d][k + d] = x;
			if (x >= n && y >= m)
				return d;
		}
	}
	return -1;
}

/* Walk back from (n, m) and emit the script in reverse, then flip it. */
static void myers_backtrack(long **rows, long D, long n, long m, size_t a0, size_t b0,
			    struct script *s)
{
	size_t start = s->n, i, j;
	long x = n, y = m, d;

	for (d = D; d > 0; d--) {
		long k = x - y, pk, px, py;
		bool down = k == -d || (k != d && row_get(rows, d - 1, k - 1) < row_get(rows, d - 1, k + 1));
		pk = down ? k + 1 : k - 1;
		px = row_get(rows, d - 1, pk);
		py = px - pk;
		while (x > px + (down ? 0 : 1) && y > py + (down ? 1 : 0))
			push(s, ' ', a0 + (size_t)--x, b0 + (size_t)--y);
		if (down)
			push(s, '+', a0 + (size_t)x, b0 + (size_t)--y);
		else
			push(s, '-', a0 + (size_t)--x, b0 + (size_t)y);
	}
	while (x > 0 && y > 0)
		push(s, ' ', a0 + (size_t)--x, b0 + (size_t)--y);
	for (i = start, j = s->n - 1; i < j; i++, j--) {
		struct op t = s->v[i];
		s->v[i] = s->v[j];
		s->v[j] = t;
	}
}

static void edit_script(const struct lines *A, const struct lines *B, struct script *s)
{
	size_t head = 0, tail = 0, i;
	long n, m, D, d;
	long **rows;

	while (head < A->n && head < B->n && line_eq(&A->v[head], &B->v[head]))
		head++;
	while (tail < A->n - head && tail < B->n - head &&
	       line_eq(&A->v[A->n - 1 - tail], &B->v[B->n - 1 - tail]))
		tail++;
	for (i = 0; i < head; i++)
		push(s, ' ', i, i);
	n = (long)(A->n - head - tail);
	m = (long)(B->n - head - tail);
	rows = xcalloc((size_t)MAX_D + 1, sizeof(*rows));
	D = myers_forward(A->v + head, n, B->v + head, m, rows);
	if (D >= 0) {
		myers_backtrack(rows, D, n, m, head, head, s);
	} else {
		for (i = 0; i < (size_t)n; i++)
			push(s, '-', head + i, head);
		for (i = 0; i < (size_t)m; i++)
			push(s, '+', head + (size_t)n, head + i);
	}
	for (d = 0; d <= MAX_D && rows[d]; d++)
		free(rows[d]);
	free(rows);
	for (i = 0; i < tail; i++)
		push(s, ' ', A->n - tail + i, B->n - tail + i);
}

/* ---- unified output ------------------------------------------------------- */

static void emit_line(struct strbuf *out, char kind, const struct line *l)
{
	strbuf_addch(out, kind);
	strbuf_add(out, l->s, l->n);
	if (!l->n || l->s[l->n - 1] != '\n')
		strbuf_adds(out, "\n\\ No newline at end of file\n");
}

/* "-l,n": GNU diff names the line before an empty range, and omits ",1". */
static void range(struct strbuf *out, char sign, size_t first, size_t count)
{
	if (count == 1)
		strbuf_addf(out, "%c%zu", sign, first + 1);
	else
		strbuf_addf(out, "%c%zu,%zu", sign, count ? first + 1 : first, count);
}

static void emit_hunk(struct strbuf *out, const struct script *s, size_t from, size_t to,
		      const struct lines *A, const struct lines *B)
{
	size_t i, na = 0, nb = 0, a_first = 0, b_first = 0;
	bool have_a = false, have_b = false;

	for (i = from; i < to; i++) {
		const struct op *o = &s->v[i];
		if (o->kind != '+') {
			if (!have_a)
				a_first = o->ai, have_a = true;
			na++;
		}
		if (o->kind != '-') {
			if (!have_b)
				b_first = o->bi, have_b = true;
			nb++;
		}
	}
	/* an empty side starts after the lines before the hunk */
	if (!have_a)
		a_first = s->v[from].ai;
	if (!have_b)
		b_first = s->v[from].bi;
	strbuf_adds(out, "@@ ");
	range(out, '-', a_first, na);
	strbuf_addch(out, ' ');
	range(out, '+', b_first, nb);
	strbuf_adds(out, " @@\n");
	for (i = from; i < to; i++) {
		const struct op *o = &s->v[i];
		emit_line(out, o->kind, o->kind == '+' ? &B->v[o->bi] : &A->v[o->ai]);
	}
}

/* Changes closer than two contexts share a hunk. */
static size_t emit_hunks(struct strbuf *out, const struct script *s, const struct lines *A,
			 const struct lines *B)
{
	size_t i = 0, changed = 0;

	while (i < s->n) {
		size_t first, last, from, to, gap, j;
		while (i < s->n && s->v[i].kind == ' ')
			i++;
		if (i == s->n)
			break;
		first = last = j = i;
		for (;;) {
			for (; j < s->n && s->v[j].kind != ' '; j++, changed++)
				last = j;
			for (gap = 0; j + gap < s->n && s->v[j + gap].kind == ' '; gap++)
				;
			if (j + gap == s->n || gap > 2 * VNL_DIFF_CONTEXT)
				break;
			j += gap;
		}
		from = first > VNL_DIFF_CONTEXT ? first - VNL_DIFF_CONTEXT : 0;
		to = last + 1 + VNL_DIFF_CONTEXT < s->n ? last + 1 + VNL_DIFF_CONTEXT : s->n;
		emit_hunk(out, s, from, to, A, B);
		i = last + 1;
	}
	return changed;
}

size_t vnl_diff_unified(struct strbuf *out, const char *old_label, const char *a, size_t alen,
			const char *new_label, const char *b, size_t blen)
{
	struct lines A, B;
	struct script s = { NULL, 0, 0 };
	size_t changed = 0;

	if (alen == blen && !memcmp(a, b, alen))
		return 0;
	split_lines(a, alen, &A);
	split_lines(b, blen, &B);
	edit_script(&A, &B, &s);
	strbuf_addf(out, "--- %s\n+++ %s\n", old_label, new_label);
	changed = emit_hunks(out, &s, &A, &B);
	free(s.v);
	free(A.v);
	free(B.v);
	return changed;
}
