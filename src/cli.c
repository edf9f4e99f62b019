#include "config.h"

#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void vnl_cli_usage(FILE *out)
{
	fputs(
	"usage: vmnetlint <command> [options] [args]\n"
	"\n"
	"Find and fix dangerous NIC settings on hypervisor VMs (Proxmox VE, libvirt).\n"
	"\n"
	"commands:\n"
	"  scan [PATH...]      scan VM configs: files or directories (recursive):\n"
	"                      Proxmox qm configs and libvirt domain/network XML.\n"
	"                      With no PATH and no --connect: $LIBVIRT_DEFAULT_URI if\n"
	"                      set, else $PROXMOX_VE_ENDPOINT (the PVE API) if set,\n"
	"                      else /etc/pve/nodes on a Proxmox node, else\n"
	"                      qemu:///system when libvirt runs here.\n"
	"  map [PATH...]       scan like 'scan' and write the cluster NIC map: one\n"
	"                      self-contained HTML page (= scan --format html)\n"
	"  rules               list the rules (--man: the vmnetlint-rules(7) page)\n"
	"  explain RULE        print a rule's documentation (id or name)\n"
	"  version             print the version\n"
	"  restore BACKUP...   put backups made by --fix back (see 'backups');\n"
	"                      restore --run ID: every backup of one --fix run\n"
	"  backups             list the backups made by --fix, and whether each can\n"
	"                      be restored; first, any --fix run that was\n"
	"                      interrupted (killed), what it changed and what needs\n"
	"                      a cold start\n"
	"  doctor --pve URL    which privileges the API token has, per privilege\n"
	"                      vmnetlint uses, and what a scan misses without each\n"
	"\n"
	"scan options:\n"
	"  --fail-on LEVEL     error|warning|info|never: exit 1 when a finding is at\n"
	"                      or above LEVEL (default: warning)\n"
	"  --select RULES      only these rules (ids, names or id prefixes; comma-\n"
	"                      separated, repeatable)\n"
	"  --ignore RULES      not these rules\n"
	"  -c, --connect URI   also scan every domain of a libvirt connection, read-only\n"
	"                      (qemu:///system, qemu+ssh://host/system, test:///PATH);\n"
	"                      repeatable\n"
	"  --interfaces [NODE=]FILE\n"
	"                      a Proxmox node's /etc/network/interfaces (for NODE, or\n"
	"                      every node): bridge MTUs for the network rules; repeatable\n"
	"  --config FILE       read settings from FILE (default: ./vmnetlint.conf if present)\n"
	"  --no-config         ignore ./vmnetlint.conf\n"
	"  --show-config       print the settings in force, and where each came from\n"
	"  --no-suppress       ignore every suppression (VM notes, libvirt metadata,\n"
	"                      [suppress] in vmnetlint.conf): an audit\n"
	"  --color WHEN        auto|always|never (default auto; NO_COLOR is honoured)\n"
	"  -q, --quiet         print findings only\n"
	"\n"
	"Proxmox VE API options (scan, doctor):\n"
	"  --pve URL           also scan every VM of a cluster through its API\n"
	"                      (https://host:8006). The token USER@REALM!TOKENID=SECRET\n"
	"                      comes from $PROXMOX_VE_API_TOKEN or --token-file, never\n"
	"                      from the command line\n"
	"  --token-file FILE   read the API token from the first line of FILE (not\n"
	"                      readable by every user)\n"
	"  --cacert FILE       trust this CA (a copy of /etc/pve/pve-root-ca.pem)\n"
	"  --fingerprint SHA256\n"
	"                      pin the server certificate (AA:BB:...:FF, as GET /nodes\n"
	"                      and `pvenode cert info` show it) instead of a CA\n"
	"  --insecure          do not verify the server at all (a warning is printed)\n"
	"  --timeout SECONDS   per request (default 30); 3 tries for reads\n"
	"  --jobs N            requests in flight at once (default 16)\n"
	"  --no-agent          do not ask guest agents for the OS of running VMs\n"
	"  --verbose           trace the HTTP requests on stderr (token redacted)\n"
	"\n"
	"output options (scan):\n"
	"  --format FORMAT[:FILE]\n"
	"                      text|json|sarif|junit|github|gitlab|html (default text);\n"
	"                      repeatable, each FORMAT:FILE to its own file; at most\n"
	"                      one format goes to stdout (or to --output)\n"
	"  -o, --output FILE   write the format that names no FILE to FILE\n"
	"  --no-github-annotations\n"
	"                      no ::error annotations with the text report when\n"
	"                      GITHUB_ACTIONS=true\n"
	"  --statistics        print the count of findings per rule after the report\n"
	"  --exit-zero         exit 0 after reporting, whatever was found\n"
	"  --baseline FILE     report only findings whose fingerprint FILE lacks\n"
	"  --write-baseline FILE\n"
	"                      write the fingerprints of all findings to FILE\n"
	"\n"
	"fixing (scan):\n"
	"  --diff              print a unified diff of what --fix would write; change\n"
	"                      nothing\n"
	"  --fix               apply the edits of the findings (after a confirmation\n"
	"                      on a terminal), with backups; then scan again and\n"
	"                      report what was fixed, what remains, what needs a restart\n"
	"  --yes               apply without asking (needed without a terminal)\n"
	"  --vm ID|NAME|GLOB   only these VMs; repeatable\n"
	"  --backup-dir DIR    where backups go (default /var/backups/vmnetlint; also\n"
	"                      for restore and backups)\n"
	"  --lock-dir DIR      where the per-VM lock files are (default\n"
	"                      /var/lock/qemu-server, as qemu-server's)\n"
	"  --run ID            backups, restore: only the backups of the --fix run ID\n"
	"                      (each run keeps a journal in the backup directory)\n"
	"  --force             restore: even when the config changed since the fix\n"
	"                      (the current content is backed up first)\n"
	"\n"
	"  -h, --help          this help\n"
	"  -V, --version       the version\n"
	"\n"
	"exit codes:\n"
	"  0  no finding at or above the --fail-on level\n"
	"  1  findings at or above the --fail-on level\n"
	"  2  usage or configuration error, or nothing to scan\n"
	"  3  an input could not be read (the rest was still scanned and reported)\n"
	"  4  --fix or restore: a change could not be made (the rest was made)\n",
	out);
}

