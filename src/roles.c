/* Evidence, not booleans: every role a VM gets names what gave it away,
 * so a user who disagrees can see why and correct the input.
 *
 * Words are matched whole (split on anything but letters and digits), so
 * "carpool" is not CARP. Linux evidence keeps generic words such as
 * "firewall" from making a Linux VM a pf firewall (VNL001 never applies to
 * Linux routers); explicit OPNsense/pfSense evidence always wins. */
#include "config.h"

#include "roles.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

struct role_word {
	const char *word;
	enum vnl_role role;
	bool strong; /* names a pf distribution: beats Linux evidence */
};

static const struct role_word words[] = {
	{ "opnsense", VNL_ROLE_FIREWALL, true },
	{ "pfsense", VNL_ROLE_FIREWALL, true },
	{ "freebsd-pf", VNL_ROLE_FIREWALL, true },
	{ "firewall", VNL_ROLE_FIREWALL, false },
	{ "pf", VNL_ROLE_FIREWALL, false },
	{ "carp", VNL_ROLE_PFSYNC, false },
	{ "pfsync", VNL_ROLE_PFSYNC, false },
	{ "router", VNL_ROLE_ROUTER, false },
	{ "vyos", VNL_ROLE_ROUTER, false },
	{ "openwrt", VNL_ROLE_ROUTER, false },
	{ "routeros", VNL_ROLE_ROUTER, false },
	{ "mikrotik", VNL_ROLE_ROUTER, false },
	{ "frr", VNL_ROLE_ROUTER, false },
	{ "gateway", VNL_ROLE_ROUTER, false },
	{ "wireguard", VNL_ROLE_OVERLAY, false },
	{ "netbird", VNL_ROLE_OVERLAY, false },
	{ "tailscale", VNL_ROLE_OVERLAY, false },
	{ "zerotier", VNL_ROLE_OVERLAY, false },
	{ "vxlan", VNL_ROLE_OVERLAY, false },
	{ "geneve", VNL_ROLE_OVERLAY, false },
	{ "ipsec", VNL_ROLE_OVERLAY, false },
	{ "linux", VNL_ROLE_LINUX, false },
	{ "debian", VNL_ROLE_LINUX, false },
	{ "ubuntu", VNL_ROLE_LINUX, false },
};

/* The strongest firewall evidence seen, to settle Linux conflicts. */
struct classify {
	struct vnl_vm *vm;
	bool strong_firewall;
	/* generic firewall words wait until we know whether the VM is Linux */
	const char *weak_firewall[8];
	size_t nweak;
};

static void add(struct classify *c, const struct role_word *w, const char *where,
		const char *text, size_t n)
{
	if (w->role == VNL_ROLE_FIREWALL && !w->strong) {
		if (c->nweak < VNL_ARRAY_LEN(c->weak_firewall))
			c->weak_firewall[c->nweak++] =
				arena_printf(&c->vm->arena, "%s '%.*s'", where, (int)n, text);
		return;
	}
	if (w->role == VNL_ROLE_FIREWALL)
		c->strong_firewall = true;
	/* the tunnel a role word names, unless vmnetlint.conf said otherwise;
	 * zerotier's overhead is not in the facts, so it names no overlay */
	if (w->role == VNL_ROLE_OVERLAY && !c->vm->overlay && strcmp(w->word, "zerotier"))
		c->vm->overlay = w->word;
	vnl_vm_add_evidence(c->vm, w->role, "%s '%.*s'", where, (int)n, text);
}

static void match_word(struct classify *c, const char *where, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < VNL_ARRAY_LEN(words); i++)
		if (strlen(words[i].word) == n && !strncasecmp(words[i].word, s, n))
			add(c, &words[i], where, s, n);
}

