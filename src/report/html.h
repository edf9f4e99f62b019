/* Inside the HTML reporter: the page being written and the findings it
 * keeps until finish, shared by html.c (the reporter, the page frame and
 * the summary tables) and html_map.c (the per-node drawing). */
#ifndef VNL_REPORT_HTML_H
#define VNL_REPORT_HTML_H

#include <stdio.h>

#include "finding.h"
#include "inventory.h"
#include "netenv.h"
#include "util.h"

#define HTML_NO_VM ((size_t)-1)

/* A finding as the page shows it; the body is already escaped HTML with
 * the message, evidence, fix and place of the text report. */
struct html_finding {
	const struct vnl_rule *rule;
	enum vnl_severity severity;
	char *nic_key;  /* NULL: about the whole VM */
	char *vm_label; /* to find the VM of a finding that compares VMs */
	char *body;
	size_t vm;      /* index in the inventory, or HTML_NO_VM */
};

struct html_page {
	struct strbuf sb; /* written out in large pieces */
	FILE *out;
	const struct vnl_inventory *inv;
	const struct vnl_netenv *net;
	struct html_finding *f; /* sorted by VM once the scan finished */
	size_t nf;
	size_t *vm_first;       /* per VM: its findings are f[vm_first[v] .. vm_first[v+1]) */
};

void html_puts(struct html_page *p, const char *s);
void html_printf(struct html_page *p, const char *fmt, ...) VNL_PRINTF(2, 3);
/* s as escaped HTML text; "unknown" in a span for NULL. */
void html_text(struct html_page *p, const char *s);
void html_flush(struct html_page *p);

/* "error", "warning", "info" and the mark beside it, so the severity
 * reads without colour. */
const char *html_sev_class(enum vnl_severity sev);
const char *html_sev_mark(enum vnl_severity sev);
/* The worst severity among findings [from, to); -1 when there are none. */
int html_worst(const struct html_page *p, size_t from, size_t to, const char *nic_key);

/* Every node's bridges and VMs, and the HA pairs (html_map.c). */
void html_write_map(struct html_page *p);

#endif
