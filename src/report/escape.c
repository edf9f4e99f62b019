#include "config.h"

#include "report/escape.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* The length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0 if there is none. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return n;
}

/* Is the sequence of n bytes at s a character XML 1.0 allows? */
static bool xml_allowed(const unsigned char *s, size_t n)
{
	if (n == 1)
		return s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' || s[0] == '\r';
	/* U+FFFE and U+FFFF: EF BF BE, EF BF BF */
	return !(n == 3 && s[0] == 0xEF && s[1] == 0xBF && s[2] >= 0xBE);
}

static char *clean(const char *in, bool xml)
{
	const unsigned char *s = (const unsigned char *)in;
	struct strbuf sb = STRBUF_INIT;

	if (!in)
		return NULL;
	strbuf_grow(&sb, strlen(in));
	while (*s) {
		size_t n = utf8_len(s);
		if (n == 0) {
			strbuf_adds(&sb, REPLACEMENT);
			s++;
			continue;
		}
		if (xml && !xml_allowed(s, n))
			strbuf_adds(&sb, REPLACEMENT);
		else
			strbuf_add(&sb, s, n);
		s += n;
	}
	return strbuf_detach(&sb);
}

char *vnl_utf8_repair(const char *s)
{
	return clean(s, false);
}

char *vnl_xml_clean(const char *s)
{
	return clean(s, true);
}

json_t *vnl_json_text(const char *s)
{
	char *ok = vnl_utf8_repair(s);
	json_t *j = ok ? json_string(ok) : json_null();

	free(ok);
	return j;
}

static char *gh_escape(const char *s, bool property)
{
	struct strbuf sb = STRBUF_INIT;

	for (; s && *s; s++) {
		switch (*s) {
		case '%': strbuf_adds(&sb, "%25"); break;
		case '\r': strbuf_adds(&sb, "%0D"); break;
		case '\n': strbuf_adds(&sb, "%0A"); break;
		case ':':
			strbuf_adds(&sb, property ? "%3A" : ":");
			break;
		case ',':
			strbuf_adds(&sb, property ? "%2C" : ",");
			break;
		default: strbuf_addch(&sb, *s); break;
		}
	}
	return strbuf_detach(&sb);
}

char *vnl_gh_escape_data(const char *s)
{
	return gh_escape(s, false);
}

char *vnl_gh_escape_property(const char *s)
{
	return gh_escape(s, true);
}

bool vnl_origin_is_uri(const char *origin)
{
	return strstr(origin, "://") != NULL || strchr(origin, '#') != NULL;
}

char *vnl_origin_normalise(const char *origin)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = origin;

	if (vnl_origin_is_uri(origin))
		return xstrdup(origin);
	if (*p == '/')
		strbuf_addch(&sb, '/');
	while (*p) {
		size_t n;
		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0)
			break;
		if (!(n == 1 && p[0] == '.')) {
			if (sb.len && sb.buf[sb.len - 1] != '/')
				strbuf_addch(&sb, '/');
			strbuf_add(&sb, p, n);
		}
		p += n;
	}
	if (sb.len == 0)
		strbuf_addch(&sb, '.');
	return strbuf_detach(&sb);
}

/* norm relative to base when it lies inside it, else NULL. */
static char *strip_base(const char *norm, const char *base)
{
	size_t n = strlen(base);

	if (!strcmp(base, "/"))
		return norm[0] == '/' && norm[1] ? xstrdup(norm + 1) : NULL;
	if (!strncmp(norm, base, n) && norm[n] == '/' && norm[n + 1])
		return xstrdup(norm + n + 1);
	return NULL;
}

static bool has_dotdot(const char *path)
{
	const char *p = strstr(path, "..");
	for (; p; p = strstr(p + 2, ".."))
		if ((p == path || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
			return true;
	return false;
}

char *vnl_origin_relative(const char *origin, const char *cwd)
{
	char *norm = vnl_origin_normalise(origin);
	char *base, *rel = NULL, *real;

	if (!cwd || vnl_origin_is_uri(origin) || (norm[0] != '/' && !has_dotdot(norm)))
		return norm;
	base = vnl_origin_normalise(cwd);
	if (norm[0] == '/' && !has_dotdot(norm))
		rel = strip_base(norm, base);
	/* "..", or a path through a symlink to cwd: ask the file system (cwd
	 * from getcwd is already physical) */
	if (!rel && (real = realpath(norm, NULL)) != NULL) {
		rel = strip_base(real, base);
		if (!rel && norm[0] != '/')
			rel = xstrdup(real);
		free(real);
	}
	free(base);
	if (!rel)
		return norm;
	free(norm);
	return rel;
}

static bool uri_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
}

char *vnl_path_to_uri(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *s = (const unsigned char *)path;

	if (*s == '/')
		strbuf_adds(&sb, "file://");
	for (; *s; s++) {
		if (uri_unreserved(*s))
			strbuf_addch(&sb, (char)*s);
		else
			strbuf_addf(&sb, "%%%02X", *s);
	}
	return strbuf_detach(&sb);
}

/* Bytes HTML text or an attribute value cannot hold as they are. */
static const char *html_entity(char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	}
	return NULL;
}

static void html_escape_clean(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		const char *e = html_entity(*s);
		if (e)
			strbuf_adds(sb, e);
		else
			strbuf_addch(sb, *s);
	}
}

void vnl_html_escape_to(struct strbuf *sb, const char *s)
{
	const unsigned char *p;
	char *ok;

	if (!s)
		return;
	/* the common case, plain printable ASCII, needs no repair */
	for (p = (const unsigned char *)s; *p >= 0x20 && *p < 0x7f; p++)
		;
	if (!*p) {
		html_escape_clean(sb, s);
		return;
	}
	ok = vnl_xml_clean(s);
	html_escape_clean(sb, ok);
	free(ok);
}
