/* Where a tag or attribute is written. libxml2 keeps one line number per
 * element (the line where its start tag ends) and none for attributes, so
 * the column is found in the source text: the "<name" that opens the
 * element on that line (or, for a start tag spread over lines, above it),
 * then the attribute inside that tag. When the text does not show it (an
 * encoding other than UTF-8, a lone CR line end) the column is 0. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvirt_xml_int.h"

/* How far above the recorded line a start tag may begin. */
#define MAX_TAG_LINES 64

void lx_init(struct lx *x, const char *origin, const char *buf, size_t len)
{
	memset(x, 0, sizeof(*x));
	x->origin = origin;
	x->buf = buf;
	x->len = len;
}

void lx_release(struct lx *x)
{
	free(x->lines);
	free(x->supp);
	x->lines = NULL;
	x->supp = NULL;
}

/* libxml2 keeps an element's line in 16 bits: from 65535 on it says 65535
 * for every element, so such a line is unknown (0) rather than wrong (and
 * same_line_before would otherwise walk every earlier sibling). */
unsigned lx_line(xmlNodePtr n)
{
	long l = xmlGetLineNo(n);
	return l > 0 && l < 65535 ? (unsigned)l : 0;
}

/* Count first, then fill: one allocation per document. */
static void index_lines(struct lx *x)
{
	const char *p = x->buf, *end = x->buf + x->len;
	size_t n = 1;

	if (x->lines)
		return;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	x->lines = xmalloc(n * sizeof(*x->lines));
	x->lines[x->nlines++] = 0;
	for (p = x->buf; p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		x->lines[x->nlines++] = (size_t)(p - x->buf) + 1;
}

static const char *loc_origin(const struct lx *x)
{
	return x->vm ? x->vm->origin : x->origin;
}

static struct vnl_loc loc_of(struct lx *x, size_t off)
{
	size_t lo = 0, hi = x->nlines;
	struct vnl_loc loc;

	while (hi - lo > 1) { /* the last line starting at or before off */
		size_t mid = lo + (hi - lo) / 2;
		if (x->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	loc.origin = loc_origin(x);
	loc.line = (unsigned)(lo + 1);
	loc.col = (unsigned)(off - x->lines[lo] + 1);
	return loc;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool ends_name(char c)
{
	return is_blank(c) || c == '/' || c == '>';
}

/* "<qname" on line l: the nth (from 0) or, if there are fewer, the last. */
static size_t find_on_line(const struct lx *x, unsigned l, const char *q, size_t qn, int nth)
{
	size_t p = x->lines[l - 1];
	size_t end = l < x->nlines ? x->lines[l] : x->len;
	size_t found = SIZE_MAX;
	int k = 0;

	for (; p < end && p + 1 + qn <= x->len; p++) {
		if (x->buf[p] != '<' || memcmp(x->buf + p + 1, q, qn) != 0)
			continue;
		if (p + 1 + qn < x->len && !ends_name(x->buf[p + 1 + qn]))
			continue;
		found = p;
		if (k++ == nth)
			return p;
	}
	return found;
}

/* Earlier siblings of the same name whose tags end on the same line. */
static int same_line_before(xmlNodePtr n, unsigned line)
{
	xmlNodePtr s;
	int k = 0;
	for (s = n->prev; s; s = s->prev) {
		if (s->type != XML_ELEMENT_NODE)
			continue;
		if (lx_line(s) != line)
			break;
		if (s->ns == n->ns && !strcmp((const char *)s->name, (const char *)n->name))
			k++;
	}
	return k;
}

/* "prefix:name" or "name" into q; its length, or 0 if it does not fit. */
static size_t qualified_name(xmlNodePtr n, char *q, size_t size)
{
	const char *prefix = n->ns && n->ns->prefix ? (const char *)n->ns->prefix : NULL;
	size_t pn = prefix ? strlen(prefix) + 1 : 0, nn = strlen((const char *)n->name);

	if (pn + nn >= size)
		return 0;
	if (prefix) {
		memcpy(q, prefix, pn - 1);
		q[pn - 1] = ':';
	}
	memcpy(q + pn, n->name, nn + 1);
	return pn + nn;
}

static size_t find_tag(struct lx *x, xmlNodePtr n)
{
	unsigned line = lx_line(n), l;
	char q[160];
	size_t off, qn = qualified_name(n, q, sizeof(q));

	if (!line || !qn)
		return SIZE_MAX;
	index_lines(x);
	if (line > x->nlines)
		return SIZE_MAX;
	off = find_on_line(x, line, q, qn, same_line_before(n, line));
	for (l = line - 1; off == SIZE_MAX && l >= 1 && line - l <= MAX_TAG_LINES; l--)
		off = find_on_line(x, l, q, qn, -1);
	return off;
}

/* Attributes of one element are asked for one after the other: keep the
 * last answer. */
static size_t tag_offset(struct lx *x, xmlNodePtr n)
{
	if (x->tag_node != n) {
		x->tag_off = find_tag(x, n);
		x->tag_node = n;
	}
	return x->tag_off;
}

/* Walk the attributes of the start tag at off: the offset of attr's name,
 * or (attr NULL) of the byte after the tag. SIZE_MAX if not there. */
static size_t scan_tag(const struct lx *x, size_t off, const char *attr)
{
	const char *b = x->buf;
	size_t n = x->len, p = off + 1, an = attr ? strlen(attr) : 0;

	while (p < n && !ends_name(b[p]))
		p++;
	for (;;) {
		const char *close;
		size_t name;

		while (p < n && is_blank(b[p]))
			p++;
		if (p >= n)
			return SIZE_MAX;
		if (b[p] == '>' || b[p] == '/')
			return attr ? SIZE_MAX : p + (b[p] == '/' ? 2 : 1);
		name = p;
		while (p < n && !ends_name(b[p]) && b[p] != '=')
			p++;
		if (attr && p - name == an && !memcmp(b + name, attr, an))
			return name;
		while (p < n && is_blank(b[p]))
			p++;
		if (p >= n || b[p] != '=')
			return SIZE_MAX;
		p++;
		while (p < n && is_blank(b[p]))
			p++;
		if (p >= n || (b[p] != '"' && b[p] != '\''))
			return SIZE_MAX;
		close = memchr(b + p + 1, b[p], n - p - 1);
		if (!close)
			return SIZE_MAX;
		p = (size_t)(close - b) + 1;
	}
}

struct vnl_loc lx_elem_loc(struct lx *x, xmlNodePtr n)
{
	size_t off = tag_offset(x, n);
	struct vnl_loc loc = { loc_origin(x), lx_line(n), 0 };
	return off == SIZE_MAX ? loc : loc_of(x, off);
}

struct vnl_loc lx_attr_loc(struct lx *x, xmlNodePtr n, const char *attr)
{
	size_t off = tag_offset(x, n), at;
	struct vnl_loc loc = { loc_origin(x), lx_line(n), 0 };

	if (off == SIZE_MAX)
		return loc;
	at = scan_tag(x, off, attr);
	return loc_of(x, at == SIZE_MAX ? off : at);
}

struct vnl_loc lx_text_loc(struct lx *x, xmlNodePtr n)
{
	size_t off = tag_offset(x, n), at;
	struct vnl_loc loc = { loc_origin(x), lx_line(n), 0 };

	if (off == SIZE_MAX)
		return loc;
	at = scan_tag(x, off, NULL);
	if (at == SIZE_MAX)
		return loc_of(x, off);
	while (at < x->len && is_blank(x->buf[at]))
		at++;
	return loc_of(x, at < x->len ? at : off);
}