/* A tag is matched as a whole and also word by word ("opnsense-ha"). */
static void scan_words(struct classify *c, const char *where, const char *text)
{
	const char *p = text;

	if (!text)
		return;
	match_word(c, where, text, strlen(text));
	while (*p) {
		const char *start;
		while (*p && !isalnum((unsigned char)*p))
			p++;
		start = p;
		while (*p && isalnum((unsigned char)*p))
			p++;
		if (p > start && (size_t)(p - start) != strlen(text))
			match_word(c, where, start, (size_t)(p - start));
	}
}

/* A libosinfo id is a URL, "http://freebsd.org/freebsd/14.0" (research/
 * libvirt.md 2); evidence names it like its short id: "freebsd14.0
 * (libosinfo)". Other ids (guest agent) stay as they are. */
static const char *os_label(struct vnl_vm *vm, const char *id)
{
	const char *path = strstr(id, "://"), *last, *prev;

	if (!path || !(path = strchr(path + 3, '/')) || !(last = strrchr(path, '/')) ||
	    last == path || !last[1])
		return id;
	for (prev = last - 1; prev > path && *prev != '/'; prev--)
		;
	return arena_printf(&vm->arena, "%.*s%s%s (libosinfo)", (int)(last - prev - 1), prev + 1,
			    isdigit((unsigned char)last[1]) ? "" : "-", last + 1);
}

static void classify_os(struct classify *c)
{
	const char *os = c->vm->ostype;
	const char *id = c->vm->os_id ? os_label(c->vm, c->vm->os_id) : NULL;

	/* PVE ostype l24/l26 means the admin picked Linux (proxmox.md 3) */
	if (os && (!strcmp(os, "l26") || !strcmp(os, "l24")))
		vnl_vm_add_evidence(c->vm, VNL_ROLE_LINUX, "ostype %s", os);
	if (!id)
		return;
	if (strstr(id, "opnsense") || strstr(id, "pfsense")) {
		c->strong_firewall = true;
		vnl_vm_add_evidence(c->vm, VNL_ROLE_FIREWALL, "OS %s", id);
	} else if (strstr(id, "freebsd")) {
		/* FreeBSD alone is not pf: it counts with another firewall word */
		if (c->nweak < VNL_ARRAY_LEN(c->weak_firewall))
			c->weak_firewall[c->nweak++] = arena_printf(&c->vm->arena, "OS %s", id);
	} else if (strstr(id, "linux") || strstr(id, "debian") || strstr(id, "ubuntu") ||
		   strstr(id, "rhel") || strstr(id, "fedora") || strstr(id, "centos") ||
		   strstr(id, "alpine") || strstr(id, "opensuse")) {
		vnl_vm_add_evidence(c->vm, VNL_ROLE_LINUX, "OS %s", id);
	}
}

static void settle_firewall(struct classify *c)
{
	size_t i;
	bool linux_vm = vnl_vm_has_role(c->vm, VNL_ROLE_LINUX);
	bool freebsd_only = c->nweak == 1 && !strncmp(c->weak_firewall[0], "OS ", 3);

	if (!c->nweak || freebsd_only)
		return;
	if (linux_vm && !c->strong_firewall)
		return; /* a Linux firewall is not a pf firewall */
	for (i = 0; i < c->nweak; i++)
		vnl_vm_add_evidence(c->vm, VNL_ROLE_FIREWALL, "%s", c->weak_firewall[i]);
}

void vnl_roles_classify(struct vnl_vm *vm)
{
	struct classify c = { vm, false, { 0 }, 0 };
	size_t i;

	for (i = 0; i < vm->ntags; i++) {
		/* `pair-NAME` tags an HA pair (VNL031) unless the config named one */
		if (!vm->pair && !strncasecmp(vm->tags[i], "pair-", 5) && vm->tags[i][5])
			vm->pair = vm->tags[i] + 5;
		scan_words(&c, "tag", vm->tags[i]);
	}
	scan_words(&c, "name word", vm->name);
	scan_words(&c, "title word", vm->title);
	scan_words(&c, "description word", vm->description);
	classify_os(&c);
	settle_firewall(&c);
}
