/* The command layer: decides what to print and the exit code. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_doctor.h"
#include "cmd_fix.h"
#include "config_file.h"
#include "manpage.h"
#include "rule.h"
#include "scan.h"
#include "source/libvirt_live.h"
#include "source/pve_api.h"
#include "source/pve_tree.h"
#include "version.h"

static bool use_color(enum vnl_color mode, FILE *out)
{
	const char *no_color = getenv("NO_COLOR");
	if (mode == VNL_COLOR_ALWAYS)
		return true;
	if (mode == VNL_COLOR_NEVER || (no_color && *no_color))
		return false;
	return isatty(fileno(out));
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A selector that matches no rule is a typo: say so instead of silently
 * selecting nothing (a CI gate that checks nothing is worse than none). */
static int check_selectors(const char *option, const char **sels, size_t n)
{
	size_t i, k;
	for (i = 0; i < n; i++) {
		bool any = false;
		for (k = 0; k < vnl_rule_count && !any; k++)
			any = vnl_rule_matches(vnl_rules[k], sels[i]);
		if (!any) {
			fprintf(stderr, "vmnetlint: %s: no rule matches '%s' (see 'vmnetlint rules')\n",
				option, sels[i]);
			return -1;
		}
	}
	return 0;
}

static int exit_code(const struct vnl_cli *cli, const struct vnl_summary *sum)
{
	int sev;

	if (sum->unreadable)
		return VNL_EXIT_INPUT;
	if (cli->fail_on < 0)
		return VNL_EXIT_OK;
	for (sev = cli->fail_on; sev <= VNL_SEV_ERROR; sev++)
		if (sum->by_severity[sev])
			return VNL_EXIT_FINDINGS;
	return VNL_EXIT_OK;
}

