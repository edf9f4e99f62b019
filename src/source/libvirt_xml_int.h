/* Internals shared by libvirt_xml.c (document, domain, network),
 * libvirt_xml_nic.c (<interface>, our metadata) and libvirt_xml_loc.c
 * (line and column of a tag or attribute in the source text). */
#ifndef VNL_LIBVIRT_XML_INT_H
#define VNL_LIBVIRT_XML_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "model.h"

struct lx {
	const char *origin;
	const char *buf;
	size_t len;
	size_t *lines; /* offset where each line starts: lines[0] is line 1 */
	size_t nlines;
	xmlNodePtr tag_node; /* the last element whose start tag was found */
	size_t tag_off;
	struct vnl_vm *vm;
	/* our metadata, collected while the domain is read */
	struct vnl_suppression *supp;
	size_t nsupp, supp_cap;
};

void lx_init(struct lx *x, const char *origin, const char *buf, size_t len);
void lx_release(struct lx *x);

/* Places: the line libxml2 recorded, and line:col found in the text
 * (col 0 when the text does not show it, e.g. an encoding other than UTF-8). */
unsigned lx_line(xmlNodePtr n);
struct vnl_loc lx_elem_loc(struct lx *x, xmlNodePtr n);
struct vnl_loc lx_attr_loc(struct lx *x, xmlNodePtr n, const char *attr);
struct vnl_loc lx_text_loc(struct lx *x, xmlNodePtr n);

/* Values. */
bool lx_is(xmlNodePtr n, const char *name); /* element without namespace */
bool lx_is_ns(xmlNodePtr n, const char *href, const char *name);
const char *lx_attr(xmlNodePtr n, const char *name);
const char *lx_text(struct lx *x, xmlNodePtr n);
bool lx_take_attr(struct lx *x, struct vnl_text *dst, xmlNodePtr n, const char *attr);
bool lx_uint(const char *s, unsigned long long max, long long *out);

/* libvirt_xml_nic.c */
void lx_map_interface(struct lx *x, xmlNodePtr iface, unsigned index);
/* <vmnetlint:lint>; later is true for a second one (libvirt drops it). */
void lx_map_lint(struct lx *x, xmlNodePtr lint, bool later);
/* Move the collected suppressions into the VM's arena. */
void lx_finish_lint(struct lx *x);

#endif
