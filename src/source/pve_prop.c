/* The netN property string. Facts: research/proxmox.md 2.1 (keys and
 * ranges) and 2.2 (parse_property_string: split on ',', no trimming, a bare
 * token is the default key `model`, `<model>=<MAC>` is an alias, repeated
 * keys are errors, booleans 1/on/yes/true/0/off/no/false). */
#include "config.h"

#include "pve_prop.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

static const char *const net_models[] = {
	"e1000", "e1000-82540em", "e1000-82544gc", "e1000-82545em", "e1000e",
	"i82551", "i82557b", "i82559er", "ne2k_isa", "ne2k_pci", "pcnet",
	"rtl8139", "virtio", "vmxnet3",
};

bool pve_net_model_known(const char *s, size_t n)
{
	size_t i;
	/* enum values match exactly, case-sensitive (proxmox.md 2.2) */
	for (i = 0; i < VNL_ARRAY_LEN(net_models); i++)
		if (strlen(net_models[i]) == n && !memcmp(net_models[i], s, n))
			return true;
	return false;
}

bool pve_parse_bool(const char *s, size_t n, bool *out)
{
	static const char *const yes[] = { "1", "on", "yes", "true" };
	static const char *const no[] = { "0", "off", "no", "false" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strlen(yes[i]) == n && !strncasecmp(yes[i], s, n)) {
			*out = true;
			return true;
		}
		if (strlen(no[i]) == n && !strncasecmp(no[i], s, n)) {
			*out = false;
			return true;
		}
	}
	return false;
}

bool pve_tag_valid(const char *s, size_t n)
{
	size_t i;
	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)tolower((unsigned char)s[i]);
		bool ok = isdigit(c) || (c >= 'a' && c <= 'z') || c == '_';
		if (i > 0)
			ok = ok || c == '+' || c == '.' || c == '-';
		if (!ok)
			return false;
	}
	return true;
}

size_t pve_decode_text(const char *in, size_t n, char *out)
{
	size_t i, o = 0;
	for (i = 0; i < n; i++) {
		if (in[i] == '%' && i + 2 < n && hex_digit_value(in[i + 1]) >= 0 && hex_digit_value(in[i + 2]) >= 0) {
			out[o++] = (char)(hex_digit_value(in[i + 1]) * 16 + hex_digit_value(in[i + 2]));
			i += 2;
		} else {
			out[o++] = in[i];
		}
	}
	out[o] = '\0';
	return o;
}

/* 6 hex octets separated by ':', unicast (research/proxmox.md 2.1). */
static const char *mac_error(const char *s, size_t n)
{
	size_t i;
	if (n != 17)
		return "is not a MAC address (expected 6 hex octets like BC:24:11:00:00:01)";
	for (i = 0; i < n; i++) {
		bool colon = i % 3 == 2;
		if (colon ? s[i] != ':' : hex_digit_value(s[i]) < 0)
			return "is not a MAC address (expected 6 hex octets like BC:24:11:00:00:01)";
	}
	if (hex_digit_value(s[1]) & 1)
		return "is a multicast MAC address (the I/G bit of the first octet is set)";
	return NULL;
}

static bool bridge_valid(const char *s, size_t n)
{
	size_t i;
	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("-_.", s[i]))
			return false;
	return true;
}

/* VLAN ids and ranges separated by ';', each 1..4094 (proxmox.md 2.1). */
static bool trunks_valid(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		long long lo, hi;
		while (j < n && s[j] != ';')
			j++;
		{
			const char *dash = memchr(s + i, '-', j - i);
			size_t a_len = dash ? (size_t)(dash - (s + i)) : j - i;
			if (!str_to_ll(s + i, a_len, false, &lo) || lo < 1 || lo > 4094)
				return false;
			if (dash) {
				if (!str_to_ll(dash + 1, (size_t)(s + j - dash - 1), false, &hi) ||
				    hi < lo || hi > 4094)
					return false;
			}
		}
		i = j + 1;
	}
	return n > 0 && s[n - 1] != ';';
}

/* is_number: 12, 1., .5, 1e3 (proxmox.md 2.2) */
static bool number_valid(const char *s, size_t n)
{
	size_t i = 0, digits = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < n && isdigit((unsigned char)s[i]))
		i++, digits++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && isdigit((unsigned char)s[i]))
			i++, digits++;
	}
	if (!digits)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t exp = 0;
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		while (i < n && isdigit((unsigned char)s[i]))
			i++, exp++;
		if (!exp)
			return false;
	}
	return i == n && s[0] != '-';
}

