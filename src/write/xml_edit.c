#include "config.h"

#include "write/xml_edit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool name_end(char c)
{
	return blank(c) || c == '/' || c == '>';
}

static bool starts(const char *buf, size_t len, size_t p, const char *s)
{
	size_t n = strlen(s);
	return p + n <= len && !memcmp(buf + p, s, n);
}

/* After markup that is not an element (comment, CDATA, PI, declaration)
 * at p; 0 when p starts an element or an end tag; SIZE_MAX if unclosed. */
static size_t skip_special(const char *buf, size_t len, size_t p)
{
	static const struct { const char *open, *close; } kinds[] = {
		{ "<!--", "-->" }, { "<![CDATA[", "]]>" }, { "<?", "?>" }, { "<!", ">" },
	};
	size_t i;

	for (i = 0; i < VNL_ARRAY_LEN(kinds); i++) {
		size_t o = strlen(kinds[i].open), c = strlen(kinds[i].close), q;
		if (!starts(buf, len, p, kinds[i].open))
			continue;
		for (q = p + o; q + c <= len; q++)
			if (!memcmp(buf + q, kinds[i].close, c))
				return q + c;
		return SIZE_MAX;
	}
	return 0;
}

/* One attribute of a start tag from p (at its name): its parts, and the
 * offset after its closing quote; SIZE_MAX when malformed. */
static size_t scan_attr(const char *buf, size_t len, size_t p, size_t *nlen, size_t *voff,
			size_t *vlen)
{
	size_t name = p;
	const char *q;

	while (p < len && !blank(buf[p]) && buf[p] != '=' && buf[p] != '>' && buf[p] != '/')
		p++;
	*nlen = p - name;
	while (p < len && blank(buf[p]))
		p++;
	if (p >= len || buf[p] != '=')
		return SIZE_MAX;
	for (p++; p < len && blank(buf[p]); p++)
		;
	if (p >= len || (buf[p] != '"' && buf[p] != '\''))
		return SIZE_MAX;
	q = memchr(buf + p + 1, buf[p], len - p - 1);
	if (!q)
		return SIZE_MAX;
	*voff = p + 1;
	*vlen = (size_t)(q - buf) - p - 1;
	return (size_t)(q - buf) + 1;
}

/* Walk a start tag; *last_attr_end is after the last attribute (or the
 * name). Returns the offset after '>' or SIZE_MAX. */
static size_t scan_start_tag(const char *buf, size_t len, size_t off, bool *empty,
			     size_t *name_len, size_t *last_attr_end)
{
	size_t p = off + 1, nlen, voff, vlen;

	while (p < len && !name_end(buf[p]))
		p++;
	*name_len = p - off - 1;
	*last_attr_end = p;
	for (;;) {
		while (p < len && blank(buf[p]))
			p++;
		if (p >= len)
			return SIZE_MAX;
		if (buf[p] == '>' || (buf[p] == '/' && p + 1 < len && buf[p + 1] == '>')) {
			*empty = buf[p] == '/';
			return p + (*empty ? 2 : 1);
		}
		p = scan_attr(buf, len, p, &nlen, &voff, &vlen);
		if (p == SIZE_MAX)
			return SIZE_MAX;
		*last_attr_end = p;
	}
}

/* The next '<' from p on, before limit, that opens an element or an end
 * tag (comments, CDATA, PIs and declarations are skipped); SIZE_MAX when
 * there is none or markup is unclosed. */
static size_t next_tag(const char *buf, size_t len, size_t p, size_t limit)
{
	while (p < limit) {
		const char *lt = memchr(buf + p, '<', limit - p);
		size_t skip;

		if (!lt)
			return SIZE_MAX;
		p = (size_t)(lt - buf);
		skip = skip_special(buf, len, p);
		if (skip == 0)
			return p;
		if (skip == SIZE_MAX)
			return SIZE_MAX;
		p = skip;
	}
	return SIZE_MAX;
}

