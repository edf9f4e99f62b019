/* vmnetlint restore BACKUP... and vmnetlint backups: see cmd_fix.h and
 * write/backup.h (how a restore decides, by content hashes). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_fix.h"
#include "source/pve_api.h"
#include "write/backup.h"
#include "write/file_fix.h"
#include "write/libvirt_live.h"
#include "write/pve_api.h"

static const char *store(const struct vnl_cli *cli)
{
	return cli->backup_dir ? cli->backup_dir : BACKUP_DEFAULT_DIR;
}

static bool is_file_source(const char *source)
{
	return !strcmp(source, "pve-file") || !strcmp(source, "libvirt-xml");
}

/* The API of a pve-api backup: --pve when given, else the endpoint the
 * fix used; opened once per run. */
struct api_cache {
	struct pve_api *api;
	char *endpoint;
};

static struct pve_api *api_for(struct api_cache *c, const struct vnl_cli *cli,
			       vnl_open_api_fn *open_api, const struct backup_info *b)
{
	const char *ep = cli->pve ? cli->pve : b->uri;

	if (!ep) {
		fprintf(stderr, "vmnetlint: %s: no API endpoint recorded; give --pve URL\n",
			b->meta_path);
		return NULL;
	}
	if (c->api && !strcmp(c->endpoint, ep))
		return c->api;
	pve_api_close(c->api);
	free(c->endpoint);
	c->endpoint = xstrdup(ep);
	c->api = open_api(cli, ep);
	return c->api;
}

static enum restore_result restore_one(const struct vnl_cli *cli, vnl_open_api_fn *open_api,
				       struct api_cache *cache, const struct backup_info *b,
				       const struct strbuf *data, char **note, struct vnl_err *err)
{
	*note = NULL;
	if (is_file_source(b->source))
		return file_restore(b, data->buf, data->len, cli->force, cli->lock_dir, store(cli),
				    note, err);
	if (!strcmp(b->source, "libvirt-live")) {
		virConnectPtr conn = b->uri ? live_open(b->uri, false, err) : NULL;
		enum restore_result r;
		if (!conn) {
			if (!b->uri)
				vnl_fail(err, "%s: no connection URI recorded", b->meta_path);
			return RESTORE_FAILED;
		}
		r = live_restore(conn, b, data->buf, cli->force, store(cli), note, err);
		virConnectClose(conn);
		return r;
	}
	if (!strcmp(b->source, "pve-api")) {
		struct pve_api *api = api_for(cache, cli, open_api, b);
		if (!api) {
			vnl_fail(err, "%s: cannot reach the API", b->origin);
			return RESTORE_FAILED;
		}
		return api_restore(api, b, data->buf, data->len, cli->force, store(cli), note, err);
	}
	vnl_fail(err, "%s: unknown source '%s'", b->meta_path, b->source);
	return RESTORE_FAILED;
}

/* One backup, named as restore's arguments name it: 1 when it failed. */
static size_t restore_named(const struct vnl_cli *cli, vnl_open_api_fn *open_api,
			    struct api_cache *cache, const char *name)
{
	struct strbuf data = STRBUF_INIT;
	struct backup_info b;
	struct vnl_err err;
	char *note = NULL;
	enum restore_result r = RESTORE_FAILED;

	if (backup_load(name, store(cli), &b, &data, &err) == 0)
		r = restore_one(cli, open_api, cache, &b, &data, &note, &err);
	if (r == RESTORE_DONE)
		printf("restored %s from %s%s%s\n", b.origin, b.data_path, note ? "; " : "",
		       note ? note : "");
	else if (r == RESTORE_ALREADY)
		printf("%s already holds %s; nothing to do\n", b.origin, b.data_path);
	else
		fprintf(stderr, "vmnetlint: restore %s: %s\n", name, err.msg);
	free(note);
	backup_info_release(&b);
	strbuf_release(&data);
	return r == RESTORE_REFUSED || r == RESTORE_FAILED;
}

/* restore --run ID: every backup of the run, newest first (a VM changed
 * twice in one run gets its oldest content last); once all went through,
 * the run's journal is acknowledged and no longer reported. */
