/* The cluster NIC map: one self-contained HTML page (inline CSS, SVG and a
 * small filtering script; nothing loaded from elsewhere) with every node's
 * bridges and VMs, the findings marked where they apply, and a summary
 * table that filters the picture.
 *
 * Findings arrive one by one, before their VM's vm_done; the page needs
 * the whole network, so they are kept (escaped, compact) and the page is
 * drawn at finish from the inventory and network the scan hands over in
 * the summary (vnl_summary.inv/.net). The reporter parses nothing. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report/escape.h"
#include "report/html.h"
#include "rule.h"

struct html_reporter {
	struct vnl_reporter base;
	struct html_page page;
	size_t fcap;
	size_t vms_done;      /* findings before the next vm_done are that VM's */
	struct strbuf notes;  /* escaped <li> of input errors and notes */
};

/* ---- writing ------------------------------------------------------------------ */

void html_flush(struct html_page *p)
{
	if (p->sb.len)
		fwrite(p->sb.buf, 1, p->sb.len, p->out);
	strbuf_reset(&p->sb);
}

static void maybe_flush(struct html_page *p)
{
	if (p->sb.len > 1 << 16)
		html_flush(p);
}

void html_puts(struct html_page *p, const char *s)
{
	strbuf_adds(&p->sb, s);
	maybe_flush(p);
}

void html_printf(struct html_page *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&p->sb, fmt, ap);
	va_end(ap);
	maybe_flush(p);
}

void html_text(struct html_page *p, const char *s)
{
	if (!s)
		strbuf_adds(&p->sb, "<span class=\"unk\">unknown</span>");
	else
		vnl_html_escape_to(&p->sb, s);
}

const char *html_sev_class(enum vnl_severity sev)
{
	return vnl_severity_name(sev);
}

const char *html_sev_mark(enum vnl_severity sev)
{
	switch (sev) {
	case VNL_SEV_ERROR: return "&#10006;";   /* heavy X */
	case VNL_SEV_WARNING: return "&#9650;";  /* triangle */
	case VNL_SEV_INFO: return "&#9679;";     /* disc */
	}
	return "";
}

int html_worst(const struct html_page *p, size_t from, size_t to, const char *nic_key)
{
	int worst = -1;
	size_t i;

	for (i = from; i < to; i++) {
		const struct html_finding *f = &p->f[i];
		if (nic_key && (!f->nic_key || strcmp(f->nic_key, nic_key)))
			continue;
		if ((int)f->severity > worst)
			worst = (int)f->severity;
	}
	return worst;
}

/* ---- collecting ------------------------------------------------------------------ */

static void add_place(struct strbuf *sb, const struct vnl_finding *f)
{
	strbuf_adds(sb, "<div class=\"pl\">");
	vnl_html_escape_to(sb, f->origin);
	if (f->line)
		strbuf_addf(sb, ":%u", f->line);
	if (f->line && f->col)
		strbuf_addf(sb, ":%u", f->col);
	strbuf_adds(sb, "</div>");
}

static void add_fix(struct strbuf *sb, const struct vnl_finding *f)
{
	size_t i;

	if (!f->nedits)
		return;
	strbuf_adds(sb, "<div class=\"fx\">fix: ");
	for (i = 0; i < f->nedits; i++) {
		char *d = vnl_edit_describe(&f->edits[i]);
		if (i)
			strbuf_adds(sb, ", ");
		vnl_html_escape_to(sb, d);
		free(d);
	}
	strbuf_adds(sb, "</div>");
}

/* What the text report prints for the finding, as one <li>. */
static char *finding_body(const struct vnl_finding *f)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "<li class=\"f %s\" data-rule=\"%s\"><span class=\"sev\">%s %s</span> ",
		    html_sev_class(f->severity), f->rule->id, html_sev_mark(f->severity),
		    vnl_severity_name(f->severity));
	strbuf_addf(&sb, "<b>%s</b> %s: ", f->rule->id, f->rule->name);
	if (f->pending)
		strbuf_adds(&sb, "[PENDING] ");
	vnl_html_escape_to(&sb, f->message);
	if (f->evidence) {
		strbuf_adds(&sb, "<div class=\"ev\">because ");
		vnl_html_escape_to(&sb, f->evidence);
		strbuf_adds(&sb, "</div>");
	}
	add_fix(&sb, f);
	add_place(&sb, f);
	strbuf_adds(&sb, "</li>\n");
	return strbuf_detach(&sb);
}

