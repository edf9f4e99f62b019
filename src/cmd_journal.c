/* The journal of --fix runs and the stale temp files a killed run leaves,
 * in the commands (write/journal.h, write/stale_tmp.h): an interrupted run
 * is reported first by scan, --fix and backups; a --fix run keeps its own
 * journal and, once it completes, acknowledges the interrupted runs it
 * reported; restore --run acknowledges the run it put back. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_fix.h"
#include "write/backup.h"
#include "write/fileio.h"
#include "write/journal.h"
#include "write/stale_tmp.h"

static const char *store(const struct vnl_cli *cli)
{
	return cli->backup_dir ? cli->backup_dir : BACKUP_DEFAULT_DIR;
}

/* The report as one line, for a note. */
static char *one_line(const struct journal_run *r)
{
	struct strbuf sb = STRBUF_INIT;
	struct strbuf line = STRBUF_INIT;
	size_t i;

	journal_describe(r, &sb);
	while (sb.len && sb.buf[sb.len - 1] == '\n')
		sb.buf[--sb.len] = '\0';
	for (i = 0; i < sb.len; i++) {
		if (sb.buf[i] != '\n') {
			strbuf_addch(&line, sb.buf[i]);
			continue;
		}
		strbuf_adds(&line, "; ");
		while (sb.buf[i + 1] == ' ')
			i++;
	}
	strbuf_release(&sb);
	return strbuf_detach(&line);
}

static void note_tmp(const char *path, enum wr_tmp_verdict v, long pid, void *data)
{
	char *msg = wr_tmp_describe(v, pid);
	vnl_scan_note(data, path, "%s", msg);
	free(msg);
}

void vnl_cmd_journal_notes(const struct vnl_cli *cli, struct vnl_scan *scan)
{
	struct journal_run *runs;
	struct vnl_err err;
	size_t n, bad, i;

	if (journal_list(store(cli), &runs, &n, &bad, &err) < 0)
		return; /* a store this user cannot read: --fix says so when it writes */
	for (i = 0; i < n; i++) {
		char *line;
		if (!journal_interrupted(&runs[i]))
			continue;
		line = one_line(&runs[i]);
		vnl_scan_note(scan, runs[i].path, "%s", line);
		free(line);
	}
	journal_list_free(runs, n);
	wr_tmp_sweep_dir(store(cli), note_tmp, scan);
	scan->collect_tmps = cli->fix;
}

void vnl_cmd_journal_print(const struct vnl_cli *cli, FILE *out)
{
	struct journal_run *runs;
	struct vnl_err err;
	size_t n, bad, i;

	if (journal_list(store(cli), &runs, &n, &bad, &err) < 0)
		return;
	for (i = 0; i < n; i++) {
		struct strbuf sb = STRBUF_INIT;
		if (!journal_interrupted(&runs[i]) || (cli->run && strcmp(cli->run, runs[i].run)))
			continue;
		journal_describe(&runs[i], &sb);
		fprintf(out, "%s\n", strbuf_str(&sb));
		strbuf_release(&sb);
	}
	journal_list_free(runs, n);
}

/* ---- --fix ----------------------------------------------------------------------- */

struct cleaning {
	size_t removed, failed;
};

static void remove_one(const char *path, struct cleaning *c)
{
	struct vnl_err err;
	int rc = wr_tmp_remove(path, &err);

	if (rc == 0) {
		printf("removed %s: a temporary file of a vmnetlint that was killed\n", path);
		c->removed++;
	} else if (rc < 0) {
		fprintf(stderr, "vmnetlint: %s\n", err.msg);
		c->failed++;
	}
}

/* Only the stale ones: the others are noted by the scan that sees them. */
static void sweep_one(const char *path, enum wr_tmp_verdict v, long pid, void *data)
{
	(void)pid;
	if (v == WR_TMP_STALE)
		remove_one(path, data);
}

/* The directories of the files an interrupted run was changing: a temp
 * file can only be next to a file the journal names (its "begin" comes
 * before the temp file is made). */
