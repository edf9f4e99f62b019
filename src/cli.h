/* Command-line options: parsed once, here, into plain data. */
#ifndef VNL_CLI_H
#define VNL_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "model.h"
#include "output.h"

enum vnl_exit {
	VNL_EXIT_OK = 0,       /* nothing at or above the --fail-on threshold */
	VNL_EXIT_FINDINGS = 1, /* findings at or above it */
	VNL_EXIT_USAGE = 2,    /* usage or configuration error */
	VNL_EXIT_INPUT = 3,    /* an input could not be read (the rest was scanned) */
	VNL_EXIT_FIX = 4,      /* --fix/restore: a change could not be made (the rest was) */
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
	bool man;                /* rules --man: vmnetlint-rules(7) in roff */
	const char **select;
	size_t nselect, select_cap;
	const char **ignore;
	size_t nignore, ignore_cap;
	const char **connect; /* -c/--connect URI, repeatable */
	size_t nconnect, connect_cap;
	const char **interfaces; /* --interfaces [NODE=]FILE, repeatable */
	size_t ninterfaces, interfaces_cap;
	/* the PVE API (source/pve_api.h) */
	const char *pve;         /* --pve URL */
	const char *token_file;  /* --token-file FILE */
	const char *cacert;      /* --cacert FILE */
	const char *fingerprint; /* --fingerprint SHA256 */
	bool insecure;           /* --insecure */
	long timeout;            /* --timeout SECONDS; 0 = default */
	unsigned jobs;           /* --jobs N; 0 = default */
	bool no_agent;           /* --no-agent */
	bool verbose;            /* --verbose */
	/* output (src/output.h) */
	struct vnl_format_spec formats[VNL_MAX_FORMATS]; /* --format F[:FILE] */
	size_t nformats;
	const char *output;          /* -o/--output FILE */
	bool no_github_annotations;  /* --no-github-annotations */
	bool statistics;             /* --statistics */
	bool exit_zero;              /* --exit-zero */
	const char *baseline;        /* --baseline FILE */
	const char *write_baseline;  /* --write-baseline FILE */
	bool no_suppress;            /* --no-suppress: ignore every suppression */
	/* fixing (src/cmd_fix.h) */
	bool fix;                /* --fix */
	bool diff;               /* --diff */
	bool yes;                /* --yes: no confirmation */
	bool force;              /* restore --force */
	const char **vms;        /* --vm ID|NAME|GLOB, repeatable */
	size_t nvms, vms_cap;
	const char *backup_dir;  /* --backup-dir DIR */
	const char *lock_dir;    /* --lock-dir DIR */
	const char *run;         /* backups/restore --run ID: one --fix run (write/journal.h) */
	char *owned[64]; /* split selector strings, freed with the options */
	size_t nowned;
};

/* Returns 0, or VNL_EXIT_USAGE after printing one line to stderr. */
int vnl_cli_parse(struct vnl_cli *cli, int argc, char **argv);
void vnl_cli_release(struct vnl_cli *cli);
void vnl_cli_usage(FILE *out);

#endif
