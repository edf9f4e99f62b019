/* Reading libvirt XML safely, and the domain and network mapping.
 *
 * Safety: the document comes from a file anyone may have written, so the
 * parser gets XML_PARSE_NONET and never XML_PARSE_NOENT, DTDLOAD, DTDATTR
 * or XINCLUDE. On top of that a SAX hook stops the parse at the first
 * entity declaration (billion laughs, XXE) or external DTD reference, so
 * nothing is ever expanded or fetched; libvirt itself never writes a
 * DOCTYPE. No XML_PARSE_HUGE either, so libxml2's own size and depth
 * limits hold. libxml2's messages go to our handler, never to stderr; the
 * first error is kept and reported as "file:line: ...".
 *
 * Places: libxml2 gives each element the line where its start tag ends;
 * libvirt_xml_loc.c finds the exact line and column of a tag or attribute in
 * the source text from there. */
#include "config.h"

#include "libvirt_xml.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

#include "libvirt_xml_int.h"

/* ---- parsing ------------------------------------------------------------- */

struct guard {
	bool refused;     /* the SAX hook stopped the parse */
	bool have_error;
	unsigned line;
	char msg[400];
};

VNL_PRINTF(3, 0)
static void guard_verror(struct guard *g, unsigned line, const char *fmt, va_list ap)
{
	if (g->have_error)
		return;
	g->have_error = true;
	g->line = line;
	vsnprintf(g->msg, sizeof(g->msg), fmt, ap);
}

VNL_PRINTF(3, 4)
static void guard_error(struct guard *g, unsigned line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	guard_verror(g, line, fmt, ap);
	va_end(ap);
}

static struct guard *guard_of(void *ctx)
{
	xmlParserCtxtPtr ctxt = ctx;
	return ctxt ? ctxt->_private : NULL;
}

static unsigned ctxt_line(xmlParserCtxtPtr ctxt)
{
	return ctxt->input && ctxt->input->line > 0 ? (unsigned)ctxt->input->line : 0;
}

/* Every libxml2 error of this parse lands here; keep the first one. */
static void on_xml_error(void *ctx, xmlErrorPtr err)
{
	struct guard *g = guard_of(ctx);
	char text[360], *p;
	size_t n;

	if (!g || !err || err->level < XML_ERR_ERROR)
		return;
	snprintf(text, sizeof(text), "%s", err->message ? err->message : "unknown error");
	n = strlen(text);
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	for (p = text; (p = strchr(p, '\n')) != NULL;)
		*p = ' '; /* one line per error, even for libxml2's two-line ones */
	guard_error(g, err->line > 0 ? (unsigned)err->line : 0, "not well-formed XML: %s", text);
}

VNL_PRINTF(2, 3)
static void refuse(void *ctx, const char *fmt, ...)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct guard *g = guard_of(ctx);
	va_list ap;

	va_start(ap, fmt);
	guard_verror(g, ctxt_line(ctxt), fmt, ap);
	va_end(ap);
	g->refused = true;
	xmlStopParser(ctxt);
}

static const char *xs(const xmlChar *s)
{
	return s ? (const char *)s : "?";
}

static void on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
			   const xmlChar *system_id, xmlChar *content)
{
	(void)type, (void)public_id, (void)system_id, (void)content;
	refuse(ctx, "the DOCTYPE declares entity '%s'; documents that declare entities are "
		    "refused (nothing was expanded)", xs(name));
}

static void on_unparsed_entity_decl(void *ctx, const xmlChar *name, const xmlChar *public_id,
				    const xmlChar *system_id, const xmlChar *notation)
{
	(void)public_id, (void)system_id, (void)notation;
	on_entity_decl(ctx, name, 0, NULL, NULL, NULL);
}

static void on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *external_id,
			       const xmlChar *system_id)
{
	if (external_id || system_id) {
		refuse(ctx, "the DOCTYPE of <%s> refers to an external DTD; such documents are "
			    "refused (nothing was loaded)", xs(name));
		return;
	}
	xmlSAX2InternalSubset(ctx, name, external_id, system_id);
}

