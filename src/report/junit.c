/* JUnit XML for GitLab and Jenkins (research/linter-ux.md 5.1): one
 * testsuite, one testcase per VM scanned (name = VM label, classname =
 * origin) with a <failure> per finding, clean VMs as passing testcases so
 * the counts are never zero, and an <error> testcase per unreadable input.
 * Written with libxml2's tree API: the suite's counts go on its element,
 * which is only complete once every VM has been seen. */
#include "config.h"

#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report/escape.h"
#include "rule.h"

struct junit_failure {
	xmlNodePtr node;
	char *vm_label, *origin; /* whose testcase it belongs to */
};

struct junit_reporter {
	struct vnl_reporter base;
	FILE *out;
	xmlDocPtr doc;
	xmlNodePtr suite;
	/* failures of the VM in progress; after the last VM, the findings of
	 * the rules that compare VMs (VNL012, VNL031, ...), which come last */
	struct junit_failure *pending;
	size_t npending, pending_cap;
	size_t tests, failed_tests, failures, errors;
};

#define X(s) ((const xmlChar *)(s))

/* Set an attribute to text made valid for XML 1.0. */
static void set_attr(xmlNodePtr node, const char *name, const char *value)
{
	char *clean = vnl_xml_clean(value ? value : "");
	xmlSetProp(node, X(name), X(clean));
	free(clean);
}

static xmlNodePtr add_text_child(xmlNodePtr parent, const char *name, const char *text)
{
	char *clean = vnl_xml_clean(text);
	/* xmlNewTextChild escapes &, < and > itself */
	xmlNodePtr n = xmlNewTextChild(parent, NULL, X(name), X(clean));
	free(clean);
	return n;
}

static void set_count(xmlNodePtr node, const char *name, size_t n)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%zu", n);
	xmlSetProp(node, X(name), X(buf));
}

/* "file:10:45\nbecause ...\nfix: ..." */
static char *failure_text(const struct vnl_finding *f)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_adds(&sb, f->origin);
	if (f->line)
		strbuf_addf(&sb, ":%u", f->line);
	if (f->line && f->col)
		strbuf_addf(&sb, ":%u", f->col);
	if (f->nic_key)
		strbuf_addf(&sb, " (%s)", f->nic_key);
	if (f->evidence)
		strbuf_addf(&sb, "\nbecause %s", f->evidence);
	for (i = 0; i < f->nedits; i++) {
		char *d = vnl_edit_describe(&f->edits[i]);
		strbuf_addf(&sb, "%s%s", i ? ", " : "\nfix: ", d);
		free(d);
	}
	strbuf_addch(&sb, '\n');
	return strbuf_detach(&sb);
}

static void junit_finding(struct vnl_reporter *r, const struct vnl_finding *f)
{
	struct junit_reporter *t = (struct junit_reporter *)r;
	char *text = failure_text(f);
	char *msg = xasprintf("%s%s: %s", f->pending ? "[PENDING] " : "",
			      vnl_severity_name(f->severity), f->message);
	xmlNodePtr node = xmlNewNode(NULL, X("failure"));
	char *clean = vnl_xml_clean(text);

	set_attr(node, "message", msg);
	set_attr(node, "type", f->rule->id);
	xmlNodeAddContent(node, X(clean));
	vnl_grow(&t->pending, &t->pending_cap, t->npending + 1, sizeof(*t->pending));
	t->pending[t->npending].node = node;
	t->pending[t->npending].vm_label = xstrdup(f->vm_label ? f->vm_label : f->origin);
	t->pending[t->npending].origin = xstrdup(f->origin);
	t->npending++;
	free(clean);
	free(text);
	free(msg);
}

static xmlNodePtr add_testcase(struct junit_reporter *t, const char *name, const char *classname,
			       const char *file)
{
	xmlNodePtr tc = xmlNewChild(t->suite, NULL, X("testcase"), NULL);

	set_attr(tc, "name", name);
	set_attr(tc, "classname", classname);
	if (file)
		set_attr(tc, "file", file);
	xmlSetProp(tc, X("time"), X("0"));
	t->tests++;
	return tc;
}

static void junit_vm_done(struct vnl_reporter *r, const struct vnl_vm_summary *vm)
{
	struct junit_reporter *t = (struct junit_reporter *)r;
	bool file = !vnl_origin_is_uri(vm->origin);
	xmlNodePtr tc = add_testcase(t, vm->label, vm->origin, file ? vm->origin : NULL);
	size_t i;

	for (i = 0; i < t->npending; i++) {
		xmlAddChild(tc, t->pending[i].node);
		free(t->pending[i].vm_label);
		free(t->pending[i].origin);
	}
	t->failures += t->npending;
	t->failed_tests += t->npending > 0;
	t->npending = 0;
}

