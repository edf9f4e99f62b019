/* Reading vmnetlint.conf (the format is described in config_file.h and
 * the README). Strict: an unknown section, key, rule or value is an error
 * that names file and line, because a typo in a CI gate's config must not
 * silently turn a check off. */
#include "config.h"

#include "config_file.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rule.h"
#include "suppress.h"

static void set_param(struct vnl_param *p, int value)
{
	p->value = value;
	p->loc.origin = NULL;
	p->loc.line = 0;
}

void vnl_config_init(struct vnl_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	set_param(&cfg->underlay_mtu, 1500);
	set_param(&cfg->max_queues, 8);
	/* pfsync cannot allocate send buffers above 4096 bytes (MJUMPAGESIZE);
	 * the proposed clamp is ~4080 (research/network.md 2.3, opnsense/src#316) */
	set_param(&cfg->pfsync_max_mtu, 4080);
	set_param(&cfg->inner_mtu_slack, 80);
}

void vnl_config_release(struct vnl_config *cfg)
{
	free(cfg->rules);
	free(cfg->vms);
	free(cfg->bridges);
	free(cfg->pairs);
	free(cfg->suppress);
	arena_release(&cfg->arena);
	memset(cfg, 0, sizeof(*cfg));
}

/* ---- parsing ------------------------------------------------------------- */

struct conf_parser {
	struct vnl_config *cfg;
	const char *origin;
	unsigned line;
	char section[32];
	const char *subsection; /* in cfg->arena */
	struct vnl_err *err;
};

VNL_PRINTF(2, 3)
static int conf_error(struct conf_parser *cp, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vnl_fail(cp->err, "%s:%u: %s", cp->origin, cp->line, msg);
}

static struct vnl_loc here(struct conf_parser *cp)
{
	struct vnl_loc loc = { cp->origin, cp->line, 1 };
	return loc;
}

