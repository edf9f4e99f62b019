/* scan --diff and scan --fix: see cmd_fix.h. */
#include "config.h"

#include "cmd_fix.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "diff.h"
#include "rule.h"
#include "write/backup.h"

static const struct vnl_format_spec no_report = { VNL_FORMAT_TEXT, "/dev/null" };

void vnl_cmd_fix_output(const struct vnl_cli *cli, struct vnl_output_options *o)
{
	if ((cli->fix || cli->diff) && !cli->nformats && !cli->output) {
		o->formats = &no_report;
		o->nformats = 1;
	}
}

int vnl_cmd_fix_check(const struct vnl_cli *cli)
{
	const char *what = NULL;

	if (cli->fix && cli->diff)
		what = "--fix and --diff exclude each other (--diff shows what --fix writes)";
	else if (!cli->fix && !cli->diff && cli->nvms)
		what = "--vm narrows --fix and --diff; give one of them";
	else if (!cli->fix && cli->yes)
		what = "--yes only answers the question of --fix";
	if (!what)
		return 0;
	fprintf(stderr, "vmnetlint: %s (see 'vmnetlint --help')\n", what);
	return VNL_EXIT_USAGE;
}

struct vnl_fix *vnl_cmd_fix_begin(const struct vnl_cli *cli, struct vnl_scan *scan,
				  struct pve_api *api, const char *endpoint)
{
	struct vnl_fix_options o = { cli->vms, cli->nvms, cli->backup_dir, cli->lock_dir, api,
				     endpoint };
	struct vnl_fix *fx;

	if (!cli->fix && !cli->diff)
		return NULL;
	fx = vnl_fix_new(&o);
	vnl_fix_attach(fx, scan);
	return fx;
}

/* ---- showing the plan -------------------------------------------------------------- */

static const char *backup_dir(const struct vnl_cli *cli)
{
	return cli->backup_dir ? cli->backup_dir : BACKUP_DEFAULT_DIR;
}

static void print_diffs(const struct vnl_fix *fx, FILE *out)
{
	struct strbuf d = STRBUF_INIT;
	size_t i;

	for (i = 0; i < fx->n; i++) {
		const struct fix_vm *v = &fx->vms[i];
		const char *label = vnl_fix_diff_label(v);
		if (v->status != FIX_PLANNED)
			continue;
		strbuf_reset(&d);
		vnl_diff_unified(&d, label, v->old_text.buf ? v->old_text.buf : "", v->old_text.len,
				 label, v->new_text.buf ? v->new_text.buf : "", v->new_text.len);
		fwrite(d.buf ? d.buf : "", 1, d.len, out);
	}
	strbuf_release(&d);
}

/* Previews that failed: the VM stays as it is. */
static size_t print_failures(const struct vnl_fix *fx)
{
	size_t i, n = 0;

	for (i = 0; i < fx->n; i++) {
		const struct fix_vm *v = &fx->vms[i];
		if (v->status != FIX_FAILED)
			continue;
		fprintf(stderr, "%s: error: %s: not fixed: %s\n", v->origin, v->label, v->error);
		n++;
	}
	return n;
}

static bool confirmed(size_t nvms, const char *dir)
{
	char line[64];
	size_t i = 0;

	printf("\nApply these changes to %zu VM%s (backups go to %s)? [y/N] ", nvms,
	       nvms == 1 ? "" : "s", dir);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	while (line[i] == ' ' || line[i] == '\t')
		i++;
	return tolower((unsigned char)line[i]) == 'y' &&
	       (line[i + 1] == '\n' || line[i + 1] == '\0' || !strncasecmp(line + i, "yes", 3));
}

/* ---- the results ------------------------------------------------------------------- */

static const char *effect_text(const struct fix_vm *v)
{
	switch (v->effect) {
	case EFFECT_NEXT_COLD_START:
		return "takes effect at the next cold start of the VM (shut down, then start; a "
		       "reboot inside the guest does not apply it); the file cannot tell whether "
		       "the VM runs";
	case EFFECT_RESTART:
		return v->kind == VNL_SRC_PVE_API
			       ? "waits in [PENDING] until the next cold start of the VM (it runs and "
				 "PVE could not hot-plug the change)"
			       : "the persistent definition changed; the running guest keeps its NICs "
				 "until a cold restart (shut down, then start)";
	case EFFECT_NEXT_START:
		return "in the definition; the VM is stopped and its next start uses it";
	case EFFECT_LIVE:
		return "in force now (PVE hot-plugged the NIC)";
	case EFFECT_TEMPLATE:
		return "a template: VMs cloned from it from now on get the change";
	case EFFECT_RELOAD:
		return "the file changed; libvirt uses it once it is defined again (virsh define "
		       "FILE), and a running guest keeps its NICs until a cold restart";
	}
	return "";
}

static bool needs_restart(const struct fix_vm *v)
{
	return v->status == FIX_DONE && (v->effect == EFFECT_RESTART ||
					 v->effect == EFFECT_NEXT_COLD_START ||
					 v->effect == EFFECT_RELOAD);
}

