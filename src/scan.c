#include "config.h"

#include "scan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_file.h"
#include "roles.h"
#include "rule.h"
#include "source/pve_conf.h"
#include "source/libvirt_xml.h"
#include "source/pve_tree.h"
#include "suppress.h"
#include "walk.h"
#include "write/digest.h"
#include "write/stale_tmp.h"

/* Far above anything pmxcfs can hold (1 MiB) or a domain XML needs; a
 * bigger file is not a VM definition and is refused before it is read. */
#define MAX_INPUT_SIZE (16u * 1024 * 1024)

void vnl_scan_init(struct vnl_scan *scan, const struct vnl_selection *sel,
		   struct vnl_reporter *rep)
{
	memset(scan, 0, sizeof(*scan));
	vnl_netenv_init(&scan->net);
	scan->sel = sel;
	scan->rep = rep;
}

void vnl_scan_input_error(struct vnl_scan *scan, const char *origin, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	scan->sum.unreadable++;
	vnl_scan_record_input(scan, origin, strbuf_str(&sb));
	scan->rep->input_error(scan->rep, origin, strbuf_str(&sb));
	strbuf_release(&sb);
}

/* Something worth saying that is neither a finding nor an unreadable input
 * (context that could not be read, a file that is not a VM): one line in
 * every format that carries notes, and the exit status does not change. */
void vnl_scan_note(struct vnl_scan *scan, const char *origin, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (!scan->rep->note)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	scan->rep->note(scan->rep, origin, strbuf_str(&sb));
	strbuf_release(&sb);
}

/* ---- rule selection ---------------------------------------------------- */

/* vmnetlint.conf first, then --select/--ignore on top of it. */
static bool rule_enabled(const struct vnl_rule *rule, void *data)
{
	const struct vnl_scan *scan = data;
	const struct vnl_selection *sel = scan->sel;
	size_t i;
	bool on;

	if (!sel)
		return vnl_config_rule_enabled(scan->config, rule);
	on = sel->nselect == 0 && vnl_config_rule_enabled(scan->config, rule);
	for (i = 0; i < sel->nselect && !on; i++)
		on = vnl_rule_matches(rule, sel->select[i]);
	for (i = 0; i < sel->nignore && on; i++)
		on = !vnl_rule_matches(rule, sel->ignore[i]);
	return on;
}

/* A rule could not check for want of context (net.gaps): one note per rule
 * and gap, "VNL030 carp-macfilter: not checked: firewall options
 * unavailable (403 on /cluster/firewall/options)", placed at what could
 * not be read. A note, not a finding: the exit status does not change. */
static void rule_not_checked(const struct vnl_rule *rule, size_t gap, void *data)
{
	struct vnl_scan *scan = data;
	const struct vnl_context_gap *g = &scan->net.gaps[gap];
	size_t i;

	for (i = 0; i < scan->ngaps_noted; i++)
		if (scan->gaps_noted[i].rule == rule && scan->gaps_noted[i].gap == gap)
			return;
	vnl_grow(&scan->gaps_noted, &scan->gaps_noted_cap, scan->ngaps_noted + 1,
		 sizeof(*scan->gaps_noted));
	scan->gaps_noted[scan->ngaps_noted].rule = rule;
	scan->gaps_noted[scan->ngaps_noted++].gap = gap;
	vnl_scan_note(scan, g->origin, "%s %s: not checked: %s%s%s unavailable (%s)", rule->id,
		      rule->name, vnl_context_name(g->what), g->node ? " of node " : "",
		      g->node ? g->node : "", g->why);
}

/* ---- pending view ---------------------------------------------------------- */

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static const struct vnl_finding *find_like(const struct vnl_finding_list *l,
					   const struct vnl_finding *f, bool same_value)
{
	size_t i;
	for (i = 0; i < l->n; i++) {
		const struct vnl_finding *g = l->items[i];
		if (g->rule == f->rule && same_str(g->nic_key, f->nic_key) &&
		    (!same_value || same_str(g->value, f->value)))
			return g;
	}
	return NULL;
}

