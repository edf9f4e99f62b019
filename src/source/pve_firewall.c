/* The [OPTIONS] of Proxmox firewall files, read the way pve-firewall does
 * (research/proxmox.md 7.3): each line trimmed, `#` lines and blank lines
 * skipped, `[OPTIONS]` (any case) starts the options, any other `[...]`
 * header ([RULES], [ALIASES], [IPSET x], [group x]) a section skipped here.
 * An option is `key: value`; pve-firewall warns about a value it cannot
 * parse and ignores the line, so the default stays in force. */
#include "config.h"

#include "pve_firewall.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

enum fw_section { FW_NONE, FW_OPTIONS, FW_OTHER };

struct fwparse {
	const char *origin;
	const struct pve_report *rep;
	struct vnl_vm *vm;       /* a VM's file, or NULL */
	struct vnl_netenv *env;  /* cluster.fw, or NULL */
	int nerrors;
};

struct fw_opt {
	const char *key, *value;
	size_t kn, vn;
	unsigned line, col; /* of the value */
};

static void set_flag(struct fwparse *fp, struct vnl_flag *dst, const struct fw_opt *o)
{
	dst->value = o->value[0] == '1';
	dst->raw = arena_strndup(&fp->vm->arena, o->value, o->vn);
	dst->loc.origin = arena_strdup(&fp->vm->arena, fp->origin);
	dst->loc.line = o->line;
	dst->loc.col = o->col;
}

static void bad_value(struct fwparse *fp, const struct fw_opt *o, const char *want,
		      const char *effect)
{
	pve_reportf(fp->rep, VNL_SEV_ERROR, fp->origin, o->line, o->col,
		    "%.*s: '%.*s' is not %s; Proxmox ignores this option (%s)", (int)o->kn, o->key,
		    (int)o->vn, o->value, want, effect);
	fp->nerrors++;
}

static bool key_is(const struct fw_opt *o, const char *key)
{
	return o->kn == strlen(key) && !strncasecmp(o->key, key, o->kn);
}

static bool zero_or_one(const struct fw_opt *o)
{
	return o->vn == 1 && (o->value[0] == '0' || o->value[0] == '1');
}

/* VM options: `enable` and `macfilter` take exactly 0 or 1
 * (pve-firewall parse_vmfw_option). */
static void take_vm_option(struct fwparse *fp, const struct fw_opt *o)
{
	if (key_is(o, "enable")) {
		if (zero_or_one(o))
			set_flag(fp, &fp->vm->fw_enable, o);
		else
			bad_value(fp, o, "0 or 1", "the VM firewall stays off");
	} else if (key_is(o, "macfilter")) {
		if (zero_or_one(o))
			set_flag(fp, &fp->vm->fw_macfilter, o);
		else
			bad_value(fp, o, "0 or 1", "the MAC filter stays on");
	}
}

/* Datacenter `enable` takes digits; a value above 1 is a point in time,
 * which pve-firewall treats as off once 60 s have passed
 * (parse_clusterfw_option), so as off here. */
static void take_cluster_option(struct fwparse *fp, const struct fw_opt *o)
{
	struct vnl_setting *s = &fp->env->cluster_firewall;

	if (!key_is(o, "enable"))
		return;
	if (!str_is_digits(o->value, o->vn) || o->vn == 0) {
		bad_value(fp, o, "a number", "the datacenter firewall stays off");
		return;
	}
	s->value = o->vn == 1 && o->value[0] == '1';
	s->loc.origin = arena_strdup(&fp->env->arena, fp->origin);
	s->loc.line = o->line;
	s->loc.col = o->col;
}

/* `key: value` (key [A-Za-z][A-Za-z0-9_]*, as layer2_protocols); false if
 * the line is not an option. */
