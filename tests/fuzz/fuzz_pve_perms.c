/* GET /access/permissions answers (source/pve_perms.c, vmnetlint doctor):
 * the body as the API sends it, {"data": {path: {privilege: 1}}}. Every
 * privilege vmnetlint uses is checked on its path, and the answer's own
 * paths too. Properties: YES never comes with paths in `below`; BELOW
 * always names at least one path. */
#include "config.h"

#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "source/pve_api_json.h"
#include "source/pve_perms.h"

/* NULL, or the property that broke. */
static const char *check(const struct pve_perms *p, const char *path, const char *privs)
{
	struct strbuf below = STRBUF_INIT;
	enum pve_perm_state st = pve_perms_check(p, path, privs, &below);
	const char *broken = NULL;

	if (st == PVE_PERM_YES && below.len)
		broken = "pve_perms: granted yet with paths only below";
	if (st == PVE_PERM_BELOW && !below.len)
		broken = "pve_perms: partly granted without a path";
	strbuf_release(&below);
	return broken;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vnl_err err;
	json_t *answer = NULL, *privs;
	struct pve_perms *p;
	const char *path, *priv, *broken = NULL;
	json_t *v;
	size_t i;

	if (pve_json_data((const char *)data, size, &answer, &err) < 0)
		return 0;
	p = pve_perms_from_json(answer, &err);
	if (p) {
		for (i = 0; i < pve_priv_use_count && !broken; i++)
			broken = check(p, pve_priv_uses[i].path, pve_priv_uses[i].privs);
		json_object_foreach(answer, path, privs) {
			json_object_foreach(privs, priv, v)
				if (!broken)
					broken = check(p, path, priv);
			if (!broken)
				broken = check(p, path, "VM.Audit|Sys.Audit");
		}
		pve_perms_free(p);
	}
	if (broken)
		fuzz_fail(broken, data, size);
	json_decref(answer);
	return 0;
}