static void note_pending_fix(struct vnl_finding *f)
{
	char *m = xasprintf("%s (a pending change resolves this at the next cold start)",
			    f->message);
	free(f->message);
	f->message = m;
}

/* Merge what the pending view finds into the main findings: a problem that
 * only pending changes introduce is reported as such (without an edit: the
 * fixer only rewrites the current config), and a current problem that a
 * pending change removes says so. */
static void merge_pending(struct vnl_vm *vm, struct vnl_finding_list *main_list,
			  struct vnl_finding_list *pend)
{
	size_t i, n_main = main_list->n;

	for (i = 0; i < n_main; i++) {
		struct vnl_finding *f = main_list->items[i];
		const struct vnl_nic *nic = f->nic_key ? vnl_vm_find_nic(vm, f->nic_key) : NULL;
		if (nic && nic->pending != VNL_PENDING_NONE && !find_like(pend, f, false))
			note_pending_fix(f);
	}
	for (i = 0; i < pend->n; i++) {
		struct vnl_finding *f = pend->items[i];
		size_t k;
		if (find_like(main_list, f, true)) {
			vnl_finding_free(f);
			continue;
		}
		f->pending = true;
		for (k = 0; k < f->nedits; k++) {
			free(f->edits[k].nic_key);
			free(f->edits[k].value);
		}
		f->nedits = 0;
		vnl_finding_list_add(main_list, f);
	}
	free(pend->items);
	pend->items = NULL;
	pend->n = pend->cap = 0;
}

static int cmp_findings(const void *a, const void *b)
{
	const struct vnl_finding *x = *(const struct vnl_finding *const *)a;
	const struct vnl_finding *y = *(const struct vnl_finding *const *)b;
	int by_key;

	/* no lines (the PVE API): "...config#net0" before "...config#net1" */
	if (!x->line && !y->line && (by_key = strcmp(x->origin, y->origin)) != 0)
		return by_key;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return strcmp(x->rule->id, y->rule->id);
}

/* Report, count and keep (for --fix) or free a list of findings. */
static void emit_findings(struct vnl_scan *scan, struct vnl_finding_list *found)
{
	size_t i;

	for (i = 0; i < found->n; i++) {
		struct vnl_finding *f = found->items[i];
		scan->sum.by_severity[f->severity]++;
		scan->rep->finding(scan->rep, f);
		if (scan->keep_findings)
			vnl_finding_list_add(&scan->kept, f);
		else
			vnl_finding_free(f);
	}
	free(found->items);
	found->items = NULL;
	found->n = found->cap = 0;
}

/* Findings suppressions cover, to the reporters that show them (SARIF
 * marks them suppressed); counted apart from the reported ones. */
static void emit_suppressed(struct vnl_scan *scan, struct vnl_finding_list *supp)
{
	size_t i;

	for (i = 0; i < supp->n; i++) {
		scan->rep->suppressed(scan->rep, supp->items[i]);
		vnl_finding_free(supp->items[i]);
	}
	free(supp->items);
	supp->items = NULL;
	supp->n = supp->cap = 0;
}

/* Where covered findings go: nowhere (freed at once) unless the reporter
 * shows them. */
static struct vnl_finding_list *suppressed_list(struct vnl_scan *scan,
						struct vnl_finding_list *list)
{
	return scan->rep->suppressed ? list : NULL;
}

