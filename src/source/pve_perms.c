/* GET /access/permissions and the privileges vmnetlint needs
 * (research/proxmox.md 5.2, 5.3, 5.7). */
#include "config.h"

#include "pve_perms.h"

#include <stdlib.h>
#include <string.h>

struct pve_perms {
	json_t *tree; /* path -> {priv: value}, as read */
};

const struct pve_priv_use pve_priv_uses[] = {
	{ "VM.Audit", "/vms", false,
	  "lists the VMs and reads each config, pending changes and VM firewall options",
	  "the VMs are not listed: nothing is scanned (and a VM whose config is "
	  "forbidden is an error, exit 3)" },
	{ "Sys.Audit", "/", false,
	  "reads the datacenter firewall options and the nodes' networks (bridge MTUs)",
	  "VNL030 cannot tell whether the MAC filter is on; the MTU rules (VNL010, VNL011, "
	  "VNL013) do not know bridge MTUs: they note \"not checked\"" },
	{ "SDN.Audit", "/sdn", false,
	  "reads the SDN zones, vnets and controllers (vnet MTUs, overlays)",
	  "NICs on SDN vnets are not checked for overlay MTU (VNL010, VNL011) or ARP/ND "
	  "suppression (VNL030)" },
	{ "VM.GuestAgent.Audit|VM.GuestAgent.Unrestricted|VM.Monitor", "/vms", false,
	  "asks running VMs' guest agents for their OS (firewall role evidence)",
	  "the OS id is not known: firewalls must be told by tags, names or "
	  "vmnetlint.conf (or use --no-agent)" },
	{ "VM.Config.Network", "/vms", true,
	  "--fix and restore write netN through PUT .../config",
	  "--fix cannot write: every edit fails (exit 4)" },
	{ "SDN.Use", "/sdn/zones", true,
	  "--fix: each bridge a NIC is on, old and new (zone localnetwork for plain bridges)",
	  "--fix cannot write NICs on bridges it may not use" },
};
const size_t pve_priv_use_count = VNL_ARRAY_LEN(pve_priv_uses);

struct pve_perms *pve_perms_from_json(json_t *data, struct vnl_err *err)
{
	struct pve_perms *p;
	const char *path;
	json_t *privs;

	if (!json_is_object(data)) {
		vnl_fail(err, "GET /access/permissions: the answer is not an object of paths");
		return NULL;
	}
	json_object_foreach(data, path, privs)
		if (path[0] != '/' || !json_is_object(privs)) {
			vnl_fail(err, "GET /access/permissions: '%.64s' is not a path with its "
				 "privileges", path);
			return NULL;
		}
	p = xcalloc(1, sizeof(*p));
	p->tree = json_incref(data);
	return p;
}

void pve_perms_free(struct pve_perms *p)
{
	if (!p)
		return;
	json_decref(p->tree);
	free(p);
}

/* Is a below b ("/vms/101" below "/vms"; everything below "/")? */
static bool path_below(const char *a, const char *b)
{
	size_t n = strlen(b);

	while (n > 1 && b[n - 1] == '/')
		n--;
	if (n == 1 && b[0] == '/')
		return a[0] == '/' && a[1];
	return !strncmp(a, b, n) && a[n] == '/' && a[n + 1];
}

static bool same_path(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	while (na > 1 && a[na - 1] == '/')
		na--;
	while (nb > 1 && b[nb - 1] == '/')
		nb--;
	return na == nb && !strncmp(a, b, na);
}

/* 0 absent, 1 granted here only, 2 granted and propagated. */
static int grant(json_t *privs, const char *priv)
{
	json_t *v = json_object_get(privs, priv);

	if (!v || json_is_null(v))
		return 0;
	if (json_is_false(v) || (json_is_integer(v) && json_integer_value(v) == 0) ||
	    (json_is_string(v) && !strcmp(json_string_value(v), "0")))
		return 1;
	return 2;
}

static enum pve_perm_state check_one(const struct pve_perms *p, const char *path,
				     const char *priv, struct strbuf *below)
{
	enum pve_perm_state st = PVE_PERM_NO;
	const char *key;
	json_t *privs;

	json_object_foreach(p->tree, key, privs) {
		int g = grant(privs, priv);
		if (!g)
			continue;
		if (same_path(key, path) || (g == 2 && path_below(path, key)))
			return PVE_PERM_YES;
		if (path_below(key, path)) {
			if (below)
				strbuf_addf(below, "%s%s", below->len ? ", " : "", key);
			st = PVE_PERM_BELOW;
		}
	}
	return st;
}

enum pve_perm_state pve_perms_check(const struct pve_perms *p, const char *path,
				    const char *priv, struct strbuf *below)
{
	enum pve_perm_state best = PVE_PERM_NO;
	const char *alt = priv;

	/* "A|B": any of the alternatives */
	while (alt && *alt && best != PVE_PERM_YES) {
		const char *bar = strchr(alt, '|');
		char *one = bar ? xstrndup(alt, (size_t)(bar - alt)) : xstrdup(alt);
		enum pve_perm_state st = check_one(p, path, one, best == PVE_PERM_BELOW ? NULL : below);
		if (st > best)
			best = st;
		free(one);
		alt = bar ? bar + 1 : NULL;
	}
	if (best == PVE_PERM_YES && below)
		strbuf_reset(below);
	return best;
}