static const char *item_word(enum fix_item_state s)
{
	switch (s) {
	case ITEM_FIXED: return "fixed";
	case ITEM_FIXED_PENDING: return "fixed (pending)";
	case ITEM_REMAINS: return "written, still reported";
	case ITEM_SKIPPED: return "not fixed";
	case ITEM_PLANNED: return "not written";
	default: return NULL;
	}
}

static void print_items(const struct fix_vm *v, const struct vnl_scan *scan)
{
	size_t i, k;

	for (i = 0; i < v->nitems; i++) {
		const struct fix_item *it = &v->items[i];
		const struct vnl_finding *f = scan->kept.items[it->finding];
		const char *word = item_word(it->state);
		if (!word || (v->status != FIX_DONE && it->state == ITEM_PLANNED))
			continue;
		printf("    %s: %s %s", word, f->rule->id, f->nic_key ? f->nic_key : "");
		for (k = 0; k < f->nedits; k++) {
			char *d = vnl_edit_describe(&f->edits[k]);
			printf("%s%s", k ? ", " : ": ", d);
			free(d);
		}
		if (it->why)
			printf(" (%s)", it->why);
		putchar('\n');
	}
}

static void print_vm(const struct fix_vm *v, const struct vnl_scan *scan)
{
	if (v->status == FIX_DONE) {
		printf("%s: changed %s\n", v->label, v->origin);
		print_items(v, scan);
		printf("    backup: %s\n    %s\n", v->backup ? v->backup : "(none)", effect_text(v));
	} else if (v->status == FIX_FAILED) {
		printf("%s: NOT changed %s: %s\n", v->label, v->origin, v->error);
		print_items(v, scan);
	} else {
		size_t i;
		bool any = false;
		for (i = 0; i < v->nitems; i++)
			any = any || v->items[i].state == ITEM_SKIPPED;
		if (!any)
			return;
		printf("%s: not changed %s\n", v->label, v->origin);
		print_items(v, scan);
	}
}

struct tally {
	size_t fixed, pending, skipped, vms_done, vms_failed, restart, unknown;
	size_t remain[3];
};

static void count(const struct fix_vm *v, struct tally *t)
{
	size_t i;

	t->vms_done += v->status == FIX_DONE;
	t->vms_failed += v->status == FIX_FAILED;
	if (needs_restart(v)) {
		t->restart++;
		t->unknown += v->effect != EFFECT_RESTART;
	}
	for (i = 0; i < v->nitems; i++) {
		enum fix_item_state s = v->items[i].state;
		t->fixed += s == ITEM_FIXED || s == ITEM_FIXED_PENDING;
		t->pending += s == ITEM_FIXED_PENDING;
		t->skipped += s == ITEM_SKIPPED || (v->status == FIX_FAILED && s == ITEM_PLANNED);
	}
}

static void print_finding(struct vnl_reporter *rep, bool *header, struct vnl_finding *f,
			  struct tally *t)
{
	if (!*header)
		printf("\nremaining findings:\n");
	*header = true;
	rep->finding(rep, f);
	t->remain[f->severity]++;
}

/* A finding that compares VMs is not checked again by the rescan. */
static void mark_stale(struct vnl_finding *f)
{
	char *m = xasprintf("%s (found before the fix; the next scan checks it again)", f->message);
	free(f->message);
	f->message = m;
}

/* What is still found: for a changed VM its rescan, else its scan. */
static void print_remaining(const struct vnl_fix *fx, const struct vnl_cli *cli,
			    const struct vnl_scan *scan, struct tally *t)
{
	bool color = cli->color == VNL_COLOR_ALWAYS ||
		     (cli->color == VNL_COLOR_AUTO && isatty(STDOUT_FILENO) &&
		      !(getenv("NO_COLOR") && *getenv("NO_COLOR")));
	struct vnl_text_options o = { stdout, stderr, color, true, false };
	struct vnl_reporter *rep = vnl_report_text_new(&o);
	bool header = false;
	size_t i, k;

	for (i = 0; i < fx->n; i++) {
		const struct fix_vm *v = &fx->vms[i];
		for (k = v->rescan_first; v->rescanned && k < v->rescan_first + v->rescan_n; k++)
			print_finding(rep, &header, scan->kept.items[k], t);
		for (k = 0; k < v->nitems; k++) {
			struct vnl_finding *f = scan->kept.items[v->items[k].finding];
			if (v->rescanned && !v->items[k].cross)
				continue;
			if (v->rescanned)
				mark_stale(f);
			print_finding(rep, &header, f, t);
		}
	}
	rep->free(rep);
}

