/* Using vmnetlint.conf: rule states, what [vm], [pair] and [bridge]
 * sections give VMs and the network, and --show-config. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_file.h"
#include "report/escape.h"
#include "rule.h"

/* The last setting in the file that names the rule wins. */
static const struct vnl_rule_setting *rule_setting(const struct vnl_config *cfg,
						    const struct vnl_rule *rule, bool for_severity)
{
	const struct vnl_rule_setting *found = NULL;
	size_t i;

	if (!cfg)
		return NULL;
	for (i = 0; i < cfg->nrules; i++) {
		const struct vnl_rule_setting *rs = &cfg->rules[i];
		if (vnl_rule_find(rs->rule) != rule)
			continue;
		if (!for_severity || rs->severity >= 0)
			found = rs;
	}
	return found;
}

bool vnl_config_rule_enabled(const struct vnl_config *cfg, const struct vnl_rule *rule)
{
	const struct vnl_rule_setting *rs = rule_setting(cfg, rule, false);
	return !rs || rs->enabled != 0;
}

int vnl_config_rule_severity(const struct vnl_config *cfg, const struct vnl_rule *rule)
{
	const struct vnl_rule_setting *rs = rule_setting(cfg, rule, true);
	return rs ? rs->severity : -1;
}

/* `id:101`, `tag:opnsense`, or a glob on the name (or the id). */
static bool vm_matches(const char *pattern, const struct vnl_vm *vm)
{
	size_t i;

	if (!strncmp(pattern, "id:", 3))
		return vm->id && !strcmp(vm->id, pattern + 3);
	if (!strncmp(pattern, "tag:", 4)) {
		for (i = 0; i < vm->ntags; i++)
			if (!strcasecmp(vm->tags[i], pattern + 4))
				return true;
		return false;
	}
	return (vm->name && glob_match(pattern, vm->name)) ||
	       (vm->id && glob_match(pattern, vm->id));
}

static void add_declared_roles(struct vnl_vm *vm, const struct vnl_vm_decl *d)
{
	static const struct {
		const char *name;
		enum vnl_role role;
	} roles[] = {
		{ "firewall", VNL_ROLE_FIREWALL },
		{ "pfsync", VNL_ROLE_PFSYNC },
		{ "router", VNL_ROLE_ROUTER },
		{ "overlay", VNL_ROLE_OVERLAY },
	};
	size_t i;

	for (i = 0; i < VNL_ARRAY_LEN(roles); i++) {
		const char *p = d->roles ? strstr(d->roles, roles[i].name) : NULL;
		if (p)
			vnl_vm_add_evidence(vm, roles[i].role, "config %s:%u [vm \"%s\"]",
					    d->loc.origin, d->loc.line, d->pattern);
	}
}

static void apply_decl(struct vnl_vm *vm, const struct vnl_vm_decl *d)
{
	struct arena *a = &vm->arena;

	add_declared_roles(vm, d);
	if (d->overlay)
		vm->overlay = arena_strdup(a, d->overlay);
	if (d->inner_mtu) {
		vm->overlay_inner_mtu.value = d->inner_mtu;
		vm->overlay_inner_mtu.raw = arena_printf(a, "%d", d->inner_mtu);
		vm->overlay_inner_mtu.loc = d->loc;
	}
	if (d->overlay_family)
		vm->overlay_family = arena_strdup(a, d->overlay_family);
	if (d->overlay_nic)
		vm->overlay_nic = arena_strdup(a, d->overlay_nic);
	if (d->pfsync_nic)
		vm->pfsync_nic = arena_strdup(a, d->pfsync_nic);
	if (d->pair)
		vm->pair = arena_strdup(a, d->pair);
	vm->decl_loc = d->loc;
}

