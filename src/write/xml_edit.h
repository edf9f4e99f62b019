/* Edits on XML text by position, never by re-serialising a tree, so that
 * everything but the edited attributes and elements stays byte for byte:
 * comments, attribute quoting, indentation, line ends. The text has been
 * parsed by libxml2 (it is well-formed); this only finds tags, attributes
 * and element ends in it. */
#ifndef VNL_WRITE_XML_EDIT_H
#define VNL_WRITE_XML_EDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* An element as written. */
struct xe_elem {
	size_t start;     /* its '<' */
	size_t name_len;  /* the name starts at start + 1 */
	size_t tag_end;   /* after the '>' of the start tag */
	bool empty;       /* <name .../> */
	size_t end;       /* after its end tag (tag_end when empty) */
};

/* The element whose start tag opens at off. -1 when there is none. */
int xe_elem_at(const char *buf, size_t len, size_t off, struct xe_elem *e);

/* The first child element of parent named name (no prefix). -1 if none. */
int xe_child(const char *buf, size_t len, const struct xe_elem *parent, const char *name,
	     struct xe_elem *out);

/* An attribute of e's start tag: where its name starts, where its value
 * starts and how long it is (without the quotes). false if absent. */
bool xe_attr(const char *buf, const struct xe_elem *e, const char *name, size_t *name_off,
	     size_t *val_off, size_t *val_len);

/* Edits on sb, each on an element found in sb just before. Offsets after
 * the edited place move; those before it do not. */
void xe_set_attr(struct strbuf *sb, const struct xe_elem *e, const char *name, const char *value);
void xe_remove_attr(struct strbuf *sb, const struct xe_elem *e, const char *name);
void xe_remove_elem(struct strbuf *sb, const struct xe_elem *e);
/* Insert the element text elem (such as "<mtu size='1450'/>") as a child
 * of parent: after the last child whose name is listed in before_names,
 * else as the first child. The indentation and line end follow the
 * existing children (or the parent), so the result looks hand-written; an
 * empty parent (<driver/>) is opened. */
void xe_insert_child(struct strbuf *sb, const struct xe_elem *parent, const char *elem,
		     const char *const *before_names, size_t nbefore);
/* The quote the element's attributes use (the first one), else '\''. */
char xe_quote(const char *buf, const struct xe_elem *e);

#endif
