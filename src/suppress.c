/* Suppressions (see suppress.h): the Proxmox description directive, how it
 * is recorded on the VM, and what a suppression names. Applying them is
 * suppress_apply.c. */
#include "config.h"

#include "suppress.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rule.h"

extern const struct vnl_rule rule_suppression_invalid;
extern const struct vnl_rule rule_unused_suppression;

/* A description that holds more is not written by hand; the rest is
 * ignored rather than copied over and over. */
#define MAX_SUPPRESSIONS 128

/* ---- the directive ------------------------------------------------------------ */

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static size_t skip_blanks(const char *s, size_t i, size_t n)
{
	while (i < n && blank(s[i]))
		i++;
	return i;
}

/* The reason: everything after "--", blanks trimmed. */
static void take_reason(const char *s, size_t i, size_t n, struct vnl_span *reason)
{
	i = skip_blanks(s, i, n);
	while (n > i && (blank(s[n - 1]) || s[n - 1] == '\n'))
		n--;
	reason->off = i;
	reason->len = n - i;
}

/* RULE[,RULE...] up to "--" (a word that starts with it) or the end. */
static void take_rules(const char *s, size_t i, size_t n, struct vnl_directive *d)
{
	while (i < n) {
		size_t end;

		while (i < n && (blank(s[i]) || s[i] == ','))
			i++;
		if (i == n)
			break;
		if (n - i >= 2 && s[i] == '-' && s[i + 1] == '-') {
			take_reason(s, i + 2, n, &d->reason);
			return;
		}
		end = i;
		while (end < n && !blank(s[end]) && s[end] != ',')
			end++;
		if (d->nrules == VNL_DIRECTIVE_MAX_RULES) {
			d->malformed = true;
		} else {
			d->rules[d->nrules].off = i;
			d->rules[d->nrules++].len = end - i;
		}
		i = end;
	}
}

bool vnl_directive_parse(const char *s, size_t n, struct vnl_directive *d)
{
	static const char prefix[] = "vmnetlint:";
	const size_t plen = sizeof(prefix) - 1;
	size_t i = skip_blanks(s, 0, n);

	memset(d, 0, sizeof(*d));
	if (n - i < plen || strncasecmp(s + i, prefix, plen) != 0)
		return false;
	d->start = i;
	i = skip_blanks(s, i + plen, n);
	if (n - i < 6 || strncasecmp(s + i, "ignore", 6) != 0 ||
	    (n - i > 6 && !blank(s[i + 6]))) {
		d->malformed = true;
		return true;
	}
	take_rules(s, i + 6, n, d);
	if (d->nrules == 0)
		d->malformed = true;
	return true;
}

/* ---- recording directives on the VM ------------------------------------------------ */

static void add_suppression(struct vnl_vm *vm, const char *rule, const char *reason,
			    struct vnl_loc loc)
{
	struct vnl_suppression *arr;

	if (vm->nsuppressions >= MAX_SUPPRESSIONS)
		return;
	/* the array lives in the VM's arena (model.h): copy it one longer */
	arr = arena_alloc(&vm->arena, (vm->nsuppressions + 1) * sizeof(*arr));
	if (vm->nsuppressions)
		memcpy(arr, vm->suppressions, vm->nsuppressions * sizeof(*arr));
	arr[vm->nsuppressions].rule = rule;
	arr[vm->nsuppressions].reason = reason;
	arr[vm->nsuppressions].loc = loc;
	vm->suppressions = arr;
	vm->nsuppressions++;
}

/* One decoded line; col_of maps an offset in it to a column (0: unknown). */
static void record_line(struct vnl_vm *vm, const char *s, size_t n, unsigned line,
			const size_t *col_of)
{
	struct vnl_directive d;
	const char *reason;
	size_t k;

	if (!vnl_directive_parse(s, n, &d))
		return;
	reason = d.reason.len ? arena_strndup(&vm->arena, s + d.reason.off, d.reason.len) : NULL;
	if (d.malformed) {
		/* an empty rule: VNL090 explains the syntax */
		add_suppression(vm, "", reason,
				vnl_loc_at(vm, line, col_of ? (unsigned)col_of[d.start] : 0));
		return;
	}
	for (k = 0; k < d.nrules; k++) {
		const struct vnl_span *r = &d.rules[k];
		unsigned col = col_of ? (unsigned)col_of[r->off] : 0;
		add_suppression(vm, arena_strndup(&vm->arena, s + r->off, r->len), reason,
				vnl_loc_at(vm, line, col));
	}
}