static bool listed(const char *list, const char *word)
{
	const char *p = list;
	size_t n = word ? strlen(word) : 0;

	while (n && p && *p) {
		p += strspn(p, ", ");
		if (!strncmp(p, word, n) && (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return true;
		p += strcspn(p, ", ");
	}
	return false;
}

void vnl_config_apply_vm(const struct vnl_config *cfg, struct vnl_vm *vm)
{
	size_t i;

	if (!cfg)
		return;
	for (i = 0; i < cfg->nvms; i++)
		if (vm_matches(cfg->vms[i].pattern, vm))
			apply_decl(vm, &cfg->vms[i]);
	for (i = 0; i < cfg->npairs; i++) {
		const struct vnl_pair_decl *p = &cfg->pairs[i];
		if (listed(p->members, vm->name) || listed(p->members, vm->id)) {
			vm->pair = arena_strdup(&vm->arena, p->name);
			vm->decl_loc = p->loc;
		}
	}
}

/* The glob against the origin as given, written one way ("./a//b" ->
 * "a/b"), and against every tail of it after a '/': the glob "templates/x*"
 * matches examples/templates/x1.conf. */
static bool path_matches(const char *glob, const char *origin)
{
	char *norm = vnl_origin_normalise(origin ? origin : "");
	const char *p = norm;
	bool hit = false;

	while (p && !hit) {
		hit = glob_match(glob, p);
		p = strchr(p, '/');
		if (p)
			p++;
	}
	free(norm);
	return hit;
}

bool vnl_config_suppress_matches(const struct vnl_suppress_decl *d, const struct vnl_vm *vm)
{
	if (d->vm && !vm_matches(d->vm, vm))
		return false;
	return !d->path || path_matches(d->path, vm->origin);
}

void vnl_config_apply_net(const struct vnl_config *cfg, struct vnl_netenv *net)
{
	size_t i;

	if (!cfg)
		return;
	for (i = 0; i < cfg->nbridges; i++) {
		const struct vnl_bridge_decl *d = &cfg->bridges[i];
		const struct vnl_bridge *old = vnl_netenv_find(net, d->name, d->node);
		struct vnl_bridge copy, *br;

		/* the config completes what the inputs said; it does not erase it */
		if (old)
			copy = *old;
		br = vnl_netenv_add(net, d->name, d->node, d->loc.origin, d->loc.line);
		if (old) {
			const char *name = br->name, *node = br->node;
			struct vnl_loc loc = br->loc;
			*br = copy;
			br->name = name;
			br->node = node;
			br->loc = old->loc.origin ? br->loc : loc;
		}
		if (d->mtu) {
			br->mtu.value = d->mtu;
			br->mtu.raw = arena_printf(&net->arena, "%d", d->mtu);
			br->mtu.loc = d->loc;
		}
		if (d->underlay_mtu)
			br->underlay_mtu = d->underlay_mtu;
		if (d->overlay)
			br->overlay = vnl_overlay_from_name(d->overlay);
		if (d->family)
			br->underlay_family = strcmp(d->family, "ipv4") ? VNL_FAMILY_IPV6 : VNL_FAMILY_IPV4;
	}
}

static void show_param(FILE *out, const char *name, const struct vnl_param *p)
{
	if (p->loc.origin)
		fprintf(out, "%-26s %-8d from %s:%u\n", name, p->value, p->loc.origin, p->loc.line);
	else
		fprintf(out, "%-26s %-8d default\n", name, p->value);
}

void vnl_config_show(const struct vnl_config *cfg, FILE *out)
{
	size_t i;

	fprintf(out, "config file: %s\n\n", cfg->path ? cfg->path : "(none: defaults only)");
	show_param(out, "network.underlay-mtu", &cfg->underlay_mtu);
	if (cfg->underlay_family)
		fprintf(out, "%-26s %-8s from %s:%u\n", "network.underlay-family", cfg->underlay_family,
			cfg->underlay_family_loc.origin, cfg->underlay_family_loc.line);
	else
		fprintf(out, "%-26s %-8s default (IPv6 overheads are assumed)\n",
			"network.underlay-family", "unknown");
	show_param(out, "queues.max", &cfg->max_queues);
	show_param(out, "pfsync.max-mtu", &cfg->pfsync_max_mtu);
	show_param(out, "overlay.slack", &cfg->inner_mtu_slack);
	for (i = 0; i < cfg->nrules; i++) {
		const struct vnl_rule_setting *rs = &cfg->rules[i];
		fprintf(out, "rules.%-20s %-8s from %s:%u\n", rs->rule,
			rs->severity >= 0 ? vnl_severity_name(rs->severity) : rs->enabled ? "on" : "off",
			rs->loc.origin, rs->loc.line);
	}
	for (i = 0; i < cfg->nvms; i++) {
		const struct vnl_vm_decl *d = &cfg->vms[i];
		fprintf(out, "vm \"%s\"%*s from %s:%u:", d->pattern,
			(int)(18 > strlen(d->pattern) ? 18 - strlen(d->pattern) : 0), "", d->loc.origin,
			d->loc.line);
		if (d->roles)
			fprintf(out, " roles=%s", d->roles);
		if (d->overlay)
			fprintf(out, " overlay=%s", d->overlay);
		if (d->inner_mtu)
			fprintf(out, " inner-mtu=%d", d->inner_mtu);
		if (d->pfsync_nic)
			fprintf(out, " pfsync-nic=%s", d->pfsync_nic);
		if (d->pair)
			fprintf(out, " pair=%s", d->pair);
		fputc('\n', out);
	}
	for (i = 0; i < cfg->nbridges; i++)
		fprintf(out, "bridge \"%s\" from %s:%u: mtu=%d underlay-mtu=%d\n", cfg->bridges[i].name,
			cfg->bridges[i].loc.origin, cfg->bridges[i].loc.line, cfg->bridges[i].mtu,
			cfg->bridges[i].underlay_mtu);
	for (i = 0; i < cfg->npairs; i++)
		fprintf(out, "pair \"%s\" from %s:%u: %s\n", cfg->pairs[i].name,
			cfg->pairs[i].loc.origin, cfg->pairs[i].loc.line,
			cfg->pairs[i].members ? cfg->pairs[i].members : "(no members)");
	for (i = 0; i < cfg->nsuppress; i++) {
		const struct vnl_suppress_decl *d = &cfg->suppress[i];
		fprintf(out, "suppress \"%s\" from %s:%u:", d->rules, d->loc.origin, d->loc.line);
		if (d->vm)
			fprintf(out, " vm=%s", d->vm);
		if (d->path)
			fprintf(out, " path=%s", d->path);
		fprintf(out, " reason=\"%s\"\n", d->reason);
	}
}