static void html_finding(struct vnl_reporter *r, const struct vnl_finding *f)
{
	struct html_reporter *h = (struct html_reporter *)r;
	struct html_page *p = &h->page;
	struct html_finding *k;

	vnl_grow(&p->f, &h->fcap, p->nf + 1, sizeof(*p->f));
	k = &p->f[p->nf++];
	k->rule = f->rule;
	k->severity = f->severity;
	k->nic_key = f->nic_key ? xstrdup(f->nic_key) : NULL;
	k->vm_label = f->vm_label ? xstrdup(f->vm_label) : NULL;
	k->body = finding_body(f);
	k->vm = h->vms_done; /* checked against the labels at finish */
}

static void add_note(struct html_reporter *h, const char *kind, const char *origin,
		     const char *msg)
{
	strbuf_addf(&h->notes, "<li><b>%s</b> ", kind);
	vnl_html_escape_to(&h->notes, origin);
	strbuf_adds(&h->notes, ": ");
	vnl_html_escape_to(&h->notes, msg);
	strbuf_adds(&h->notes, "</li>\n");
}

static void html_input_error(struct vnl_reporter *r, const char *origin, const char *msg)
{
	add_note((struct html_reporter *)r, "error", origin, msg);
}

static void html_note(struct vnl_reporter *r, const char *origin, const char *msg)
{
	add_note((struct html_reporter *)r, "note", origin, msg);
}

static void html_vm_done(struct vnl_reporter *r, const struct vnl_vm_summary *vm)
{
	(void)vm;
	((struct html_reporter *)r)->vms_done++;
}

/* ---- the findings by VM --------------------------------------------------------- */

