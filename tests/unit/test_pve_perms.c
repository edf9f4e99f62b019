/* source/pve_perms.c: GET /access/permissions, as vmnetlint doctor reads it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "source/pve_perms.h"
#include "tap.h"

static struct pve_perms *perms(const char *text)
{
	json_t *data = json_loads(text, 0, NULL);
	struct vnl_err err;
	struct pve_perms *p = pve_perms_from_json(data, &err);
	json_decref(data);
	return p;
}

static int state(const struct pve_perms *p, const char *path, const char *priv,
		 const char *want_below)
{
	struct strbuf below = STRBUF_INIT;
	enum pve_perm_state st = pve_perms_check(p, path, priv, &below);

	if (want_below && strcmp(strbuf_str(&below), want_below))
		diag("below: '%s', want '%s'", strbuf_str(&below), want_below);
	if (want_below && strcmp(strbuf_str(&below), want_below))
		st = (enum pve_perm_state)-1;
	strbuf_release(&below);
	return (int)st;
}

int main(void)
{
	struct pve_perms *p = perms("{\"/\": {\"Sys.Audit\": 1, \"VM.Audit\": 1, \"SDN.Audit\": 0},"
				    " \"/vms/101\": {\"VM.Config.Network\": 1},"
				    " \"/vms/102\": {\"VM.Config.Network\": 1},"
				    " \"/sdn\": {\"SDN.Use\": 1}}");
	struct vnl_err err;
	json_t *bad;

	ok(p != NULL, "a permissions object is read");
	is_int(state(p, "/", "Sys.Audit", ""), PVE_PERM_YES, "granted at the path itself");
	is_int(state(p, "/vms", "VM.Audit", ""), PVE_PERM_YES, "inherited from / (propagate 1)");
	is_int(state(p, "/", "SDN.Audit", ""), PVE_PERM_YES, "propagate 0 still counts on its own path");
	is_int(state(p, "/sdn", "SDN.Audit", ""), PVE_PERM_NO, "but not below it");
	is_int(state(p, "/vms", "VM.Config.Network", "/vms/101, /vms/102"), PVE_PERM_BELOW,
	       "only on some VMs: partly, naming them");
	is_int(state(p, "/sdn/zones", "SDN.Use", ""), PVE_PERM_YES, "from /sdn down to /sdn/zones");
	is_int(state(p, "/vms", "VM.GuestAgent.Audit|VM.Audit", ""), PVE_PERM_YES,
	       "any of the alternatives");
	is_int(state(p, "/vms", "VM.Monitor", ""), PVE_PERM_NO, "missing");
	is_int(state(p, "/vmsx", "VM.Config.Network", ""), PVE_PERM_NO,
	       "/vms/101 is not below /vmsx (path components, not prefixes)");
	pve_perms_free(p);

	bad = json_loads("[1]", 0, NULL);
	ok(pve_perms_from_json(bad, &err) == NULL && strstr(err.msg, "not an object"),
	   "a list is refused: %s", err.msg);
	json_decref(bad);
	bad = json_loads("{\"vms\": {}}", 0, NULL);
	ok(pve_perms_from_json(bad, &err) == NULL && strstr(err.msg, "'vms'"),
	   "a key that is not a path is refused: %s", err.msg);
	json_decref(bad);
	ok(pve_priv_use_count >= 6, "the privileges vmnetlint uses are listed");
	return done_testing();
}