/* --config FILE, else ./vmnetlint.conf when present, unless --no-config. */
static int load_config(const struct vnl_cli *cli, struct vnl_config *cfg)
{
	struct vnl_err err;
	const char *path = cli->config_path;

	vnl_config_init(cfg);
	if (cli->no_config && !path)
		return 0;
	if (!path && access(VNL_CONFIG_FILE, F_OK) == 0)
		path = VNL_CONFIG_FILE;
	if (path && vnl_config_load(cfg, path, &err) < 0) {
		fprintf(stderr, "vmnetlint: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* ---- libvirt connections ------------------------------------------------- */

static void live_vm(struct vnl_vm *vm, void *data)
{
	vnl_scan_vm(data, vm);
}

static void live_error(const char *origin, const char *msg, void *data)
{
	vnl_scan_input_error(data, origin, "%s", msg);
}

static void scan_connection(struct vnl_scan *scan, const char *uri)
{
	struct libvirt_live_ops ops = { live_vm, live_error, &scan->net, scan };
	libvirt_live_scan(uri, &ops);
}

/* What a scan without PATH or --connect reads: $LIBVIRT_DEFAULT_URI when
 * set (libvirt's own default, research/libvirt.md 3.1), else the Proxmox
 * tree, else the local libvirt daemon read-only; false if none is here. */
static bool pick_default(const char **path, const char **uri, const char **pve)
{
	const char *env = getenv("LIBVIRT_DEFAULT_URI");
	const char *endpoint = getenv("PROXMOX_VE_ENDPOINT");

	*path = *uri = NULL;
	if (env && *env)
		*uri = env;
	else if (endpoint && *endpoint)
		*pve = endpoint;
	else if (is_dir(PVE_DEFAULT_ROOT))
		*path = PVE_DEFAULT_ROOT;
	else if (libvirt_live_local())
		*uri = LIBVIRT_LIVE_LOCAL_URI;
	return *path || *uri || *pve;
}

/* ---- the Proxmox VE API ---------------------------------------------------- */

static void pve_vm(struct vnl_vm *vm, const struct pve_api_vm_ref *ref, void *data)
{
	(void)ref; /* node, vmid and digest: for --fix */
	vnl_scan_vm(data, vm);
}

static void pve_error(const char *origin, const char *msg, void *data)
{
	vnl_scan_input_error(data, origin, "%s", msg);
}

static void pve_note(const char *origin, const char *msg, void *data)
{
	vnl_scan_note(data, origin, "%s", msg);
}

/* Checked before anything is scanned: endpoint, pin and the token, from
 * $PROXMOX_VE_API_TOKEN or --token-file; the secret is wiped once copied. */
static struct pve_api *open_pve(const struct vnl_cli *cli, const char *endpoint)
{
	struct pve_api_options o = { endpoint, NULL, cli->cacert, cli->fingerprint,
				     cli->insecure, !cli->no_agent, cli->timeout, cli->jobs,
				     cli->verbose ? stderr : NULL };
	struct pve_api *api = NULL;
	struct vnl_err err;
	char token[1024];

	if (cli->insecure && cli->fingerprint) {
		fprintf(stderr, "vmnetlint: --insecure and --fingerprint exclude each other\n");
		return NULL;
	}
	if (pve_token_load(cli->token_file, token, sizeof(token), &err) == 0) {
		o.token = token;
		api = pve_api_open(&o, &err);
	}
	explicit_bzero(token, sizeof(token));
	if (!api) {
		fprintf(stderr, "vmnetlint: %s\n", err.msg);
		return NULL;
	}
	if (cli->insecure)
		fprintf(stderr, "vmnetlint: WARNING: --insecure: the certificate of %s is NOT "
				"verified; anyone on the way can read the API token and answer in the "
				"cluster's place. Use --cacert or --fingerprint.\n", endpoint);
	return api;
}

static void scan_pve(struct vnl_scan *scan, struct pve_api *api)
{
	struct pve_api_scan_ops ops = { pve_vm, pve_error, &scan->net, scan, pve_note };
	pve_api_scan(api, &ops);
}

/* The formats, files and baseline of --format, --output, --baseline ... */
static struct vnl_output *open_output(const struct vnl_cli *cli, struct vnl_err *err)
{
	struct vnl_output_options o = {
		cli->formats, cli->nformats, cli->output, use_color(cli->color, stdout),
		cli->quiet, cli->no_github_annotations, cli->statistics, cli->baseline,
		cli->write_baseline,
	};
	vnl_cmd_fix_output(cli, &o);
	return vnl_output_open(&o, err);
}

static int cmd_scan(struct vnl_cli *cli)
{
	const char *default_path = NULL, *default_uri = NULL, *pve = cli->pve;
	struct pve_api *api = NULL;
	struct vnl_selection sel = { cli->select, cli->nselect, cli->ignore, cli->nignore };
	struct vnl_output *out;
	struct vnl_err err;
	struct vnl_scan scan;
	struct vnl_config config;
	struct vnl_fix *fix;
	size_t i;
	int rc;

	if (check_selectors("--select", cli->select, cli->nselect) ||
	    check_selectors("--ignore", cli->ignore, cli->nignore))
		return VNL_EXIT_USAGE;
	if ((rc = vnl_cmd_fix_check(cli)) != 0)
		return rc;
	if (load_config(cli, &config) < 0) {
		vnl_config_release(&config);
		return VNL_EXIT_USAGE;
	}
	if (cli->show_config) {
		vnl_config_show(&config, stdout);
		vnl_config_release(&config);
		return VNL_EXIT_OK;
	}
	if (cli->nargs == 0 && cli->nconnect == 0 && !pve &&
	    !pick_default(&default_path, &default_uri, &pve)) {
		fprintf(stderr, "vmnetlint: nothing to scan: give files or directories or --connect "
				"URI, or run on a Proxmox node (no %s here) or a libvirt host\n",
			PVE_DEFAULT_ROOT);
		vnl_config_release(&config);
		return VNL_EXIT_USAGE;
	}
	if (pve && !(api = open_pve(cli, pve))) {
		vnl_config_release(&config);
		return VNL_EXIT_USAGE;
	}
	out = open_output(cli, &err);
	if (!out) {
		fprintf(stderr, "vmnetlint: %s\n", err.msg);
		pve_api_close(api);
		vnl_config_release(&config);
		return VNL_EXIT_USAGE;
	}
	vnl_scan_init(&scan, &sel, vnl_output_reporter(out));
	scan.record_inputs = vnl_output_wants_inputs(out);
	scan.config = &config;
	scan.no_suppress = cli->no_suppress;
	scan.interfaces = cli->interfaces;
	scan.ninterfaces = cli->ninterfaces;
	vnl_cmd_journal_notes(cli, &scan); /* an interrupted --fix first: src/cmd_journal.c */
	fix = vnl_cmd_fix_begin(cli, &scan, api, pve); /* --fix, --diff: src/cmd_fix.c */
	/* connections first: their networks are then known to every VM */
	if (default_uri)
		scan_connection(&scan, default_uri);
	for (i = 0; i < cli->nconnect; i++)
		scan_connection(&scan, cli->connect[i]);
	if (api)
		scan_pve(&scan, api);
	if (!fix) {
		pve_api_close(api);
		api = NULL;
	}
	if (default_path)
		vnl_scan_path(&scan, default_path);
	for (i = 0; i < cli->nargs; i++)
		vnl_scan_path(&scan, cli->args[i]);
	vnl_scan_finish(&scan);
	rc = cli->exit_zero ? VNL_EXIT_OK : exit_code(cli, vnl_output_summary(out));
	if (vnl_output_close(out, &err) < 0) {
		fprintf(stderr, "vmnetlint: %s\n", err.msg);
		rc = VNL_EXIT_USAGE;
	}
	if (fix && rc != VNL_EXIT_USAGE)
		rc = vnl_cmd_fix_end(fix, cli, &scan, rc);
	else
		vnl_fix_free(fix);
	pve_api_close(api);
	vnl_scan_release(&scan);
	vnl_config_release(&config);
	return rc;
}

/* Each rule's state after vmnetlint.conf: on/off and its severity. */
/* `map`: a scan whose report is the HTML map; --format html:FILE or
 * --output name its file. It reports and never writes the configs. */
static int cmd_map(struct vnl_cli *cli)
{
	size_t i;

	if (cli->fix || cli->diff) {
		fprintf(stderr, "vmnetlint: map draws the network; use 'scan --fix' or "
				"'scan --diff' to change it\n");
		return VNL_EXIT_USAGE;
	}
	for (i = 0; i < cli->nformats; i++)
		if (cli->formats[i].format != VNL_FORMAT_HTML) {
			fprintf(stderr, "vmnetlint: map writes HTML only; use 'scan --format' "
					"for the other formats\n");
			return VNL_EXIT_USAGE;
		}
	if (cli->nformats == 0) {
		cli->formats[0].format = VNL_FORMAT_HTML;
		cli->formats[0].path = NULL;
		cli->nformats = 1;
	}
	return cmd_scan(cli);
}

static int cmd_rules(struct vnl_cli *cli)
{
	struct vnl_config config;
	size_t i;

	if (cli->man) {
		/* the page describes the rules, not a local vmnetlint.conf */
		vnl_rules_man(stdout);
		return VNL_EXIT_OK;
	}
	if (load_config(cli, &config) < 0) {
		vnl_config_release(&config);
		return VNL_EXIT_USAGE;
	}
	for (i = 0; i < vnl_rule_count; i++) {
		const struct vnl_rule *r = vnl_rules[i];
		int forced = vnl_config_rule_severity(&config, r);
		bool on = vnl_config_rule_enabled(&config, r);
		printf("%-7s %-22s %-8s %-4s %s\n", r->id, r->name,
		       vnl_severity_name(forced >= 0 ? (enum vnl_severity)forced : r->severity),
		       on ? "on" : "off", r->summary);
	}
	if (config.path)
		printf("\n(states after %s)\n", config.path);
	vnl_config_release(&config);
	return VNL_EXIT_OK;
}

static int cmd_explain(struct vnl_cli *cli)
{
	const struct vnl_rule *r;

	if (cli->nargs != 1) {
		fprintf(stderr, "vmnetlint: explain takes one rule id or name, e.g. "
				"'vmnetlint explain VNL001'\n");
		return VNL_EXIT_USAGE;
	}
	r = vnl_rule_find(cli->args[0]);
	if (!r) {
		fprintf(stderr, "vmnetlint: no rule '%s' (see 'vmnetlint rules')\n", cli->args[0]);
		return VNL_EXIT_USAGE;
	}
	printf("%s %s (default severity: %s)\n%s\n\n%s", r->id, r->name,
	       vnl_severity_name(r->severity), r->summary, r->doc);
	printf("\nEvery rule: man vmnetlint-rules\n");
	return VNL_EXIT_OK;
}

static int cmd_version(struct vnl_cli *cli)
{
	(void)cli;
	vnl_print_version(stdout);
	return VNL_EXIT_OK;
}

static int cmd_help(struct vnl_cli *cli)
{
	(void)cli;
	vnl_cli_usage(stdout);
	return VNL_EXIT_OK;
}

static int cmd_restore(struct vnl_cli *cli)
{
	return vnl_cmd_restore(cli, open_pve);
}

static int cmd_doctor(struct vnl_cli *cli)
{
	return vnl_cmd_doctor(cli, open_pve);
}

static int cmd_backups(struct vnl_cli *cli)
{
	return vnl_cmd_backups(cli);
}

struct command {
	const char *name;
	int (*run)(struct vnl_cli *cli);
};

static const struct command commands[] = {
	{ "scan", cmd_scan },
	{ "map", cmd_map },
	{ "rules", cmd_rules },
	{ "explain", cmd_explain },
	{ "restore", cmd_restore },
	{ "backups", cmd_backups },
	{ "doctor", cmd_doctor },
	{ "version", cmd_version },
	{ "help", cmd_help },
};

int main(int argc, char **argv)
{
	struct vnl_cli cli;
	size_t i;
	int rc = vnl_cli_parse(&cli, argc, argv);

	if (rc != 0) {
		vnl_cli_release(&cli);
		return rc;
	}
	rc = -1;
	for (i = 0; i < VNL_ARRAY_LEN(commands); i++)
		if (!strcmp(commands[i].name, cli.command))
			rc = commands[i].run(&cli);
	if (rc < 0) {
		fprintf(stderr, "vmnetlint: unknown command '%s' (see 'vmnetlint --help')\n",
			cli.command);
		rc = VNL_EXIT_USAGE;
	}
	vnl_cli_release(&cli);
	return rc;
}