VNL_PRINTF(1, 2)
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("vmnetlint: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see 'vmnetlint --help')\n", stderr);
	return VNL_EXIT_USAGE;
}

static int parse_fail_on(struct vnl_cli *cli, const char *v)
{
	if (!strcmp(v, "error"))
		cli->fail_on = VNL_SEV_ERROR;
	else if (!strcmp(v, "warning"))
		cli->fail_on = VNL_SEV_WARNING;
	else if (!strcmp(v, "info"))
		cli->fail_on = VNL_SEV_INFO;
	else if (!strcmp(v, "never"))
		cli->fail_on = -1;
	else
		return usage_error("--fail-on takes error, warning, info or never, not '%s'", v);
	return 0;
}

static int parse_color(struct vnl_cli *cli, const char *v)
{
	if (!strcmp(v, "auto"))
		cli->color = VNL_COLOR_AUTO;
	else if (!strcmp(v, "always"))
		cli->color = VNL_COLOR_ALWAYS;
	else if (!strcmp(v, "never"))
		cli->color = VNL_COLOR_NEVER;
	else
		return usage_error("--color takes auto, always or never, not '%s'", v);
	return 0;
}

/* "VNL001,VNL01" -> two selectors. */
static int add_selectors(struct vnl_cli *cli, const char ***list, size_t *n, size_t *cap,
			 const char *value)
{
	char *copy, *tok, *save = NULL;

	if (cli->nowned == VNL_ARRAY_LEN(cli->owned))
		return usage_error("too many --select/--ignore options");
	copy = xstrdup(value);
	cli->owned[cli->nowned++] = copy;
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		vnl_grow(list, cap, *n + 1, sizeof(**list));
		(*list)[(*n)++] = tok;
	}
	return 0;
}

static int add_format(struct vnl_cli *cli, const char *arg)
{
	struct vnl_err err;

	if (cli->nformats == VNL_MAX_FORMATS)
		return usage_error("at most %d --format options", VNL_MAX_FORMATS);
	if (vnl_format_spec_parse(arg, &cli->formats[cli->nformats], &err) < 0)
		return usage_error("%s", err.msg);
	cli->nformats++;
	return 0;
}

/* --interfaces [NODE=]FILE: read when the scan starts (source/pve_tree.h). */
static int add_interfaces(struct vnl_cli *cli, const char *arg)
{
	const char *eq = strchr(arg, '=');

	if (!*arg || (eq && !eq[1]))
		return usage_error("--interfaces takes [NODE=]FILE, not '%s'", arg);
	vnl_grow(&cli->interfaces, &cli->interfaces_cap, cli->ninterfaces + 1,
		 sizeof(*cli->interfaces));
	cli->interfaces[cli->ninterfaces++] = arg;
	return 0;
}

