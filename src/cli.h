/* Command-line options: parsed once, here, into plain data. */
#ifndef VNL_CLI_H
#define VNL_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "model.h"

enum vnl_exit {
	VNL_EXIT_OK = 0,       /* nothing at or above the --fail-on threshold */
	VNL_EXIT_FINDINGS = 1, /* findings at or above it */
	VNL_EXIT_USAGE = 2,    /* usage or configuration error */
	VNL_EXIT_INPUT = 3,    /* an input could not be read (the rest was scanned) */
};

enum vnl_color { VNL_COLOR_AUTO, VNL_COLOR_ALWAYS, VNL_COLOR_NEVER };

struct vnl_cli {
	const char *command; /* scan, rules, explain, version, help */
	char **args;         /* positional arguments after the command */
	size_t nargs;
	int fail_on; /* a severity, or -1 for never */
	enum vnl_color color;
	bool quiet;
	const char *config_path; /* --config FILE */
	bool no_config;          /* --no-config */
	bool show_config;        /* --show-config */
	const char **select;
	size_t nselect, select_cap;
	const char **ignore;
	size_t nignore, ignore_cap;
	char *owned[64]; /* split selector strings, freed with the options */
	size_t nowned;
};

/* Returns 0, or VNL_EXIT_USAGE after printing one line to stderr. */
int vnl_cli_parse(struct vnl_cli *cli, int argc, char **argv);
void vnl_cli_release(struct vnl_cli *cli);
void vnl_cli_usage(FILE *out);

#endif