static void sweep_journal_dirs(const struct journal_run *r, struct cleaning *c)
{
	char dir[4096], prev[4096] = "";
	const char *base;
	size_t i;

	for (i = 0; i < r->n; i++) {
		const char *s = r->vms[i].source;
		if (!s || (strcmp(s, "pve-file") && strcmp(s, "libvirt-xml")) ||
		    r->vms[i].origin[0] != '/')
			continue;
		wr_split_path(r->vms[i].origin, dir, sizeof(dir), &base);
		if (!strcmp(dir, prev))
			continue;
		snprintf(prev, sizeof(prev), "%s", dir);
		wr_tmp_sweep_dir(dir, sweep_one, c);
	}
}

int vnl_cmd_journal_clean(const struct vnl_cli *cli, struct vnl_scan *scan)
{
	struct cleaning c = { 0, 0 };
	struct journal_run *runs;
	struct vnl_err err;
	size_t n = 0, bad, i;

	for (i = 0; i < scan->nstale_tmps; i++)
		remove_one(scan->stale_tmps[i], &c);
	if (journal_list(store(cli), &runs, &n, &bad, &err) == 0) {
		for (i = 0; i < n; i++)
			if (journal_interrupted(&runs[i]))
				sweep_journal_dirs(&runs[i], &c);
		journal_list_free(runs, n);
	}
	wr_tmp_sweep_dir(store(cli), sweep_one, &c);
	return c.failed ? -1 : 0;
}

struct wr_journal *vnl_cmd_journal_open(const struct vnl_cli *cli, size_t planned)
{
	struct vnl_err err;
	struct wr_journal *j = wr_journal_open(store(cli), planned, &err);

	if (!j)
		fprintf(stderr, "vmnetlint: %s; nothing was changed (the journal of the run must "
				"be written before any change)\n", err.msg);
	return j;
}

/* The interrupted runs reported at the start of this one are settled by
 * its completion: they are acknowledged and no longer reported. */
static void acknowledge_earlier(const struct vnl_cli *cli, const char *run)
{
	struct journal_run *runs;
	struct vnl_err err;
	size_t n, bad, i;
	char *by = xasprintf("--fix run %s", run);

	if (journal_list(store(cli), &runs, &n, &bad, &err) == 0) {
		for (i = 0; i < n; i++) {
			if (!journal_interrupted(&runs[i]) || !strcmp(runs[i].run, run))
				continue;
			if (wr_journal_acknowledge(runs[i].path, by, &err) == 0)
				printf("the interrupted --fix run %s is acknowledged by this run and no "
				       "longer reported (its journal: %s)\n", runs[i].run, runs[i].path);
			else
				fprintf(stderr, "vmnetlint: %s\n", err.msg);
		}
		journal_list_free(runs, n);
	}
	free(by);
}

int vnl_cmd_journal_close(const struct vnl_cli *cli, struct wr_journal *j)
{
	struct vnl_err err;
	char *run = xstrdup(wr_journal_run(j));
	int rc = wr_journal_finish(j, &err);

	if (rc < 0)
		fprintf(stderr, "vmnetlint: %s\n", err.msg);
	else
		acknowledge_earlier(cli, run);
	free(run);
	return rc;
}

/* ---- restore --run ---------------------------------------------------------------- */

int vnl_cmd_journal_restored(const struct vnl_cli *cli, const char *run)
{
	struct journal_run *runs;
	struct vnl_err err;
	size_t n, bad, i;
	int found = 0;

	if (journal_list(store(cli), &runs, &n, &bad, &err) < 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (strcmp(runs[i].run, run))
			continue;
		found = 1;
		if (journal_interrupted(&runs[i]) &&
		    wr_journal_acknowledge(runs[i].path, "restore --run", &err) < 0)
			fprintf(stderr, "vmnetlint: %s\n", err.msg);
	}
	journal_list_free(runs, n);
	return found;
}