static xmlDocPtr read_doc(const char *buf, size_t len, struct guard *g)
{
	/* COMPACT and NOBLANKS: fewer, smaller nodes; the tree is only read */
	const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
			    XML_PARSE_BIG_LINES | XML_PARSE_COMPACT | XML_PARSE_NOBLANKS;
	xmlStructuredErrorFunc old_fn = xmlStructuredError;
	void *old_ctx = xmlStructuredErrorContext;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;

	if (len == 0 || len > INT_MAX) {
		guard_error(g, 0, "%s", len ? "too large for an XML document" : "empty document");
		return NULL;
	}
	ctxt = xmlCreateMemoryParserCtxt(buf, (int)len);
	if (!ctxt) {
		guard_error(g, 0, "%s", "libxml2 could not start a parser");
		return NULL;
	}
	xmlCtxtUseOptions(ctxt, options);
	ctxt->_private = g;
	ctxt->sax->serror = on_xml_error;
	ctxt->sax->entityDecl = on_entity_decl;
	ctxt->sax->unparsedEntityDecl = on_unparsed_entity_decl;
	ctxt->sax->internalSubset = on_internal_subset;
	/* errors raised without a parser context (encoding conversion) use
	 * the thread's structured handler: point it here for this parse only */
	xmlSetStructuredErrorFunc(ctxt, on_xml_error);
	xmlParseDocument(ctxt);
	xmlSetStructuredErrorFunc(old_ctx, old_fn);
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	if (doc && (g->refused || !ctxt->wellFormed || doc->extSubset)) {
		if (doc->extSubset)
			guard_error(g, 0, "%s", "an external DTD subset was loaded; refused");
		xmlFreeDoc(doc);
		doc = NULL;
	}
	if (!doc)
		guard_error(g, ctxt_line(ctxt), "%s", "not well-formed XML");
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* ---- values --------------------------------------------------------------- */

bool lx_is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !n->ns && !strcmp((const char *)n->name, name);
}

bool lx_is_ns(xmlNodePtr n, const char *href, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       !strcmp((const char *)n->ns->href, href) && !strcmp((const char *)n->name, name);
}

/* An attribute without namespace, as written (entities are refused, so it
 * is one text node); NULL when absent. No allocation. */
const char *lx_attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a;
	for (a = n->properties; a; a = a->next) {
		if (a->ns || strcmp((const char *)a->name, name))
			continue;
		if (a->children && a->children->type == XML_TEXT_NODE && !a->children->next)
			return (const char *)a->children->content;
		return "";
	}
	return NULL;
}

/* An element's text in the VM's arena, surrounding blanks removed. */
const char *lx_text(struct lx *x, xmlNodePtr n)
{
	xmlChar *c = xmlNodeGetContent(n);
	const char *s = c ? (const char *)c : "", *e;
	char *out;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	out = arena_strndup(&x->vm->arena, s, (size_t)(e - s));
	xmlFree(c);
	return out;
}

bool lx_take_attr(struct lx *x, struct vnl_text *dst, xmlNodePtr n, const char *attr)
{
	const char *v = lx_attr(n, attr);
	if (!v)
		return false;
	dst->raw = arena_strdup(&x->vm->arena, v);
	dst->loc = lx_attr_loc(x, n, attr);
	return true;
}

/* A non-negative decimal as libvirt's unsigned parsers accept it. */
bool lx_uint(const char *s, unsigned long long max, long long *out)
{
	long long v;
	if (!s || !str_to_ll(s, strlen(s), false, &v) || v < 0 || (unsigned long long)v > max)
		return false;
	*out = v;
	return true;
}

/* ---- the domain ------------------------------------------------------------ */

static void map_vcpu(struct lx *x, xmlNodePtr n)
{
	struct vnl_vm *vm = x->vm;
	const char *cur = lx_attr(n, "current");
	const char *text = lx_text(x, n);
	long long v;

	/* research/libvirt.md 2: current = enabled at boot, text = maximum */
	if (cur && lx_uint(cur, UINT_MAX, &v) && v > 0) {
		vm->vcpus.value = v;
		vm->vcpus.raw = arena_strdup(&vm->arena, cur);
		vm->vcpus.loc = lx_attr_loc(x, n, "current");
		vm->vcpus_from = "<vcpu current>";
		return;
	}
	if (cur)
		vnl_vm_problem(vm, VNL_SEV_ERROR, lx_line(n), lx_attr_loc(x, n, "current").col,
			       NULL, "<vcpu current='%s'> is not a positive number; libvirt refuses "
			       "the definition", cur);
	if (lx_uint(text, UINT_MAX, &v) && v > 0) {
		vm->vcpus.value = v;
		vm->vcpus.raw = text;
		vm->vcpus.loc = lx_text_loc(x, n);
		vm->vcpus_from = "<vcpu>";
		return;
	}
	vnl_vm_problem(vm, VNL_SEV_ERROR, lx_line(n), lx_text_loc(x, n).col, NULL,
		       "<vcpu>%s</vcpu> is not a positive number; libvirt refuses the definition",
		       text);
}