/* One `key=value` or bare token of the property string. */
struct net_part {
	const char *key;
	size_t key_len;
	const char *val;
	size_t val_len;
	unsigned col;
};

struct net_parse {
	struct vnl_vm *vm;
	struct vnl_nic *nic;
	unsigned line;
	int errors;
	bool mac_from_alias; /* for PVE's wording of a repeated MAC */
};

VNL_PRINTF(3, 4)
static void net_error(struct net_parse *np, unsigned col, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	vnl_vm_problem(np->vm, VNL_SEV_ERROR, np->line, col, np->nic->key,
		       "%s: %s; Proxmox drops this NIC line when it next writes the config",
		       np->nic->key, strbuf_str(&sb));
	strbuf_release(&sb);
	np->errors++;
}

static const char *dup_part(struct net_parse *np, const struct net_part *p)
{
	return arena_strndup(&np->vm->arena, p->val, p->val_len);
}

static void set_text(struct net_parse *np, struct vnl_text *t, const struct net_part *p)
{
	t->raw = dup_part(np, p);
	t->loc = vnl_loc_at(np->vm, np->line, p->col);
}

static bool already_set(struct net_parse *np, const void *raw, const struct net_part *p)
{
	if (!raw)
		return false;
	net_error(np, p->col, "duplicate key '%.*s'", (int)p->key_len, p->key);
	return true;
}

static void set_int(struct net_parse *np, struct vnl_int *v, const struct net_part *p,
		    long long lo, long long hi)
{
	long long n;
	if (already_set(np, v->raw, p))
		return;
	/* is_integer allows a sign and leading zeros; then the range check */
	if (!str_to_ll(p->val, p->val_len, true, &n)) {
		net_error(np, p->col, "%.*s=%.*s is not an integer", (int)p->key_len, p->key,
			  (int)p->val_len, p->val);
		return;
	}
	if (n < lo || n > hi) {
		net_error(np, p->col, "%.*s=%.*s is out of range %lld..%lld", (int)p->key_len,
			  p->key, (int)p->val_len, p->val, lo, hi);
		return;
	}
	v->value = n;
	v->raw = dup_part(np, p);
	v->loc = vnl_loc_at(np->vm, np->line, p->col);
}

static void set_flag(struct net_parse *np, struct vnl_flag *f, const struct net_part *p)
{
	bool b;
	if (already_set(np, f->raw, p))
		return;
	if (!pve_parse_bool(p->val, p->val_len, &b)) {
		net_error(np, p->col, "%.*s=%.*s is not a boolean (use 1 or 0)", (int)p->key_len,
			  p->key, (int)p->val_len, p->val);
		return;
	}
	f->value = b;
	f->raw = dup_part(np, p);
	f->loc = vnl_loc_at(np->vm, np->line, p->col);
}

static void set_model(struct net_parse *np, const char *s, size_t n, unsigned col, bool alias)
{
	struct vnl_nic *nic = np->nic;
	if (nic->model.raw) {
		net_error(np, col, alias ? "key alias 'model' is already defined" :
				    "duplicate key 'model'");
		return;
	}
	if (!pve_net_model_known(s, n)) {
		net_error(np, col, "unknown model '%.*s'", (int)n, s);
		return;
	}
	nic->model.raw = arena_strndup(&np->vm->arena, s, n);
	nic->model.loc = vnl_loc_at(np->vm, np->line, col);
	nic->family = vnl_nic_family_of(nic->model.raw);
}

static void set_mac(struct net_parse *np, const struct net_part *p, bool via_alias)
{
	const char *why;
	if (np->nic->mac.raw) {
		net_error(np, p->col, via_alias || np->mac_from_alias ?
				      "macaddr is already defined (via alias)" :
				      "duplicate key 'macaddr'");
		return;
	}
	np->mac_from_alias = via_alias;
	why = mac_error(p->val, p->val_len);
	if (why) {
		net_error(np, p->col, "'%.*s' %s", (int)p->val_len, p->val, why);
		return;
	}
	set_text(np, &np->nic->mac, p);
}