int xe_elem_at(const char *buf, size_t len, size_t off, struct xe_elem *e)
{
	size_t p, depth = 0, nl, last;
	bool empty;

	if (off + 1 >= len || buf[off] != '<' || name_end(buf[off + 1]) ||
	    skip_special(buf, len, off) != 0)
		return -1;
	e->start = off;
	e->tag_end = scan_start_tag(buf, len, off, &e->empty, &e->name_len, &last);
	if (e->tag_end == SIZE_MAX)
		return -1;
	e->end = e->tag_end;
	for (p = e->tag_end; !e->empty;) {
		if ((p = next_tag(buf, len, p, len)) == SIZE_MAX)
			return -1;
		if (p + 1 < len && buf[p + 1] == '/') {
			const char *gt = memchr(buf + p, '>', len - p);
			if (!gt)
				return -1;
			p = (size_t)(gt - buf) + 1;
			if (depth-- == 0) {
				e->end = p;
				return 0;
			}
		} else {
			p = scan_start_tag(buf, len, p, &empty, &nl, &last);
			if (p == SIZE_MAX)
				return -1;
			depth += !empty;
		}
	}
	return 0;
}

/* The next child element of parent at or after from. */
static int next_child(const char *buf, size_t len, const struct xe_elem *parent, size_t from,
		      struct xe_elem *out)
{
	size_t p = parent->empty ? SIZE_MAX : next_tag(buf, len, from, parent->end);

	if (p == SIZE_MAX || (p + 1 < len && buf[p + 1] == '/'))
		return -1; /* none, or the parent's end tag */
	return xe_elem_at(buf, len, p, out);
}

static bool elem_is(const char *buf, const struct xe_elem *e, const char *name)
{
	return e->name_len == strlen(name) && !memcmp(buf + e->start + 1, name, e->name_len);
}

int xe_child(const char *buf, size_t len, const struct xe_elem *parent, const char *name,
	     struct xe_elem *out)
{
	size_t p = parent->tag_end;

	while (next_child(buf, len, parent, p, out) == 0) {
		if (elem_is(buf, out, name))
			return 0;
		p = out->end;
	}
	return -1;
}

bool xe_attr(const char *buf, const struct xe_elem *e, const char *name, size_t *name_off,
	     size_t *val_off, size_t *val_len)
{
	size_t p = e->start + 1 + e->name_len, nlen;

	for (;;) {
		while (p < e->tag_end && blank(buf[p]))
			p++;
		if (p >= e->tag_end || buf[p] == '>' || buf[p] == '/')
			return false;
		*name_off = p;
		p = scan_attr(buf, e->tag_end, p, &nlen, val_off, val_len);
		if (p == SIZE_MAX)
			return false;
		if (nlen == strlen(name) && !memcmp(buf + *name_off, name, nlen))
			return true;
	}
}

char xe_quote(const char *buf, const struct xe_elem *e)
{
	size_t p;
	for (p = e->start; p < e->tag_end; p++)
		if (buf[p] == '"' || buf[p] == '\'')
			return buf[p];
	return '\'';
}

/* ---- edits --------------------------------------------------------------------------- */

static void splice(struct strbuf *sb, size_t off, size_t del, const char *ins)
{
	struct strbuf t = STRBUF_INIT;
	strbuf_add(&t, sb->buf, off);
	strbuf_adds(&t, ins);
	strbuf_add(&t, sb->buf + off + del, sb->len - off - del);
	strbuf_release(sb);
	*sb = t;
}

void xe_set_attr(struct strbuf *sb, const struct xe_elem *e, const char *name, const char *value)
{
	size_t noff, voff, vlen, nl, last;
	bool empty;
	char q;
	char *text;

	if (xe_attr(sb->buf, e, name, &noff, &voff, &vlen)) {
		splice(sb, voff, vlen, value);
		return;
	}
	scan_start_tag(sb->buf, sb->len, e->start, &empty, &nl, &last);
	q = xe_quote(sb->buf, e);
	text = xasprintf(" %s=%c%s%c", name, q, value, q);
	splice(sb, last, 0, text);
	free(text);
}