/* Percent-decode as pve_decode_text does, remembering for every decoded
 * byte the column of the '#' line it came from ('#' is column 1). */
static size_t decode_with_columns(const char *in, size_t n, char *out, size_t *col_of)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		col_of[o] = i + 2;
		if (in[i] == '%' && i + 2 < n && hex_digit_value(in[i + 1]) >= 0 && hex_digit_value(in[i + 2]) >= 0) {
			out[o++] = (char)(hex_digit_value(in[i + 1]) * 16 + hex_digit_value(in[i + 2]));
			i += 2;
		} else {
			out[o++] = in[i];
		}
	}
	col_of[o] = i + 2;
	out[o] = '\0';
	return o;
}

void vnl_suppress_read_pve_line(struct vnl_vm *vm, const char *raw, size_t n, unsigned line)
{
	char *text;
	size_t *col_of, len, start = 0;

	/* PVE caps a description at 8 KiB (research/proxmox.md 1.3): a longer
	 * line is no note anyone wrote, and is not decoded twice */
	if (!n || n > 65536)
		return;
	text = xmalloc(n + 1);
	col_of = xmalloc((n + 1) * sizeof(*col_of));
	len = decode_with_columns(raw, n, text, col_of);
	/* one '#' line is one line of the description, unless a hand-written
	 * file encodes a newline (%0A) in it */
	while (start <= len) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - text) : len;
		record_line(vm, text + start, end - start, line, col_of + start);
		start = end + 1;
	}
	free(col_of);
	free(text);
}

void vnl_suppress_read_description(struct vnl_vm *vm, const char *text, size_t n)
{
	size_t start = 0;

	while (start < n) {
		const char *nl = memchr(text + start, '\n', n - start);
		size_t end = nl ? (size_t)(nl - text) : n;
		record_line(vm, text + start, end - start, 0, NULL);
		start = end + 1;
	}
}

/* ---- what a suppression names ------------------------------------------------------- */

bool vnl_rule_suppressible(const struct vnl_rule *rule)
{
	return rule != &rule_suppression_invalid && rule != &rule_unused_suppression;
}

/* The next selector of a list ("VNL020, router-single-queue"): into sel,
 * returns where the list goes on, or NULL at its end. */
static const char *next_selector(const char *p, char *sel, size_t size)
{
	size_t n;

	p += strspn(p, ", \t");
	if (!*p)
		return NULL;
	n = strcspn(p, ", \t");
	snprintf(sel, size, "%.*s", (int)n, p);
	if (n >= size)
		sel[0] = '\0'; /* too long to be a rule: matches none */
	return p + n;
}

/* How one selector fares: does it name a rule, one that can be suppressed? */
static enum vnl_supp_problem check_selector(const char *sel)
{
	bool any = false, suppressible = false;
	size_t i;

	for (i = 0; i < vnl_rule_count && *sel; i++) {
		if (!vnl_rule_matches(vnl_rules[i], sel))
			continue;
		any = true;
		suppressible = suppressible || vnl_rule_suppressible(vnl_rules[i]);
	}
	return !any ? VNL_SUPP_NO_RULE : !suppressible ? VNL_SUPP_UNSUPPRESSIBLE : VNL_SUPP_OK;
}

enum vnl_supp_problem vnl_suppression_check(const struct vnl_suppression *s)
{
	const char *p = s->rule, *r = s->reason;
	char sel[64];

	if (!s->rule || !*s->rule || !next_selector(s->rule, sel, sizeof(sel)))
		return VNL_SUPP_MALFORMED;
	/* libvirt's rule='..' may list several, like [suppress "..."] */
	while ((p = next_selector(p, sel, sizeof(sel))) != NULL) {
		enum vnl_supp_problem why = check_selector(sel);
		if (why != VNL_SUPP_OK)
			return why;
	}
	while (r && isspace((unsigned char)*r))
		r++;
	return r && *r ? VNL_SUPP_OK : VNL_SUPP_NO_REASON;
}

bool vnl_selectors_match(const char *list, const struct vnl_rule *rule)
{
	const char *p = list;
	char sel[64];

	while (p && (p = next_selector(p, sel, sizeof(sel))) != NULL)
		if (*sel && vnl_rule_matches(rule, sel))
			return true;
	return false;
}