static bool key_is(const struct net_part *p, const char *k)
{
	return strlen(k) == p->key_len && !memcmp(k, p->key, p->key_len);
}

static void apply_keyed(struct net_parse *np, const struct net_part *p)
{
	struct vnl_nic *nic = np->nic;

	if (p->val_len == 0) {
		net_error(np, p->col, "key '%.*s' has an empty value", (int)p->key_len, p->key);
	} else if (pve_net_model_known(p->key, p->key_len)) {
		/* `<model>=<MAC>` alias: sets model and macaddr in one token */
		struct net_part mac = *p;
		size_t before = (size_t)np->errors;
		set_model(np, p->key, p->key_len, p->col, true);
		if ((size_t)np->errors == before) {
			mac.col = p->col + (unsigned)p->key_len + 1;
			set_mac(np, &mac, true);
		}
	} else if (key_is(p, "model")) {
		set_model(np, p->val, p->val_len, p->col, false);
	} else if (key_is(p, "macaddr")) {
		set_mac(np, p, false);
	} else if (key_is(p, "bridge")) {
		if (already_set(np, nic->bridge.raw, p))
			return;
		if (!bridge_valid(p->val, p->val_len))
			net_error(np, p->col, "bridge '%.*s' is not a valid bridge name",
				  (int)p->val_len, p->val);
		else
			set_text(np, &nic->bridge, p);
	} else if (key_is(p, "tag")) {
		set_int(np, &nic->vlan_tag, p, 1, 4094);
	} else if (key_is(p, "trunks")) {
		if (already_set(np, nic->trunks.raw, p))
			return;
		if (!trunks_valid(p->val, p->val_len))
			net_error(np, p->col, "trunks '%.*s' is not a list of VLAN ids (1-4094) "
				  "and ranges separated by ';'", (int)p->val_len, p->val);
		else
			set_text(np, &nic->trunks, p);
	} else if (key_is(p, "rate")) {
		if (already_set(np, nic->rate.raw, p))
			return;
		if (!number_valid(p->val, p->val_len))
			net_error(np, p->col, "rate=%.*s is not a number >= 0", (int)p->val_len,
				  p->val);
		else
			set_text(np, &nic->rate, p);
	} else if (key_is(p, "queues")) {
		set_int(np, &nic->queues, p, 0, 64);
	} else if (key_is(p, "mtu")) {
		set_int(np, &nic->mtu, p, 1, 65520);
	} else if (key_is(p, "firewall")) {
		set_flag(np, &nic->firewall, p);
	} else if (key_is(p, "link_down")) {
		set_flag(np, &nic->link_down, p);
	} else if (key_is(p, "host-tunnel")) {
		set_flag(np, &nic->host_tunnel, p);
	} else {
		net_error(np, p->col, "invalid key '%.*s'", (int)p->key_len, p->key);
	}
}

static void apply_part(struct net_parse *np, const struct net_part *p)
{
	if (p->key)
		apply_keyed(np, p);
	else
		set_model(np, p->val, p->val_len, p->col, false);
}

static bool all_space(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

int pve_net_parse(struct vnl_vm *vm, struct vnl_nic *nic, const char *value, size_t len,
		  unsigned line, unsigned col)
{
	struct net_parse np = { vm, nic, line, 0, false };
	size_t i = 0;

	nic->raw = arena_strndup(&vm->arena, value, len);
	nic->loc = vnl_loc_at(vm, line, col);
	while (i <= len) {
		size_t j = i;
		struct net_part p = { 0 };
		const char *eq;

		while (j < len && value[j] != ',')
			j++;
		/* empty or blank parts are skipped, others are not trimmed */
		if (!all_space(value + i, j - i)) {
			p.col = col + (unsigned)i;
			eq = memchr(value + i, '=', j - i);
			if (eq) {
				p.key = value + i;
				p.key_len = (size_t)(eq - (value + i));
				p.val = eq + 1;
				p.val_len = (size_t)(value + j - eq - 1);
			} else {
				p.val = value + i;
				p.val_len = j - i;
			}
			apply_part(&np, &p);
		}
		i = j + 1;
	}
	if (!np.errors && !nic->model.raw)
		net_error(&np, col, "no NIC model (such as virtio) is given");
	return np.errors ? -1 : 0;
}