static char *trim(char *s)
{
	char *end;
	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int parse_int(struct conf_parser *cp, const char *key, const char *v, int lo, int hi,
		     int *out)
{
	long long n;
	if (!str_to_ll(v, strlen(v), false, &n) || n < lo || n > hi)
		return conf_error(cp, "%s = %s: expected a whole number from %d to %d", key, v, lo,
				  hi);
	*out = (int)n;
	return 0;
}

static int take_param(struct conf_parser *cp, struct vnl_param *p, const char *key,
		      const char *v, int lo, int hi)
{
	if (parse_int(cp, key, v, lo, hi, &p->value) < 0)
		return -1;
	p->loc = here(cp);
	return 0;
}

static int check_family(struct conf_parser *cp, const char *key, const char *v)
{
	if (strcmp(v, "ipv4") && strcmp(v, "ipv6"))
		return conf_error(cp, "%s = %s: expected ipv4 or ipv6", key, v);
	return 0;
}

static int check_overlay(struct conf_parser *cp, const char *v)
{
	enum vnl_overlay o = vnl_overlay_from_name(v);
	if (o == VNL_OVERLAY__COUNT || o == VNL_OVERLAY_NONE)
		return conf_error(cp, "overlay = %s: expected wireguard, netbird, tailscale, vxlan, "
				  "geneve, gre, gretap, ipsec, vlan or qinq", v);
	return 0;
}

static int check_roles(struct conf_parser *cp, const char *v)
{
	char *copy = xstrdup(v), *tok, *save = NULL;
	int rc = 0;

	for (tok = strtok_r(copy, ", ", &save); tok && !rc; tok = strtok_r(NULL, ", ", &save))
		if (strcmp(tok, "firewall") && strcmp(tok, "pfsync") && strcmp(tok, "router") &&
		    strcmp(tok, "overlay"))
			rc = conf_error(cp, "role '%s': expected firewall, pfsync, router or overlay",
					tok);
	free(copy);
	return rc;
}

static const char *keep(struct conf_parser *cp, const char *v)
{
	return arena_strdup(&cp->cfg->arena, v);
}

static int take_rule(struct conf_parser *cp, const char *key, const char *v)
{
	struct vnl_config *cfg = cp->cfg;
	struct vnl_rule_setting *rs;
	bool b;

	if (!vnl_rule_find(key))
		return conf_error(cp, "no rule '%s' (see 'vmnetlint rules')", key);
	vnl_grow(&cfg->rules, &cfg->rules_cap, cfg->nrules + 1, sizeof(*cfg->rules));
	rs = &cfg->rules[cfg->nrules++];
	rs->rule = keep(cp, key);
	rs->enabled = -1;
	rs->severity = -1;
	rs->loc = here(cp);
	if (!strcmp(v, "error"))
		rs->severity = VNL_SEV_ERROR;
	else if (!strcmp(v, "warning"))
		rs->severity = VNL_SEV_WARNING;
	else if (!strcmp(v, "info"))
		rs->severity = VNL_SEV_INFO;
	else if (!strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true"))
		b = true, rs->enabled = b;
	else if (!strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "false"))
		b = false, rs->enabled = b;
	else
		return conf_error(cp, "%s = %s: expected on, off, error, warning or info", key, v);
	if (rs->severity >= 0)
		rs->enabled = 1;
	return 0;
}

static struct vnl_vm_decl *current_vm(struct conf_parser *cp)
{
	return &cp->cfg->vms[cp->cfg->nvms - 1];
}

static int take_vm_key(struct conf_parser *cp, const char *key, const char *v)
{
	struct vnl_vm_decl *d = current_vm(cp);

	if (!strcmp(key, "role") || !strcmp(key, "roles")) {
		if (check_roles(cp, v) < 0)
			return -1;
		d->roles = keep(cp, v);
	} else if (!strcmp(key, "overlay")) {
		if (check_overlay(cp, v) < 0)
			return -1;
		d->overlay = keep(cp, v);
	} else if (!strcmp(key, "inner-mtu")) {
		return parse_int(cp, key, v, 576, 65535, &d->inner_mtu);
	} else if (!strcmp(key, "overlay-family")) {
		if (check_family(cp, key, v) < 0)
			return -1;
		d->overlay_family = keep(cp, v);
	} else if (!strcmp(key, "overlay-nic")) {
		d->overlay_nic = keep(cp, v);
	} else if (!strcmp(key, "pfsync-nic")) {
		d->pfsync_nic = keep(cp, v);
	} else if (!strcmp(key, "pair")) {
		d->pair = keep(cp, v);
	} else {
		return conf_error(cp, "unknown key '%s' in [vm]", key);
	}
	return 0;
}

static int take_bridge_key(struct conf_parser *cp, const char *key, const char *v)
{
	struct vnl_bridge_decl *b = &cp->cfg->bridges[cp->cfg->nbridges - 1];

	if (!strcmp(key, "mtu"))
		return parse_int(cp, key, v, 576, 65535, &b->mtu);
	if (!strcmp(key, "underlay-mtu"))
		return parse_int(cp, key, v, 576, 65535, &b->underlay_mtu);
	if (!strcmp(key, "node")) {
		b->node = keep(cp, v);
	} else if (!strcmp(key, "overlay")) {
		if (check_overlay(cp, v) < 0)
			return -1;
		b->overlay = keep(cp, v);
	} else if (!strcmp(key, "underlay-family")) {
		if (check_family(cp, key, v) < 0)
			return -1;
		b->family = keep(cp, v);
	} else {
		return conf_error(cp, "unknown key '%s' in [bridge]", key);
	}
	return 0;
}

/* [suppress]: vm, path and the reason, each once. */
static int take_suppress_key(struct conf_parser *cp, const char *key, const char *v)
{
	struct vnl_suppress_decl *d = &cp->cfg->suppress[cp->cfg->nsuppress - 1];
	const char **slot = !strcmp(key, "vm") ? &d->vm : !strcmp(key, "path") ? &d->path
			    : !strcmp(key, "reason") ? &d->reason : NULL;

	if (!slot)
		return conf_error(cp, "unknown key '%s' in [suppress] (vm, path, reason)", key);
	if (*slot)
		return conf_error(cp, "%s is given twice in [suppress \"%s\"]", key, d->rules);
	*slot = keep(cp, v);
	return 0;
}

/* A [suppress] section is complete once the next section starts: it needs
 * a reason, and a vm or path ([rules] turns a rule off everywhere). */
static int finish_suppress(struct conf_parser *cp)
{
	const struct vnl_suppress_decl *d;

	if (strcmp(cp->section, "suppress") || !cp->cfg->nsuppress)
		return 0;
	d = &cp->cfg->suppress[cp->cfg->nsuppress - 1];
	if (!d->reason)
		return vnl_fail(cp->err, "%s:%u: [suppress \"%s\"] needs reason = why the finding "
				"is accepted", d->loc.origin, d->loc.line, d->rules);
	if (!d->vm && !d->path)
		return vnl_fail(cp->err, "%s:%u: [suppress \"%s\"] needs vm = PATTERN or path = GLOB "
				"(to turn a rule off everywhere, use [rules] RULE = off)",
				d->loc.origin, d->loc.line, d->rules);
	return 0;
}

/* Every selector in [suppress "..."] must name a rule that can be suppressed. */
static int check_suppress_rules(struct conf_parser *cp, const char *list)
{
	char *copy = xstrdup(list), *tok, *save = NULL;
	struct vnl_suppression s = { NULL, "-", { NULL, 0, 0 } };
	int rc = 0, n = 0;

	for (tok = strtok_r(copy, ", \t", &save); tok && !rc; tok = strtok_r(NULL, ", \t", &save)) {
		s.rule = tok;
		n++;
		if (vnl_suppression_check(&s) == VNL_SUPP_NO_RULE)
			rc = conf_error(cp, "[suppress]: no rule '%s' (see 'vmnetlint rules')", tok);
		else if (vnl_suppression_check(&s) == VNL_SUPP_UNSUPPRESSIBLE)
			rc = conf_error(cp, "[suppress]: %s cannot be suppressed; turn it off in "
					"[rules]", tok);
	}
	free(copy);
	if (!rc && !n)
		rc = conf_error(cp, "[suppress \"RULES\"] names no rule");
	return rc;
}

static int take_key(struct conf_parser *cp, const char *key, const char *v)
{
	struct vnl_config *cfg = cp->cfg;
	const char *s = cp->section;

	if (!*s)
		return conf_error(cp, "'%s' outside of a section", key);
	if (!strcmp(s, "rules"))
		return take_rule(cp, key, v);
	if (!strcmp(s, "vm"))
		return take_vm_key(cp, key, v);
	if (!strcmp(s, "bridge"))
		return take_bridge_key(cp, key, v);
	if (!strcmp(s, "suppress"))
		return take_suppress_key(cp, key, v);
	if (!strcmp(s, "pair") && !strcmp(key, "members")) {
		cfg->pairs[cfg->npairs - 1].members = keep(cp, v);
		return 0;
	}
	if (!strcmp(s, "network") && !strcmp(key, "underlay-mtu"))
		return take_param(cp, &cfg->underlay_mtu, key, v, 576, 65535);
	if (!strcmp(s, "network") && !strcmp(key, "underlay-family")) {
		if (check_family(cp, key, v) < 0)
			return -1;
		cfg->underlay_family = keep(cp, v);
		cfg->underlay_family_loc = here(cp);
		return 0;
	}
	if (!strcmp(s, "queues") && !strcmp(key, "max"))
		return take_param(cp, &cfg->max_queues, key, v, 1, 64);
	if (!strcmp(s, "pfsync") && !strcmp(key, "max-mtu"))
		return take_param(cp, &cfg->pfsync_max_mtu, key, v, 576, 65535);
	if (!strcmp(s, "overlay") && !strcmp(key, "slack"))
		return take_param(cp, &cfg->inner_mtu_slack, key, v, 0, 9000);
	return conf_error(cp, "unknown key '%s' in [%s]", key, s);
}

/* A section that takes a name: open its declaration. */
static int open_named(struct conf_parser *cp, const char *name)
{
	struct vnl_config *cfg = cp->cfg;
	const char *s = cp->section;

	if (!strcmp(s, "vm")) {
		vnl_grow(&cfg->vms, &cfg->vms_cap, cfg->nvms + 1, sizeof(*cfg->vms));
		memset(&cfg->vms[cfg->nvms], 0, sizeof(*cfg->vms));
		cfg->vms[cfg->nvms].pattern = keep(cp, name);
		cfg->vms[cfg->nvms++].loc = here(cp);
	} else if (!strcmp(s, "bridge")) {
		vnl_grow(&cfg->bridges, &cfg->bridges_cap, cfg->nbridges + 1, sizeof(*cfg->bridges));
		memset(&cfg->bridges[cfg->nbridges], 0, sizeof(*cfg->bridges));
		cfg->bridges[cfg->nbridges].name = keep(cp, name);
		cfg->bridges[cfg->nbridges++].loc = here(cp);
	} else if (!strcmp(s, "pair")) {
		vnl_grow(&cfg->pairs, &cfg->pairs_cap, cfg->npairs + 1, sizeof(*cfg->pairs));
		memset(&cfg->pairs[cfg->npairs], 0, sizeof(*cfg->pairs));
		cfg->pairs[cfg->npairs].name = keep(cp, name);
		cfg->pairs[cfg->npairs++].loc = here(cp);
	} else if (!strcmp(s, "suppress")) {
		if (check_suppress_rules(cp, name) < 0)
			return -1;
		vnl_grow(&cfg->suppress, &cfg->suppress_cap, cfg->nsuppress + 1,
			 sizeof(*cfg->suppress));
		memset(&cfg->suppress[cfg->nsuppress], 0, sizeof(*cfg->suppress));
		cfg->suppress[cfg->nsuppress].rules = keep(cp, name);
		cfg->suppress[cfg->nsuppress++].loc = here(cp);
	} else {
		return conf_error(cp, "section [%s] takes no name", s);
	}
	return 0;
}

static int take_section(struct conf_parser *cp, char *s)
{
	static const char *const plain[] = { "rules", "network", "queues", "pfsync", "overlay" };
	static const char *const named[] = { "vm", "bridge", "pair", "suppress" };
	char *end = strchr(s, ']'), *quote;
	size_t i;
	bool ok = false;

	if (finish_suppress(cp) < 0)
		return -1;
	if (!end || *trim(end + 1))
		return conf_error(cp, "a section header is [name] or [name \"value\"]");
	*end = '\0';
	quote = strchr(s, '"');
	if (quote) {
		char *close = strrchr(quote + 1, '"');
		if (!close || close == quote || *trim(close + 1))
			return conf_error(cp, "unterminated quote in section header");
		*close = '\0';
		*quote = '\0';
	}
	snprintf(cp->section, sizeof(cp->section), "%s", trim(s));
	for (i = 0; i < VNL_ARRAY_LEN(plain) && !quote; i++)
		ok = ok || !strcmp(cp->section, plain[i]);
	for (i = 0; i < VNL_ARRAY_LEN(named) && quote; i++)
		ok = ok || !strcmp(cp->section, named[i]);
	if (!ok)
		return conf_error(cp, quote ? "unknown section [%s \"...\"]" : "unknown section [%s]",
				  cp->section);
	return quote ? open_named(cp, quote + 1) : 0;
}

/* `# comment` and `; comment` after a value need a blank before them. */
static void strip_comment(char *s)
{
	char *p;
	for (p = s; *p; p++)
		if ((*p == '#' || *p == ';') && p > s && isspace((unsigned char)p[-1])) {
			*p = '\0';
			return;
		}
}

static int take_line(struct conf_parser *cp, char *line)
{
	char *s = trim(line), *eq, *key, *value;

	if (!*s || *s == '#' || *s == ';')
		return 0;
	if (*s == '[')
		return take_section(cp, s + 1);
	eq = strchr(s, '=');
	if (!eq)
		return conf_error(cp, "expected 'key = value' or a [section]");
	*eq = '\0';
	strip_comment(eq + 1);
	key = trim(s);
	value = trim(eq + 1);
	if (!*key || !*value)
		return conf_error(cp, "expected 'key = value' with both sides");
	/* keys are case-insensitive; rule names keep their spelling for display */
	for (s = key; *s && strcmp(cp->section, "rules"); s++)
		*s = (char)tolower((unsigned char)*s);
	return take_key(cp, key, value);
}

int vnl_config_parse(struct vnl_config *cfg, const char *origin, const char *text,
		     struct vnl_err *err)
{
	struct conf_parser cp = { cfg, NULL, 0, "", NULL, err };
	const char *p = text;

	cfg->path = arena_strdup(&cfg->arena, origin);
	cp.origin = cfg->path;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, n);
		int rc;

		cp.line++;
		rc = take_line(&cp, line);
		free(line);
		if (rc < 0)
			return -1;
		p += n + (nl ? 1 : 0);
	}
	return finish_suppress(&cp);
}

int vnl_config_load(struct vnl_config *cfg, const char *path, struct vnl_err *err)
{
	FILE *f = fopen(path, "r");
	struct strbuf sb = STRBUF_INIT;
	char chunk[4096];
	size_t n;
	int rc;

	if (!f)
		return vnl_fail(err, "%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		strbuf_add(&sb, chunk, n);
	if (ferror(f)) {
		fclose(f);
		strbuf_release(&sb);
		return vnl_fail(err, "%s: cannot read: %s", path, strerror(errno));
	}
	fclose(f);
	if (memchr(strbuf_str(&sb), '\0', sb.len)) {
		strbuf_release(&sb);
		return vnl_fail(err, "%s: contains a NUL byte; not a config file", path);
	}
	rc = vnl_config_parse(cfg, path, strbuf_str(&sb), err);
	strbuf_release(&sb);
	return rc;
}