static void map_libosinfo(struct lx *x, xmlNodePtr n)
{
	xmlNodePtr c;
	for (c = n->children; c; c = c->next) {
		const char *id;
		if (lx_is_ns(c, LIBVIRT_XML_NS_LIBOSINFO, "os") && (id = lx_attr(c, "id"))) {
			x->vm->os_id = arena_strdup(&x->vm->arena, id);
			return;
		}
	}
}

static void map_metadata(struct lx *x, xmlNodePtr n)
{
	bool seen_osinfo = false, seen_lint = false;
	xmlNodePtr c;

	for (c = n->children; c; c = c->next) {
		if (lx_is_ns(c, LIBVIRT_XML_NS_LIBOSINFO, "libosinfo") && !seen_osinfo) {
			seen_osinfo = true; /* libvirt keeps the first one only */
			map_libosinfo(x, c);
		} else if (c->type == XML_ELEMENT_NODE && c->ns && c->ns->href &&
			   !strcmp((const char *)c->ns->href, LIBVIRT_XML_NS_VMNETLINT)) {
			lx_map_lint(x, c, seen_lint);
			seen_lint = true;
		}
	}
}

static void map_devices(struct lx *x, xmlNodePtr n)
{
	unsigned index = 0;
	xmlNodePtr c;
	for (c = n->children; c; c = c->next)
		if (lx_is(c, "interface"))
			lx_map_interface(x, c, index++);
}

static void map_domain_child(struct lx *x, xmlNodePtr c)
{
	struct vnl_vm *vm = x->vm;

	if (lx_is(c, "name"))
		vm->name = lx_text(x, c);
	else if (lx_is(c, "uuid"))
		vm->uuid = lx_text(x, c);
	else if (lx_is(c, "title"))
		vm->title = lx_text(x, c);
	else if (lx_is(c, "description"))
		vm->description = lx_text(x, c);
	else if (lx_is(c, "vcpu"))
		map_vcpu(x, c);
	else if (lx_is(c, "metadata"))
		map_metadata(x, c);
	else if (lx_is(c, "devices"))
		map_devices(x, c);
}

static struct vnl_vm *map_domain(struct lx *x, xmlNodePtr root, enum vnl_source_kind kind)
{
	struct vnl_vm *vm = vnl_vm_new(kind, x->origin);
	const char *type = lx_attr(root, "type");
	xmlNodePtr c;

	x->vm = vm;
	if (type)
		vm->virt_type = arena_strdup(&vm->arena, type);
	for (c = root->children; c; c = c->next)
		map_domain_child(x, c);
	if (vm->name && !*vm->name)
		vm->name = NULL;
	vm->id = vm->name ? vm->name : vm->uuid;
	if (!vm->name)
		vnl_vm_problem(vm, VNL_SEV_ERROR, lx_line(root), 1, NULL,
			       "the domain has no <name>; libvirt refuses the definition");
	lx_finish_lint(x);
	return vm;
}

/* ---- a <network> ----------------------------------------------------------- */

/* A libvirt network's own bridge (no <forward>, or nat/route/open) gets the
 * network's MTU, so a NIC attached by bridge name finds it too; a network
 * that forwards onto an existing host bridge does not own that bridge. */
static bool network_owns_bridge(const char *mode, bool has_forward)
{
	return !has_forward || !strcmp(mode, "nat") || !strcmp(mode, "route") ||
	       !strcmp(mode, "open");
}

struct net_fields {
	xmlNodePtr name, mtu, forward, bridge;
};

static void set_network(struct vnl_netenv *env, struct vnl_bridge *br, const char *mode,
			const struct vnl_int *mtu)
{
	br->zone = mode ? arena_strdup(&env->arena, mode) : NULL;
	if (mtu->raw) {
		br->mtu = *mtu;
		br->mtu.raw = arena_strdup(&env->arena, mtu->raw);
		br->mtu.loc.origin = br->loc.origin;
	}
}

static enum libvirt_xml_what map_network(struct lx *x, xmlNodePtr root, struct vnl_netenv *env,
					 struct libvirt_xml_result *res)
{
	struct net_fields f = { NULL, NULL, NULL, NULL };
	struct vnl_int mtu = { 0, NULL, { NULL, 0, 0 } };
	const char *name, *mode = NULL, *size;
	struct vnl_bridge *br;
	xmlNodePtr c;