enum { OPT_FORMAT = 512, OPT_NO_GH_ANNOTATIONS, OPT_STATISTICS, OPT_EXIT_ZERO, OPT_BASELINE,
       OPT_WRITE_BASELINE, OPT_NO_SUPPRESS };

enum { OPT_MAN = 1024 }; /* rules --man */

enum { OPT_FIX = 1280, OPT_DIFF, OPT_YES, OPT_FORCE, OPT_VM, OPT_BACKUP_DIR, OPT_LOCK_DIR,
       OPT_RUN };

enum { OPT_FAIL_ON = 256, OPT_COLOR, OPT_SELECT, OPT_IGNORE, OPT_CONFIG, OPT_NO_CONFIG,
       OPT_SHOW_CONFIG, OPT_INTERFACES };

enum { OPT_PVE = 768, OPT_TOKEN, OPT_TOKEN_FILE, OPT_CACERT, OPT_FINGERPRINT, OPT_INSECURE,
       OPT_TIMEOUT, OPT_JOBS, OPT_NO_AGENT, OPT_VERBOSE };

/* --timeout and --jobs: a whole number in [min, max]. */
static int parse_count(const char *opt, const char *arg, long min, long max, long *out)
{
	long long v;
	if (!str_to_ll(arg, strlen(arg), false, &v) || v < min || v > max)
		return usage_error("%s takes a number from %ld to %ld, not '%s'", opt, min, max, arg);
	*out = (long)v;
	return 0;
}

/* --fix, --diff and restore (src/cmd_fix.h). */
static int take_fix_option(struct vnl_cli *cli, int c, const char *arg)
{
	switch (c) {
	case OPT_FIX: cli->fix = true; return 0;
	case OPT_DIFF: cli->diff = true; return 0;
	case OPT_YES: cli->yes = true; return 0;
	case OPT_FORCE: cli->force = true; return 0;
	case OPT_VM:
		if (!*arg)
			return usage_error("--vm takes a VM id, name or glob");
		vnl_grow(&cli->vms, &cli->vms_cap, cli->nvms + 1, sizeof(*cli->vms));
		cli->vms[cli->nvms++] = arg;
		return 0;
	case OPT_BACKUP_DIR: cli->backup_dir = arg; return 0;
	case OPT_LOCK_DIR: cli->lock_dir = arg; return 0;
	case OPT_RUN:
		if (!*arg)
			return usage_error("--run takes the ID of a --fix run (see 'vmnetlint backups')");
		cli->run = arg;
		return 0;
	default: return VNL_EXIT_USAGE; /* getopt printed the reason */
	}
}

/* The PVE API options (source/pve_api.h). */
static int take_pve_option(struct vnl_cli *cli, int c, const char *arg)
{
	long n = 0;
	int rc;

	switch (c) {
	case OPT_PVE: cli->pve = arg; return 0;
	case OPT_TOKEN:
		/* never echo arg: it is the secret */
		return usage_error("--token is refused: the secret would show in the process list; "
				   "set PROXMOX_VE_API_TOKEN or use --token-file FILE");
	case OPT_TOKEN_FILE: cli->token_file = arg; return 0;
	case OPT_CACERT: cli->cacert = arg; return 0;
	case OPT_FINGERPRINT: cli->fingerprint = arg; return 0;
	case OPT_INSECURE: cli->insecure = true; return 0;
	case OPT_TIMEOUT:
		rc = parse_count("--timeout", arg, 1, 3600, &n);
		cli->timeout = n;
		return rc;
	case OPT_JOBS:
		rc = parse_count("--jobs", arg, 1, 256, &n);
		cli->jobs = (unsigned)n;
		return rc;
	case OPT_NO_AGENT: cli->no_agent = true; return 0;
	case OPT_VERBOSE: cli->verbose = true; return 0;
	default: return take_fix_option(cli, c, arg);
	}
}