static void print_summary(const struct tally *t)
{
	printf("\nfixed %zu finding%s in %zu VM%s", t->fixed, t->fixed == 1 ? "" : "s",
	       t->vms_done, t->vms_done == 1 ? "" : "s");
	if (t->pending)
		printf(" (%zu waiting in [PENDING])", t->pending);
	if (t->vms_failed)
		printf("; %zu VM%s could not be changed", t->vms_failed, t->vms_failed == 1 ? "" : "s");
	if (t->skipped)
		printf("; %zu finding%s left unfixed", t->skipped, t->skipped == 1 ? "" : "s");
	printf("; %zu remain (%zu error%s, %zu warning%s, %zu info)\n",
	       t->remain[0] + t->remain[1] + t->remain[2], t->remain[VNL_SEV_ERROR],
	       t->remain[VNL_SEV_ERROR] == 1 ? "" : "s", t->remain[VNL_SEV_WARNING],
	       t->remain[VNL_SEV_WARNING] == 1 ? "" : "s", t->remain[VNL_SEV_INFO]);
	printf("restart: %zu VM%s need%s a cold start (shut down, then start) before the change "
	       "takes effect", t->restart, t->restart == 1 ? "" : "s", t->restart == 1 ? "s" : "");
	if (t->unknown)
		printf("; for %zu of them the definition cannot tell whether the VM runs", t->unknown);
	printf("\n");
}

static int fix_exit(const struct vnl_cli *cli, const struct vnl_scan *scan, const struct tally *t)
{
	int sev;

	if (t->vms_failed)
		return VNL_EXIT_FIX;
	if (scan->sum.unreadable)
		return VNL_EXIT_INPUT;
	if (cli->exit_zero || cli->fail_on < 0)
		return VNL_EXIT_OK;
	for (sev = cli->fail_on; sev <= VNL_SEV_ERROR; sev++)
		if (t->remain[sev])
			return VNL_EXIT_FINDINGS;
	return VNL_EXIT_OK;
}

/* ---- the flow ------------------------------------------------------------------------ */

static void null_finding(struct vnl_reporter *r, const struct vnl_finding *f)
{
	(void)r, (void)f;
}

static void null_input_error(struct vnl_reporter *r, const char *origin, const char *msg)
{
	(void)r;
	fprintf(stderr, "%s: error: %s\n", origin, msg);
}

static void null_finish(struct vnl_reporter *r, const struct vnl_summary *s)
{
	(void)r, (void)s;
}

static int report(struct vnl_fix *fx, const struct vnl_cli *cli, struct vnl_scan *scan)
{
	struct vnl_reporter quiet = { null_finding, null_input_error, null_finish, NULL, NULL, NULL, NULL };
	struct tally t;
	size_t unread = scan->sum.unreadable, i;

	memset(&t, 0, sizeof(t));
	scan->rep = &quiet;
	vnl_fix_rescan(fx, scan);
	scan->sum.unreadable = unread; /* the rescan's own reads are reported, not counted */
	for (i = 0; i < fx->n; i++) {
		print_vm(&fx->vms[i], scan);
		count(&fx->vms[i], &t);
	}
	print_remaining(fx, cli, scan, &t);
	print_summary(&t);
	return fix_exit(cli, scan, &t);
}

static int run_diff(struct vnl_fix *fx, int scan_rc)
{
	size_t nf, nvms = vnl_fix_planned(fx, &nf);

	print_diffs(fx, stdout);
	print_failures(fx);
	fflush(stdout);
	fprintf(stderr, "vmnetlint: --diff: %zu VM%s would change (%zu finding%s fixed); nothing "
			"was written\n", nvms, nvms == 1 ? "" : "s", nf, nf == 1 ? "" : "s");
	return scan_rc;
}

static int run_fix(struct vnl_fix *fx, const struct vnl_cli *cli, struct vnl_scan *scan,
		   int scan_rc)
{
	size_t nf, nvms = vnl_fix_planned(fx, &nf);
	int rc;

	/* previews that failed are reported with the results, per VM */
	if (nvms && !cli->yes) {
		if (!isatty(STDIN_FILENO)) {
			fprintf(stderr, "vmnetlint: --fix would change %zu VM%s, but there is no "
					"terminal to confirm on: nothing was changed. Review with "
					"--diff, then run --fix --yes\n", nvms, nvms == 1 ? "" : "s");
			return VNL_EXIT_USAGE;
		}
		print_diffs(fx, stdout);
		if (!confirmed(nvms, backup_dir(cli))) {
			printf("nothing was changed\n");
			return scan_rc;
		}
	}
	if (vnl_cmd_journal_clean(cli, scan) < 0)
		scan_rc = VNL_EXIT_FIX;
	fx->journal = vnl_cmd_journal_open(cli, nvms);
	if (!fx->journal)
		return VNL_EXIT_FIX;
	vnl_fix_apply(fx);
	rc = report(fx, cli, scan);
	if (vnl_cmd_journal_close(cli, fx->journal) < 0 && rc == VNL_EXIT_OK)
		rc = VNL_EXIT_FIX;
	fx->journal = NULL;
	return scan_rc == VNL_EXIT_FIX ? VNL_EXIT_FIX : rc;
}

int vnl_cmd_fix_end(struct vnl_fix *fx, const struct vnl_cli *cli, struct vnl_scan *scan,
		    int scan_rc)
{
	int rc;

	vnl_fix_adopt(fx, scan);
	vnl_fix_preview(fx);
	rc = cli->diff ? run_diff(fx, scan_rc) : run_fix(fx, cli, scan, scan_rc);
	fflush(stdout);
	vnl_fix_free(fx);
	return rc;
}