static bool split_option(const char *s, size_t n, size_t lead, unsigned line, struct fw_opt *o)
{
	size_t i = 0, v;

	while (i < n && (isalpha((unsigned char)s[i]) || s[i] == '_' ||
			 (i > 0 && isdigit((unsigned char)s[i]))))
		i++;
	if (i == 0 || i >= n || s[i] != ':')
		return false;
	for (v = i + 1; v < n && isspace((unsigned char)s[v]); v++)
		;
	o->key = s;
	o->kn = i;
	o->value = s + v;
	o->vn = n - v;
	o->line = line;
	o->col = (unsigned)(lead + v) + 1;
	return true;
}

static void parse_line(struct fwparse *fp, enum fw_section *sec, const char *s, size_t n,
		       unsigned line)
{
	size_t lead = 0;
	struct fw_opt o;

	while (lead < n && isspace((unsigned char)s[lead]))
		lead++;
	while (n > lead && isspace((unsigned char)s[n - 1]))
		n--;
	s += lead;
	n -= lead;
	if (n == 0 || s[0] == '#')
		return;
	if (s[0] == '[') {
		*sec = n == 9 && !strncasecmp(s, "[options]", 9) ? FW_OPTIONS : FW_OTHER;
		return;
	}
	if (*sec == FW_NONE) {
		pve_reportf(fp->rep, VNL_SEV_ERROR, fp->origin, line, (unsigned)lead + 1,
			    "'%.*s' is outside any section; Proxmox skips it (options belong "
			    "under [OPTIONS])", (int)(n > 60 ? 60 : n), s);
		fp->nerrors++;
		return;
	}
	if (*sec != FW_OPTIONS)
		return;
	if (!split_option(s, n, lead, line, &o)) {
		pve_reportf(fp->rep, VNL_SEV_ERROR, fp->origin, line, (unsigned)lead + 1,
			    "cannot parse option '%.*s'; Proxmox ignores it", (int)(n > 60 ? 60 : n),
			    s);
		fp->nerrors++;
	} else if (fp->vm) {
		take_vm_option(fp, &o);
	} else {
		take_cluster_option(fp, &o);
	}
}

static int parse(struct fwparse *fp, const char *buf, size_t len)
{
	enum fw_section sec = FW_NONE;
	size_t pos = 0;
	unsigned line = 0;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		line++;
		if (memchr(buf + pos, '\0', n)) {
			pve_reportf(fp->rep, VNL_SEV_ERROR, fp->origin, line, 1,
				    "line contains a NUL byte");
			fp->nerrors++;
		} else {
			parse_line(fp, &sec, buf + pos, n, line);
		}
		pos += n + 1;
	}
	return fp->nerrors;
}

int pve_firewall_parse_cluster(const char *origin, const char *buf, size_t len,
			       struct vnl_netenv *env, const struct pve_report *rep)
{
	struct fwparse fp = { origin, rep, NULL, env, 0 };

	/* the file exists: without `enable: 1` the datacenter firewall is off */
	env->cluster_firewall.value = 0;
	env->cluster_firewall.loc.origin = arena_strdup(&env->arena, origin);
	env->cluster_firewall.loc.line = 0;
	env->cluster_firewall.loc.col = 0;
	return parse(&fp, buf, len);
}

static void sync_pending(struct vnl_vm *vm)
{
	if (!vm->pending)
		return;
	vm->pending->fw_enable = vm->fw_enable;
	vm->pending->fw_macfilter = vm->fw_macfilter;
	vm->pending->fw_known = vm->fw_known;
}

void pve_firewall_vm_defaults(struct vnl_vm *vm)
{
	memset(&vm->fw_enable, 0, sizeof(vm->fw_enable));
	memset(&vm->fw_macfilter, 0, sizeof(vm->fw_macfilter));
	vm->fw_enable.value = false;
	vm->fw_macfilter.value = true;
	vm->fw_known = true;
	sync_pending(vm);
}

int pve_firewall_parse_vm(const char *origin, const char *buf, size_t len, struct vnl_vm *vm,
			  const struct pve_report *rep)
{
	struct fwparse fp = { origin, rep, vm, NULL, 0 };
	int rc;

	pve_firewall_vm_defaults(vm);
	rc = parse(&fp, buf, len);
	sync_pending(vm);
	return rc;
}