void vnl_scan_vm(struct vnl_scan *scan, struct vnl_vm *vm)
{
	struct vnl_finding_list found = { 0 }, pend = { 0 }, supp = { 0 };
	struct vnl_rule_env env = { &scan->net, scan->config, rule_enabled, scan,
				    rule_not_checked };
	size_t nfound;

	/* sources may have added bridges since the last VM: let the config
	 * complete them (idempotent) */
	if (scan->net.n != scan->net_configured) {
		vnl_config_apply_net(scan->config, &scan->net);
		scan->net_configured = scan->net.n;
	}
	if (scan->no_suppress) { /* an audit: no suppression is checked or applied */
		vm->nsuppressions = 0;
		if (vm->pending)
			vm->pending->nsuppressions = 0;
	}
	vnl_config_apply_vm(scan->config, vm);
	if (vm->pending)
		vnl_config_apply_vm(scan->config, vm->pending);
	vnl_roles_classify(vm);
	vnl_rules_check_vm(vm, &env, &found);
	if (vm->pending) {
		vnl_roles_classify(vm->pending);
		vnl_rules_check_vm(vm->pending, &env, &pend);
		merge_pending(vm, &found, &pend);
	}
	if (!scan->no_suppress)
		scan->sum.suppressed += vnl_suppress_apply(vm, &found, &env, &scan->suppress,
							   suppressed_list(scan, &supp));
	if (found.n > 1)
		qsort(found.items, found.n, sizeof(*found.items), cmp_findings);
	nfound = found.n;
	emit_findings(scan, &found);
	emit_suppressed(scan, &supp);
	vnl_inventory_add(&scan->inv, vm, &scan->net);
	scan->sum.vms++;
	if (scan->rep->vm_done) {
		struct vnl_vm_summary vs = { vm->kind, vm->origin, vm->id, vm->name,
					     vnl_vm_label(vm), nfound };
		scan->rep->vm_done(scan->rep, &vs);
	}
	if (scan->vm_hook)
		scan->vm_hook(scan, vm, scan->vm_hook_data);
	vnl_vm_free(vm);
}

/* ---- files ------------------------------------------------------------------ */

