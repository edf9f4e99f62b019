/* vmnetlint doctor: GET /access/permissions for the token and, per
 * privilege vmnetlint uses (source/pve_perms.c), whether the token has it
 * and what it would miss without it. Read-only, one request. */
#include "config.h"

#include "cmd_doctor.h"

#include <stdio.h>
#include <stdlib.h>

#include "source/pve_api.h"
#include "source/pve_perms.h"

static const char *state_word(enum pve_perm_state st)
{
	switch (st) {
	case PVE_PERM_YES: return "ok";
	case PVE_PERM_BELOW: return "partly";
	case PVE_PERM_NO: break;
	}
	return "MISSING";
}

/* "  ok       VM.Audit on /vms: lists the VMs ..." and, when not ok, the
 * paths it has and what is lost. True when the privilege is there. */
static bool print_use(const struct pve_perms *p, const struct pve_priv_use *u)
{
	struct strbuf below = STRBUF_INIT;
	enum pve_perm_state st = pve_perms_check(p, u->path, u->privs, &below);

	printf("  %-8s %s on %s%s: %s\n", state_word(st), u->privs, u->path,
	       u->for_fix ? " (--fix)" : "", u->reads);
	if (st == PVE_PERM_BELOW)
		printf("           only on %s\n", strbuf_str(&below));
	if (st != PVE_PERM_YES)
		printf("           without it: %s\n", u->without);
	strbuf_release(&below);
	return st == PVE_PERM_YES;
}

static void print_hint(bool scan_ok, bool fix_ok, const char *token)
{
	if (scan_ok && fix_ok)
		return;
	printf("\nTo grant them (see README, \"least-privilege token\"):\n");
	if (!scan_ok)
		printf("  pveum acl modify / --tokens '%s' --roles PVEAuditor\n", token);
	if (!fix_ok)
		printf("  pveum acl modify /vms --tokens '%s' --roles VmnetlintFix   # --fix\n",
		       token);
	printf("  (a privilege-separated token also needs the same on its user)\n");
}

int vnl_cmd_doctor(struct vnl_cli *cli, vnl_open_api_fn *open_api)
{
	const char *endpoint = cli->pve ? cli->pve : getenv("PROXMOX_VE_ENDPOINT");
	struct pve_api *api;
	struct pve_perms *perms;
	struct vnl_err err;
	bool scan_ok = true, fix_ok = true;
	size_t i;

	if (!endpoint || !*endpoint || cli->nargs) {
		fprintf(stderr, "vmnetlint: doctor takes --pve URL (or $PROXMOX_VE_ENDPOINT) and "
				"no other arguments\n");
		return VNL_EXIT_USAGE;
	}
	if (!(api = open_api(cli, endpoint)))
		return VNL_EXIT_USAGE;
	perms = pve_api_permissions(api, &err);
	if (!perms) {
		fprintf(stderr, "%s: error: %s\n", pve_api_origin(api), err.msg);
		pve_api_close(api);
		return VNL_EXIT_INPUT;
	}
	printf("token %s on %s:\n", pve_api_token_id(api), pve_api_origin(api));
	for (i = 0; i < pve_priv_use_count; i++) {
		bool has = print_use(perms, &pve_priv_uses[i]);
		if (pve_priv_uses[i].for_fix)
			fix_ok = fix_ok && has;
		else
			scan_ok = scan_ok && has;
	}
	print_hint(scan_ok, fix_ok, pve_api_token_id(api));
	pve_perms_free(perms);
	pve_api_close(api);
	return scan_ok ? VNL_EXIT_OK : VNL_EXIT_FINDINGS;
}
