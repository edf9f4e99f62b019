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
	"  scan [PATH...]      scan VM configs: files or directories (recursive).\n"
	"                      With no PATH on a Proxmox node, scans /etc/pve/nodes.\n"
	"  rules               list the rules\n"
	"  explain RULE        print a rule's documentation (id or name)\n"
	"  version             print the version\n"
	"\n"
	"scan options:\n"
	"  --fail-on LEVEL     error|warning|info|never: exit 1 when a finding is at\n"
	"                      or above LEVEL (default: warning)\n"
	"  --select RULES      only these rules (ids, names or id prefixes; comma-\n"
	"                      separated, repeatable)\n"
	"  --ignore RULES      not these rules\n"
	"  --config FILE       read settings from FILE (default: ./vmnetlint.conf if present)\n"
	"  --no-config         ignore ./vmnetlint.conf\n"
	"  --show-config       print the settings in force, and where each came from\n"
	"  --color WHEN        auto|always|never (default auto; NO_COLOR is honoured)\n"
	"  -q, --quiet         print findings only\n"
	"  -h, --help          this help\n"
	"  -V, --version       the version\n"
	"\n"
	"exit codes:\n"
	"  0  no finding at or above the --fail-on level\n"
	"  1  findings at or above the --fail-on level\n"
	"  2  usage or configuration error, or nothing to scan\n"
	"  3  an input could not be read (the rest was still scanned and reported)\n",
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

enum { OPT_FAIL_ON = 256, OPT_COLOR, OPT_SELECT, OPT_IGNORE, OPT_CONFIG, OPT_NO_CONFIG,
       OPT_SHOW_CONFIG };

static const struct option long_options[] = {
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "colour", required_argument, NULL, OPT_COLOR },
	{ "select", required_argument, NULL, OPT_SELECT },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "no-config", no_argument, NULL, OPT_NO_CONFIG },
	{ "show-config", no_argument, NULL, OPT_SHOW_CONFIG },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
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
	case 'q': cli->quiet = true; return 0;
	case 'h': cli->command = "help"; return 0;
	case 'V': cli->command = "version"; return 0;
	default: return VNL_EXIT_USAGE; /* getopt printed the reason */
	}
}

int vnl_cli_parse(struct vnl_cli *cli, int argc, char **argv)
{
	int c, rc;

	memset(cli, 0, sizeof(*cli));
	cli->fail_on = VNL_SEV_WARNING;
	cli->color = VNL_COLOR_AUTO;
	/* options may come before or after the command (GNU getopt permutes) */
	while ((c = getopt_long(argc, argv, "qhV", long_options, NULL)) != -1) {
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
}