static int read_input(struct vnl_scan *scan, const char *path)
{
	struct stat st;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer; it is then
	 * refused as not a regular file (no effect on regular files) */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		vnl_scan_input_error(scan, path, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		vnl_scan_input_error(scan, path, "not a regular file");
		close(fd);
		return -1;
	}
	if ((unsigned long long)st.st_size > MAX_INPUT_SIZE) {
		vnl_scan_input_error(scan, path, "%lld bytes is too large for a VM definition "
				     "(limit %u); not read", (long long)st.st_size, MAX_INPUT_SIZE);
		close(fd);
		return -1;
	}
	if (strbuf_read_fd(&scan->buf, fd, MAX_INPUT_SIZE) < 0) {
		if (errno == EFBIG)
			vnl_scan_input_error(scan, path, "grew past %u bytes while being read; "
					     "not scanned", MAX_INPUT_SIZE);
		else
			vnl_scan_input_error(scan, path, "cannot read: %s", strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	scan->sum.files++;
	vnl_scan_record_input(scan, path, NULL);
	return 0;
}

/* ---- the Proxmox network and firewall around the VMs ---------------------- */

/* A problem in a network or firewall file: "file:line:col: error: ...",
 * counted like an unreadable input (exit 3); notes are only shown. */
static void pve_env_report(void *data, enum vnl_severity sev, const struct vnl_loc *loc,
			   const char *msg)
{
	struct vnl_scan *scan = data;
	char *where = loc->line && loc->col ? xasprintf("%s:%u:%u", loc->origin, loc->line, loc->col)
		      : loc->line ? xasprintf("%s:%u", loc->origin, loc->line)
		      : xstrdup(loc->origin);

	if (sev != VNL_SEV_INFO)
		vnl_scan_input_error(scan, where, "%s", msg);
	else if (scan->rep->note)
		scan->rep->note(scan->rep, where, msg);
	free(where);
}

/* Before any VM under path is checked: the --interfaces files and the
 * network and firewall files of the pmxcfs tree holding path. */
static void load_pve_env(struct vnl_scan *scan, const char *path)
{
	struct pve_report rep = { pve_env_report, scan };
	char root[4096];
	bool in_tree = pve_tree_root(path, root, sizeof(root));

	if (!scan->pve_env)
		scan->pve_env = pve_env_new(scan->interfaces, scan->ninterfaces);
	if (pve_tree_load_env(scan->pve_env, in_tree ? root : NULL, &scan->net, &rep))
		scan->net_configured = (size_t)-1; /* bridges replaced: config again */
}

/* The SHA-1 of the file just read, as PVE's digest is of a config's bytes
 * (research/proxmox.md 4.4): a fixer refuses to write what changed since.
 * Only when something will look at it (--fix, --diff). */
static void stamp_digest(struct vnl_scan *scan, struct vnl_vm *vm)
{
	char hex[VNL_SHA1_HEX_LEN + 1];

	if (!scan->vm_hook)
		return;
	vnl_sha1_hex(scan->buf.buf, scan->buf.len, hex);
	vm->digest = arena_strdup(&vm->arena, hex);
}

static void scan_pve_file(struct vnl_scan *scan, const char *path)
{
	struct pve_report rep = { pve_env_report, scan };
	struct pve_conf_hint hint;
	char hintbuf[512];
	struct vnl_vm *vm;

	load_pve_env(scan, path);
	pve_tree_hint(path, &hint, hintbuf, sizeof(hintbuf));
	vm = pve_conf_parse(path, scan->buf.buf, scan->buf.len, &hint);
	stamp_digest(scan, vm);
	pve_tree_vm_firewall(path, vm, &scan->net, &rep);
	vnl_scan_vm(scan, vm);
}

/* Domain XML becomes a VM, network XML goes to the environment, anything
 * else well-formed is skipped with a note; XML that is refused or broken
 * is an input error at "file:line". */
static void scan_libvirt_file(struct vnl_scan *scan, const char *path)
{
	struct libvirt_xml_result res;

	switch (libvirt_xml_parse(path, VNL_SRC_LIBVIRT_XML, scan->buf.buf, scan->buf.len,
				  &scan->net, &res)) {
	case LIBVIRT_XML_DOMAIN:
		stamp_digest(scan, res.vm);
		vnl_scan_vm(scan, res.vm);
		break;
	case LIBVIRT_XML_NETWORK:
		break;
	case LIBVIRT_XML_SKIPPED:
		if (scan->rep->note)
			scan->rep->note(scan->rep, path, res.msg);
		break;
	case LIBVIRT_XML_ERROR: {
		char *where = res.line ? xasprintf("%s:%u", path, res.line) : xstrdup(path);
		vnl_scan_input_error(scan, where, "%s", res.msg);
		free(where);
		break;
	}
	}
}

static void scan_file(const char *path, void *data)
{
	struct vnl_scan *scan = data;

	if (read_input(scan, path) < 0)
		return;
	/* by content, so a named file needs no particular extension: a qm
	 * config starts with a key or '#', XML with '<'; a *.xml name that
	 * does not start with '<' is broken XML, not a qm config */
	if (libvirt_xml_sniff(scan->buf.buf, scan->buf.len) || str_has_suffix(path, ".xml"))
		scan_libvirt_file(scan, path);
	else
		scan_pve_file(scan, path);
}

/* *.xml in a directory walk, except hidden files and libvirt's autostart/
 * links, which point at the definitions next to them (/etc/libvirt/qemu). */
static bool libvirt_wants(const char *path, const char *name)
{
	size_t n = strlen(path), k = strlen(name);

	if (name[0] == '.' || !str_has_suffix(name, ".xml"))
		return false;
	return !(n >= k + 11 && !strncmp(path + n - k - 11, "/autostart/", 11)) &&
	       !(n == k + 10 && !strncmp(path, "autostart/", 10));
}

static bool want_file(const char *path, const char *name, void *data)
{
	(void)data;
	return pve_tree_wants(path, name) || libvirt_wants(path, name);
}

static void walk_error(const char *path, const char *msg, void *data)
{
	/* the tree's firewall, SDN and interfaces files are context: what of
	 * them cannot be read is already a note (pve_tree_load_env) */
	if (pve_tree_is_context(path))
		return;
	vnl_scan_input_error(data, path, "%s", msg);
}

/* A hidden file is never scanned, but vmnetlint's own temp files are
 * judged: a killed fixer leaves them (write/stale_tmp.h). */
static void hidden_file(const char *path, const char *name, void *data)
{
	struct vnl_scan *scan = data;
	enum wr_tmp_verdict v;
	char *msg;
	long pid;

	if (!wr_tmp_name_parse(name, &pid) || (v = wr_tmp_judge(path, name, &pid)) == WR_TMP_NOT_OURS)
		return;
	if (v == WR_TMP_STALE && scan->collect_tmps) {
		vnl_grow(&scan->stale_tmps, &scan->stale_tmps_cap, scan->nstale_tmps + 1,
			 sizeof(*scan->stale_tmps));
		scan->stale_tmps[scan->nstale_tmps++] = xstrdup(path);
		return;
	}
	msg = wr_tmp_describe(v, pid);
	vnl_scan_note(scan, path, "%s", msg);
	free(msg);
}

void vnl_scan_path(struct vnl_scan *scan, const char *path)
{
	struct vnl_walk_ops ops = { want_file, scan_file, walk_error, scan, hidden_file };
	load_pve_env(scan, path);
	vnl_walk(path, &ops);
}

void vnl_scan_record_input(struct vnl_scan *scan, const char *origin, const char *error)
{
	struct vnl_summary *s = &scan->sum;

	if (!scan->record_inputs)
		return;
	vnl_grow(&s->inputs, &s->inputs_cap, s->ninputs + 1, sizeof(*s->inputs));
	s->inputs[s->ninputs].origin = xstrdup(origin);
	s->inputs[s->ninputs].error = error ? xstrdup(error) : NULL;
	s->ninputs++;
}

/* Findings that compare VMs come once every VM is in, after the others. */
static void check_whole_scan(struct vnl_scan *scan)
{
	struct vnl_rule_env env = { &scan->net, scan->config, rule_enabled, scan,
				    rule_not_checked };
	struct vnl_finding_list found = { 0 }, supp = { 0 };

	vnl_rules_check_scan(&scan->inv, &env, &found);
	if (!scan->no_suppress)
		scan->sum.suppressed += vnl_suppress_apply_scan(scan->suppress, &found, &env,
								suppressed_list(scan, &supp));
	emit_findings(scan, &found);
	emit_suppressed(scan, &supp);
}

void vnl_scan_finish(struct vnl_scan *scan)
{
	check_whole_scan(scan);
	vnl_suppress_note_unused(scan->suppress, scan->rep);
	scan->sum.inv = &scan->inv;
	scan->sum.net = &scan->net;
	scan->rep->finish(scan->rep, &scan->sum);
}

void vnl_scan_release(struct vnl_scan *scan)
{
	vnl_inventory_release(&scan->inv);
	size_t i;

	for (i = 0; i < scan->sum.ninputs; i++) {
		free(scan->sum.inputs[i].origin);
		free(scan->sum.inputs[i].error);
	}
	free(scan->sum.inputs);
	scan->sum.inputs = NULL;
	scan->sum.ninputs = scan->sum.inputs_cap = 0;
	for (i = 0; i < scan->nstale_tmps; i++)
		free(scan->stale_tmps[i]);
	free(scan->stale_tmps);
	scan->stale_tmps = NULL;
	scan->nstale_tmps = scan->stale_tmps_cap = 0;
	vnl_finding_list_clear(&scan->kept);
	strbuf_release(&scan->buf);
	vnl_netenv_release(&scan->net);
	pve_env_free(scan->pve_env);
	scan->pve_env = NULL;
	vnl_suppress_tally_free(scan->suppress);
	scan->suppress = NULL;
	free(scan->gaps_noted);
	scan->gaps_noted = NULL;
	scan->ngaps_noted = scan->gaps_noted_cap = 0;
}