static const struct option long_options[] = {
	{ "pve", required_argument, NULL, OPT_PVE },
	{ "token", required_argument, NULL, OPT_TOKEN },
	{ "token-file", required_argument, NULL, OPT_TOKEN_FILE },
	{ "cacert", required_argument, NULL, OPT_CACERT },
	{ "fingerprint", required_argument, NULL, OPT_FINGERPRINT },
	{ "insecure", no_argument, NULL, OPT_INSECURE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "no-agent", no_argument, NULL, OPT_NO_AGENT },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "colour", required_argument, NULL, OPT_COLOR },
	{ "select", required_argument, NULL, OPT_SELECT },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "no-config", no_argument, NULL, OPT_NO_CONFIG },
	{ "show-config", no_argument, NULL, OPT_SHOW_CONFIG },
	{ "connect", required_argument, NULL, 'c' },
	{ "interfaces", required_argument, NULL, OPT_INTERFACES },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "no-github-annotations", no_argument, NULL, OPT_NO_GH_ANNOTATIONS },
	{ "statistics", no_argument, NULL, OPT_STATISTICS },
	{ "exit-zero", no_argument, NULL, OPT_EXIT_ZERO },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "write-baseline", required_argument, NULL, OPT_WRITE_BASELINE },
	{ "no-suppress", no_argument, NULL, OPT_NO_SUPPRESS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "man", no_argument, NULL, OPT_MAN },
	{ "fix", no_argument, NULL, OPT_FIX },
	{ "diff", no_argument, NULL, OPT_DIFF },
	{ "yes", no_argument, NULL, OPT_YES },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "vm", required_argument, NULL, OPT_VM },
	{ "backup-dir", required_argument, NULL, OPT_BACKUP_DIR },
	{ "lock-dir", required_argument, NULL, OPT_LOCK_DIR },
	{ "run", required_argument, NULL, OPT_RUN },
	{ NULL, 0, NULL, 0 },
};

static int take_option(struct vnl_cli *cli, int c, const char *arg)
{
	switch (c) {
	case OPT_FAIL_ON: return parse_fail_on(cli, arg);
	case OPT_COLOR: return parse_color(cli, arg);
	case OPT_SELECT:
		return add_selectors(cli, &cli->select, &cli->nselect, &cli->select_cap, arg);
	case OPT_IGNORE:
		return add_selectors(cli, &cli->ignore, &cli->nignore, &cli->ignore_cap, arg);
	case OPT_CONFIG: cli->config_path = arg; return 0;
	case OPT_NO_CONFIG: cli->no_config = true; return 0;
	case OPT_SHOW_CONFIG: cli->show_config = true; return 0;
	case 'c':
		vnl_grow(&cli->connect, &cli->connect_cap, cli->nconnect + 1, sizeof(*cli->connect));
		cli->connect[cli->nconnect++] = arg;
		return 0;
	case OPT_INTERFACES: return add_interfaces(cli, arg);
	case OPT_FORMAT: return add_format(cli, arg);
	case 'o': cli->output = arg; return 0;
	case OPT_NO_GH_ANNOTATIONS: cli->no_github_annotations = true; return 0;
	case OPT_STATISTICS: cli->statistics = true; return 0;
	case OPT_EXIT_ZERO: cli->exit_zero = true; return 0;
	case OPT_BASELINE: cli->baseline = arg; return 0;
	case OPT_WRITE_BASELINE: cli->write_baseline = arg; return 0;
	case OPT_NO_SUPPRESS: cli->no_suppress = true; return 0;
	case 'q': cli->quiet = true; return 0;
	case 'h': cli->command = "help"; return 0;
	case 'V': cli->command = "version"; return 0;
	case OPT_MAN: cli->man = true; return 0;
	default: return take_pve_option(cli, c, arg);
	}
}

int vnl_cli_parse(struct vnl_cli *cli, int argc, char **argv)
{
	int c, rc;

	memset(cli, 0, sizeof(*cli));
	cli->fail_on = VNL_SEV_WARNING;
	cli->color = VNL_COLOR_AUTO;
	/* options may come before or after the command (GNU getopt permutes) */
	while ((c = getopt_long(argc, argv, "qhVc:o:", long_options, NULL)) != -1) {
		if ((rc = take_option(cli, c, optarg)) != 0)
			return rc;
	}
	if (cli->command)
		return 0;
	if (optind >= argc) {
		vnl_cli_usage(stderr);
		return VNL_EXIT_USAGE;
	}
	cli->command = argv[optind];
	cli->args = argv + optind + 1;
	cli->nargs = (size_t)(argc - optind - 1);
	return 0;
}

void vnl_cli_release(struct vnl_cli *cli)
{
	size_t i;
	for (i = 0; i < cli->nowned; i++)
		free(cli->owned[i]);
	free(cli->select);
	free(cli->ignore);
	free(cli->connect);
	free(cli->interfaces);
	free(cli->vms);
}
