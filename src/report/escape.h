/* Text and path helpers the machine-readable reporters share: making text
 * safe for JSON (valid UTF-8) and XML (valid XML 1.0 characters), GitHub
 * workflow-command escaping, and how an origin (a file path or a URI) is
 * named in a report. Every function returns a new string the caller frees. */
#ifndef VNL_REPORT_ESCAPE_H
#define VNL_REPORT_ESCAPE_H

#include <jansson.h>
#include <stdbool.h>

/* s with every invalid UTF-8 sequence replaced by U+FFFD; NULL for NULL.
 * jansson refuses invalid UTF-8, and a config may hold any bytes. */
char *vnl_utf8_repair(const char *s);
/* vnl_utf8_repair, and also every character XML 1.0 forbids (C0 controls
 * other than tab, LF and CR; U+FFFE, U+FFFF) replaced by U+FFFD. */
char *vnl_xml_clean(const char *s);
/* A JSON string of vnl_utf8_repair(s), or JSON null for NULL. */
json_t *vnl_json_text(const char *s);

/* Append s to sb as HTML text, also fit for a quoted attribute value:
 * vnl_xml_clean, then & < > " ' as character references. NULL adds nothing. */
struct strbuf;
void vnl_html_escape_to(struct strbuf *sb, const char *s);

/* GitHub workflow commands (actions/toolkit escapeData/escapeProperty):
 * data escapes %, CR and LF; a property also escapes : and ,. */
char *vnl_gh_escape_data(const char *s);
char *vnl_gh_escape_property(const char *s);

/* An origin that is not a file path: an API or libvirt URI, recognised by
 * "://" or "#" in it. */
bool vnl_origin_is_uri(const char *origin);
/* The path as given, written one way: "./" segments and repeated or
 * trailing slashes dropped ("./a//b/" -> "a/b"). ".." is kept: resolving it
 * would need the file system. URIs are returned unchanged. */
char *vnl_origin_normalise(const char *origin);
/* The normalised path, relative to cwd when it lies inside cwd
 * ("/w/x/a.conf" with cwd "/w" -> "x/a.conf"). A path with ".." or one
 * that only realpath() shows to be inside cwd is resolved through the file
 * system: inside cwd it becomes relative, outside an absolute path. Other
 * paths are returned normalised. */
char *vnl_origin_relative(const char *origin, const char *cwd);
/* A URI reference for a path: relative paths stay relative, absolute ones
 * become file:// URIs; bytes outside RFC 3986's unreserved set and "/" are
 * percent-encoded. */
char *vnl_path_to_uri(const char *path);

#endif