static size_t restore_run(const struct vnl_cli *cli, vnl_open_api_fn *open_api,
			  struct api_cache *cache)
{
	struct backup_info *list;
	struct vnl_err err;
	size_t n, bad = 0, unread, i;

	if (backup_list(store(cli), &list, &n, &unread, &err) < 0) {
		fprintf(stderr, "vmnetlint: %s\n", err.msg);
		return 1;
	}
	backup_list_filter_run(list, &n, cli->run);
	for (i = n; i-- > 0;) {
		bad += restore_named(cli, open_api, cache, list[i].meta_path);
		backup_info_release(&list[i]);
	}
	free(list);
	if (!n && !vnl_cmd_journal_restored(cli, cli->run)) {
		fprintf(stderr, "vmnetlint: restore --run %s: no such run in %s (see 'vmnetlint "
				"backups')\n", cli->run, store(cli));
		return 1;
	}
	if (!bad && n && vnl_cmd_journal_restored(cli, cli->run))
		printf("run %s: %zu backup%s restored or already in place; its journal is "
		       "acknowledged\n", cli->run, n, n == 1 ? "" : "s");
	return bad;
}

int vnl_cmd_restore(struct vnl_cli *cli, vnl_open_api_fn *open_api)
{
	struct api_cache cache = { NULL, NULL };
	size_t i, bad = 0;

	if ((cli->nargs == 0) == !cli->run) {
		fprintf(stderr, "vmnetlint: restore takes one or more backups, or --run ID (see "
				"'vmnetlint backups')\n");
		return VNL_EXIT_USAGE;
	}
	if (cli->run)
		bad = restore_run(cli, open_api, &cache);
	for (i = 0; i < cli->nargs; i++)
		bad += restore_named(cli, open_api, &cache, cli->args[i]);
	pve_api_close(cache.api);
	free(cache.endpoint);
	return bad ? VNL_EXIT_FIX : VNL_EXIT_OK;
}

/* ---- listing -------------------------------------------------------------------------- */

static const char *state_of(const struct backup_info *b)
{
	if (is_file_source(b->source))
		return file_backup_state(b);
	return b->applied == 1 ? "applied (restore compares with the live definition)"
			       : "not applied (the fix did not go through)";
}

static void print_one(const struct backup_info *b)
{
	size_t i;

	printf("%s  %-12s  %s%s%s%s  %s\n", b->time ? b->time : "?", b->source,
	       b->vm_id ? b->vm_id : "?", b->vm_name ? " (" : "", b->vm_name ? b->vm_name : "",
	       b->vm_name ? ")" : "", state_of(b));
	printf("    origin: %s\n    backup: %s\n", b->origin, b->meta_path);
	if (b->run)
		printf("    run: %s\n", b->run);
	if (b->nedits) {
		printf("    edits:");
		for (i = 0; i < b->nedits; i++)
			printf("%s %s", i ? "," : "", b->edits[i]);
		putchar('\n');
	}
}

int vnl_cmd_backups(struct vnl_cli *cli)
{
	struct backup_info *list;
	struct vnl_err err;
	size_t n, bad, i;

	if (cli->nargs) {
		fprintf(stderr, "vmnetlint: backups takes no arguments (--backup-dir DIR)\n");
		return VNL_EXIT_USAGE;
	}
	vnl_cmd_journal_print(cli, stdout); /* an interrupted --fix first */
	if (backup_list(store(cli), &list, &n, &bad, &err) < 0) {
		fprintf(stderr, "vmnetlint: %s\n", err.msg);
		return VNL_EXIT_INPUT;
	}
	backup_list_filter_run(list, &n, cli->run);
	for (i = 0; i < n; i++) {
		print_one(&list[i]);
		backup_info_release(&list[i]);
	}
	free(list);
	if (cli->run)
		printf("%zu backup%s of run %s in %s\n", n, n == 1 ? "" : "s", cli->run, store(cli));
	else
		printf("%zu backup%s in %s\n", n, n == 1 ? "" : "s", store(cli));
	if (bad)
		fprintf(stderr, "vmnetlint: %zu unreadable backup description%s in %s skipped\n", bad,
			bad == 1 ? "" : "s", store(cli));
	return bad ? VNL_EXIT_INPUT : VNL_EXIT_OK;
}