static uint32_t hash_label(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a: a table index */
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Findings that compare VMs come after every vm_done: their VM is the
 * inventory's VM with that label (the first, when labels repeat). */
static void resolve_late(struct html_page *p)
{
	const struct vnl_inventory *inv = p->inv;
	size_t cap = 16, i, *slot;

	while (cap < inv->nvms * 2)
		cap *= 2;
	slot = xmalloc(cap * sizeof(*slot));
	for (i = 0; i < cap; i++)
		slot[i] = HTML_NO_VM;
	for (i = 0; i < inv->nvms; i++) {
		size_t j = hash_label(inv->vms[i].label) & (cap - 1);
		while (slot[j] != HTML_NO_VM && strcmp(inv->vms[slot[j]].label, inv->vms[i].label))
			j = (j + 1) & (cap - 1);
		if (slot[j] == HTML_NO_VM)
			slot[j] = i;
	}
	for (i = 0; i < p->nf; i++) {
		struct html_finding *f = &p->f[i];
		size_t j;
		if (f->vm < inv->nvms && !strcmp(inv->vms[f->vm].label, f->vm_label ? f->vm_label : ""))
			continue;
		f->vm = HTML_NO_VM;
		if (!f->vm_label)
			continue;
		for (j = hash_label(f->vm_label) & (cap - 1); slot[j] != HTML_NO_VM;
		     j = (j + 1) & (cap - 1))
			if (!strcmp(inv->vms[slot[j]].label, f->vm_label)) {
				f->vm = slot[j];
				break;
			}
	}
	free(slot);
}

/* A stable counting sort by VM; findings of no VM go last. */
static void group_by_vm(struct html_page *p)
{
	size_t nv = p->inv->nvms, i, *next;
	struct html_finding *sorted = xmalloc((p->nf + 1) * sizeof(*sorted));

	p->vm_first = xcalloc(nv + 2, sizeof(*p->vm_first));
	for (i = 0; i < p->nf; i++)
		p->vm_first[(p->f[i].vm == HTML_NO_VM ? nv : p->f[i].vm) + 1]++;
	for (i = 0; i < nv + 1; i++)
		p->vm_first[i + 1] += p->vm_first[i];
	next = xmalloc((nv + 1) * sizeof(*next));
	memcpy(next, p->vm_first, (nv + 1) * sizeof(*next));
	for (i = 0; i < p->nf; i++)
		sorted[next[p->f[i].vm == HTML_NO_VM ? nv : p->f[i].vm]++] = p->f[i];
	free(next);
	free(p->f);
	p->f = sorted;
}

/* ---- the page ------------------------------------------------------------------------ */

extern const char vnl_html_style[], vnl_html_script[];

static void write_head(struct html_page *p, const struct vnl_summary *s)
{
	html_printf(p, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<title>vmnetlint cluster NIC map</title>\n<style>%s</style>\n</head>\n<body>\n",
		    vnl_html_style);
	html_printf(p, "<header><h1>vmnetlint cluster NIC map</h1>\n<p class=\"totals\">"
		    "<span class=\"error\">%s %zu error(s)</span> "
		    "<span class=\"warning\">%s %zu warning(s)</span> "
		    "<span class=\"info\">%s %zu info</span> in %zu VM(s)",
		    html_sev_mark(VNL_SEV_ERROR), s->by_severity[VNL_SEV_ERROR],
		    html_sev_mark(VNL_SEV_WARNING), s->by_severity[VNL_SEV_WARNING],
		    html_sev_mark(VNL_SEV_INFO), s->by_severity[VNL_SEV_INFO], s->vms);
	if (s->unreadable)
		html_printf(p, "; %zu input(s) could not be read", s->unreadable);
	html_puts(p, "</p>\n<p class=\"hint\">Every VM is a box with its NICs wired to the "
		  "bridges of its node (the vertical lines); a number on a wire is its VLAN tag. "
		  "<em>path</em> is the smallest MTU along the NIC's path, after each overlay's "
		  "overhead; <span class=\"unk\">unknown</span> marks what the inputs did not say. "
		  "Click a rule or a VM in the tables to show only what it concerns.</p>\n"
		  "</header>\n");
}

static void rule_row(struct html_page *p, const struct vnl_rule *rule, size_t count[3])
{
	int sev;

	html_printf(p, "<tr><td><button type=\"button\" data-filter=\"rule:%s\">%s</button></td>"
		    "<td>%s</td>", rule->id, rule->id, rule->name);
	for (sev = VNL_SEV_ERROR; sev >= VNL_SEV_INFO; sev--)
		html_printf(p, "<td class=\"n%s\">%zu</td>", count[sev] ? " " : " zero", count[sev]);
	html_puts(p, "</tr>\n");
}

static void table_head(struct html_page *p, const char *caption, const char *first,
		       const char *second)
{
	html_printf(p, "<table class=\"sum\"><caption>%s</caption>\n<thead><tr><th>%s</th>"
		    "<th>%s</th><th class=\"error\">%s error</th><th class=\"warning\">%s warning"
		    "</th><th class=\"info\">%s info</th></tr></thead>\n<tbody>\n", caption, first,
		    second, html_sev_mark(VNL_SEV_ERROR), html_sev_mark(VNL_SEV_WARNING),
		    html_sev_mark(VNL_SEV_INFO));
}

static void by_rule_table(struct html_page *p)
{
	size_t (*count)[3] = xcalloc(vnl_rule_count + 1, sizeof(*count)), i, r;

	for (i = 0; i < p->nf; i++) {
		for (r = 0; r < vnl_rule_count && vnl_rules[r] != p->f[i].rule; r++)
			;
		count[r][p->f[i].severity]++;
	}
	table_head(p, "Findings by rule", "Rule", "Name");
	for (r = 0; r < vnl_rule_count; r++)
		if (count[r][0] + count[r][1] + count[r][2])
			rule_row(p, vnl_rules[r], count[r]);
	html_puts(p, "</tbody></table>\n");
	free(count);
}

static void by_vm_table(struct html_page *p)
{
	const struct vnl_inventory *inv = p->inv;
	size_t v, i;

	table_head(p, "Findings by VM", "VM", "Node");
	for (v = 0; v < inv->nvms; v++) {
		size_t count[3] = { 0, 0, 0 };
		int sev;
		if (p->vm_first[v] == p->vm_first[v + 1])
			continue;
		for (i = p->vm_first[v]; i < p->vm_first[v + 1]; i++)
			count[p->f[i].severity]++;
		html_printf(p, "<tr><td><button type=\"button\" data-filter=\"vm:%zu\">", v);
		html_text(p, inv->vms[v].label);
		html_puts(p, "</button></td><td>");
		html_text(p, inv->vms[v].node);
		html_puts(p, "</td>");
		for (sev = VNL_SEV_ERROR; sev >= VNL_SEV_INFO; sev--)
			html_printf(p, "<td class=\"n%s\">%zu</td>", count[sev] ? "" : " zero",
				    count[sev]);
		html_puts(p, "</tr>\n");
	}
	html_puts(p, "</tbody></table>\n");
}

static void write_summary(struct html_page *p)
{
	html_puts(p, "<section id=\"summary\"><h2>Findings</h2>\n<p><button type=\"button\" "
		  "data-filter=\"all\">Show everything</button> <output id=\"shown\">"
		  "Showing everything.</output></p>\n<div class=\"tables\">\n");
	by_rule_table(p);
	by_vm_table(p);
	html_puts(p, "</div></section>\n");
}

/* Findings whose VM is not in the map (the configuration's own). */
static void write_unplaced(struct html_page *p, const struct html_reporter *h)
{
	size_t i, from = p->vm_first[p->inv->nvms];

	if (from < p->nf) {
		html_puts(p, "<section id=\"other\"><h2>Findings about no VM in the map</h2>\n"
			  "<ul class=\"fl\">\n");
		for (i = from; i < p->nf; i++)
			html_puts(p, p->f[i].body);
		html_puts(p, "</ul></section>\n");
	}
	if (h->notes.len) {
		html_puts(p, "<section id=\"inputs\"><h2>Inputs</h2>\n<ul>\n");
		html_puts(p, strbuf_str(&h->notes));
		html_puts(p, "</ul></section>\n");
	}
}

static void html_finish(struct vnl_reporter *r, const struct vnl_summary *s)
{
	struct html_reporter *h = (struct html_reporter *)r;
	struct html_page *p = &h->page;
	struct vnl_inventory none;

	vnl_inventory_init(&none);
	p->inv = s->inv ? s->inv : &none;
	p->net = s->net;
	resolve_late(p);
	group_by_vm(p);
	write_head(p, s);
	write_summary(p);
	html_write_map(p);
	write_unplaced(p, h);
	html_printf(p, "<footer>vmnetlint " PACKAGE_VERSION "</footer>\n<script>%s</script>\n"
		    "</body>\n</html>\n", vnl_html_script);
	html_flush(p);
	p->inv = NULL;
}

static void html_free(struct vnl_reporter *r)
{
	struct html_reporter *h = (struct html_reporter *)r;
	size_t i;

	for (i = 0; i < h->page.nf; i++) {
		free(h->page.f[i].nic_key);
		free(h->page.f[i].vm_label);
		free(h->page.f[i].body);
	}
	free(h->page.f);
	free(h->page.vm_first);
	strbuf_release(&h->page.sb);
	strbuf_release(&h->notes);
	free(h);
}

struct vnl_reporter *vnl_report_html_new(FILE *out)
{
	struct html_reporter *h = xcalloc(1, sizeof(*h));

	h->base.finding = html_finding;
	h->base.input_error = html_input_error;
	h->base.note = html_note;
	h->base.vm_done = html_vm_done;
	h->base.finish = html_finish;
	h->base.free = html_free;
	h->page.out = out;
	return &h->base;
}