static bool attr_is(xmlNodePtr n, const char *name, const char *want)
{
	xmlChar *v = xmlGetProp(n, X(name));
	char *clean = vnl_xml_clean(want);
	bool same = v && !strcmp((const char *)v, clean);

	xmlFree(v);
	free(clean);
	return same;
}

static bool has_failure(xmlNodePtr tc)
{
	xmlNodePtr c;
	for (c = tc->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "failure"))
			return true;
	return false;
}

/* A finding of a rule that compares VMs arrives after every VM is done:
 * it joins the testcase of the VM it names, or one of its own when that
 * VM has none (a scan without vm_done calls). */
static void place_late_failure(struct junit_reporter *t, struct junit_failure *p)
{
	xmlNodePtr tc;

	for (tc = t->suite->children; tc; tc = tc->next)
		if (tc->type == XML_ELEMENT_NODE && attr_is(tc, "name", p->vm_label) &&
		    attr_is(tc, "classname", p->origin))
			break;
	/* a NIC's place may name another file than its VM's (an included one) */
	for (tc = tc ? tc : t->suite->children; tc; tc = tc->next)
		if (tc->type == XML_ELEMENT_NODE && attr_is(tc, "name", p->vm_label))
			break;
	if (!tc) {
		bool file = !vnl_origin_is_uri(p->origin);
		tc = add_testcase(t, p->vm_label, p->origin, file ? p->origin : NULL);
	}
	t->failed_tests += !has_failure(tc);
	xmlAddChild(tc, p->node);
	t->failures++;
}

static void junit_input_error(struct vnl_reporter *r, const char *origin, const char *msg)
{
	struct junit_reporter *t = (struct junit_reporter *)r;
	xmlNodePtr tc = add_testcase(t, origin, origin, NULL);
	xmlNodePtr err = add_text_child(tc, "error", msg);

	set_attr(err, "message", msg);
	set_attr(err, "type", "input");
	t->errors++;
}

static void drop_pending(struct junit_reporter *t)
{
	size_t i;
	for (i = 0; i < t->npending; i++) {
		if (t->pending[i].node)
			xmlFreeNode(t->pending[i].node);
		free(t->pending[i].vm_label);
		free(t->pending[i].origin);
	}
	t->npending = 0;
}

static void junit_finish(struct vnl_reporter *r, const struct vnl_summary *s)
{
	struct junit_reporter *t = (struct junit_reporter *)r;
	xmlNodePtr root = xmlDocGetRootElement(t->doc);

	size_t i;

	(void)s;
	for (i = 0; i < t->npending; i++) {
		place_late_failure(t, &t->pending[i]);
		t->pending[i].node = NULL;
	}
	drop_pending(t);
	set_count(root, "tests", t->tests);
	set_count(root, "failures", t->failed_tests);
	set_count(root, "errors", t->errors);
	set_count(t->suite, "tests", t->tests);
	set_count(t->suite, "failures", t->failed_tests);
	set_count(t->suite, "errors", t->errors);
	xmlSetProp(t->suite, X("skipped"), X("0"));
	xmlSetProp(t->suite, X("time"), X("0"));
	xmlDocFormatDump(t->out, t->doc, 1);
}

static void junit_free(struct vnl_reporter *r)
{
	struct junit_reporter *t = (struct junit_reporter *)r;
	drop_pending(t);
	free(t->pending);
	xmlFreeDoc(t->doc);
	free(t);
}

struct vnl_reporter *vnl_report_junit_new(FILE *out)
{
	struct junit_reporter *t = xcalloc(1, sizeof(*t));
	xmlNodePtr root;

	t->base.finding = junit_finding;
	t->base.input_error = junit_input_error;
	t->base.vm_done = junit_vm_done;
	t->base.finish = junit_finish;
	t->base.free = junit_free;
	t->out = out;
	t->doc = xmlNewDoc(X("1.0"));
	root = xmlNewNode(NULL, X("testsuites"));
	xmlDocSetRootElement(t->doc, root);
	set_attr(root, "name", PACKAGE_NAME);
	t->suite = xmlNewChild(root, NULL, X("testsuite"), NULL);
	set_attr(t->suite, "name", PACKAGE_NAME);
	return &t->base;
}