void xe_remove_attr(struct strbuf *sb, const struct xe_elem *e, const char *name)
{
	size_t noff, voff, vlen, from;

	if (!xe_attr(sb->buf, e, name, &noff, &voff, &vlen))
		return;
	for (from = noff; from > e->start && blank(sb->buf[from - 1]); from--)
		;
	splice(sb, from, voff + vlen + 1 - from, "");
}

/* Where the line holding off starts, and whether only blanks precede off. */
static size_t line_start(const char *buf, size_t off, bool *alone)
{
	size_t ls = off;
	while (ls > 0 && buf[ls - 1] != '\n')
		ls--;
	*alone = true;
	for (size_t p = ls; p < off && *alone; p++)
		*alone = buf[p] == ' ' || buf[p] == '\t';
	return ls;
}

void xe_remove_elem(struct strbuf *sb, const struct xe_elem *e)
{
	bool alone;
	size_t ls = line_start(sb->buf, e->start, &alone), le = e->end;

	while (le < sb->len && (sb->buf[le] == ' ' || sb->buf[le] == '\t' || sb->buf[le] == '\r'))
		le++;
	if (alone && le < sb->len && sb->buf[le] == '\n')
		splice(sb, ls, le + 1 - ls, "");
	else
		splice(sb, e->start, e->end - e->start, "");
}

/* The indentation of the element at off when it starts its line, else NULL. */
static char *indent_of(const char *buf, size_t off)
{
	bool alone;
	size_t ls = line_start(buf, off, &alone);
	return alone && ls > 0 ? xstrndup(buf + ls, off - ls) : NULL;
}

static const char *line_end_of(const char *buf, size_t len, size_t off)
{
	const char *nl = memchr(buf + off, '\n', len - off);
	return nl && nl > buf && nl[-1] == '\r' ? "\r\n" : "\n";
}

static bool named(const char *buf, const struct xe_elem *e, const char *const *names, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (elem_is(buf, e, names[i]))
			return true;
	return false;
}

/* "<driver .../>" opened around elem. */
static void open_empty(struct strbuf *sb, const struct xe_elem *parent, const char *elem,
		       const char *pind, const char *nl)
{
	size_t q = parent->tag_end - 2;
	char *text;

	while (q > parent->start && blank(sb->buf[q - 1]))
		q--;
	if (pind)
		text = xasprintf(">%s%s%s%s%s%s</%.*s>", nl, pind, strchr(pind, '\t') ? "\t" : "  ",
				 elem, nl, pind, (int)parent->name_len, sb->buf + parent->start + 1);
	else
		text = xasprintf(">%s</%.*s>", elem, (int)parent->name_len, sb->buf + parent->start + 1);
	splice(sb, q, parent->tag_end - q, text);
	free(text);
}

void xe_insert_child(struct strbuf *sb, const struct xe_elem *parent, const char *elem,
		     const char *const *before_names, size_t nbefore)
{
	struct xe_elem c, first = { 0 }, after = { 0 };
	bool have_first = false, have_after = false;
	const char *nl = line_end_of(sb->buf, sb->len, parent->start);
	char *pind = indent_of(sb->buf, parent->start), *cind = NULL, *text;
	size_t p = parent->tag_end, at;

	if (parent->empty) {
		open_empty(sb, parent, elem, pind, nl);
		free(pind);
		return;
	}
	while (next_child(sb->buf, sb->len, parent, p, &c) == 0) {
		if (!have_first)
			first = c, have_first = true;
		if (named(sb->buf, &c, before_names, nbefore))
			after = c, have_after = true;
		p = c.end;
	}
	at = have_after ? after.end : parent->tag_end;
	if (have_first)
		cind = indent_of(sb->buf, first.start);
	else if (pind)
		cind = xasprintf("%s%s", pind, strchr(pind, '\t') ? "\t" : "  ");
	text = cind ? xasprintf("%s%s%s", nl, cind, elem) : xstrdup(elem);
	splice(sb, at, 0, text);
	free(text);
	free(cind);
	free(pind);
}