	for (c = root->children; c; c = c->next) {
		xmlNodePtr *slot = lx_is(c, "name") ? &f.name : lx_is(c, "mtu") ? &f.mtu :
				   lx_is(c, "forward") ? &f.forward : lx_is(c, "bridge") ? &f.bridge :
				   NULL;
		if (slot && !*slot)
			*slot = c;
	}
	name = f.name ? (const char *)xmlNodeGetContent(f.name) : NULL;
	if (!name || !*name) {
		xmlFree((xmlChar *)name);
		res->line = lx_line(root);
		snprintf(res->msg, sizeof(res->msg), "the network has no <name>");
		return LIBVIRT_XML_ERROR;
	}
	if (f.mtu && (size = lx_attr(f.mtu, "size")) != NULL) {
		if (!lx_uint(size, 65535, &mtu.value)) {
			res->line = lx_line(f.mtu);
			snprintf(res->msg, sizeof(res->msg), "network '%s': malformed mtu size '%s'",
				 name, size);
			xmlFree((xmlChar *)name);
			return LIBVIRT_XML_ERROR;
		}
		mtu.raw = size;
		mtu.loc = lx_attr_loc(x, f.mtu, "size");
	}
	/* <forward/> without mode is NAT: the test driver refuses it with "nat
	 * forwarding requested" when the network has no IP */
	if (f.forward)
		mode = lx_attr(f.forward, "mode") ? lx_attr(f.forward, "mode") : "nat";
	if (env) {
		br = vnl_netenv_add(env, name, NULL, x->origin, lx_line(root));
		set_network(env, br, mode, &mtu);
		if (f.bridge && lx_attr(f.bridge, "name") && *lx_attr(f.bridge, "name") &&
		    network_owns_bridge(mode, f.forward != NULL) &&
		    strcmp(lx_attr(f.bridge, "name"), name)) {
			br = vnl_netenv_add(env, lx_attr(f.bridge, "name"), NULL, x->origin,
					    lx_line(f.bridge));
			set_network(env, br, mode, &mtu);
		}
	}
	xmlFree((xmlChar *)name);
	return LIBVIRT_XML_NETWORK;
}

/* ---- entry points ------------------------------------------------------------ */

bool libvirt_xml_sniff(const char *buf, size_t len)
{
	size_t i = 0;
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
		i++;
	return i < len && buf[i] == '<';
}

static enum libvirt_xml_what skip_root(xmlNodePtr root, struct libvirt_xml_result *res)
{
	const char *name = (const char *)root->name;

	if (!root->ns && !strcmp(name, "node"))
		snprintf(res->msg, sizeof(res->msg), "a libvirt test-driver node file, not a "
			 "domain; skipped (scan it with --connect test:///ABSOLUTE/PATH)");
	else
		snprintf(res->msg, sizeof(res->msg), "root element <%.64s> is not a libvirt "
			 "<domain> or <network>; skipped", name);
	return LIBVIRT_XML_SKIPPED;
}

enum libvirt_xml_what libvirt_xml_parse(const char *origin, enum vnl_source_kind kind,
					const char *buf, size_t len, struct vnl_netenv *net,
					struct libvirt_xml_result *res)
{
	struct guard g;
	struct lx x;
	enum libvirt_xml_what what;
	xmlDocPtr doc;
	xmlNodePtr root;

	memset(res, 0, sizeof(*res));
	memset(&g, 0, sizeof(g));
	doc = read_doc(buf, len, &g);
	if (!doc) {
		res->line = g.line;
		snprintf(res->msg, sizeof(res->msg), "%s", g.msg);
		return LIBVIRT_XML_ERROR;
	}
	root = xmlDocGetRootElement(doc);
	lx_init(&x, origin, buf, len);
	if (root && lx_is(root, "domain")) {
		res->vm = map_domain(&x, root, kind);
		what = LIBVIRT_XML_DOMAIN;
	} else if (root && lx_is(root, "network")) {
		what = map_network(&x, root, net, res);
	} else if (root) {
		what = skip_root(root, res);
	} else {
		snprintf(res->msg, sizeof(res->msg), "no root element");
		what = LIBVIRT_XML_ERROR;
	}
	lx_release(&x);
	xmlFreeDoc(doc);
	return what;
}
