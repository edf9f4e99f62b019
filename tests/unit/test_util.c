#include "config.h"

#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util.h"

static void test_strbuf(void)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	is_str(strbuf_str(&sb), "", "an empty strbuf reads as \"\"");
	strbuf_adds(&sb, "net");
	strbuf_addf(&sb, "%d", 0);
	strbuf_addch(&sb, ':');
	is_str(strbuf_str(&sb), "net0:", "strbuf appends text, formats and chars");
	for (i = 0; i < 1000; i++)
		strbuf_adds(&sb, "0123456789");
	is_int((long long)sb.len, 10005, "strbuf grows past its first allocation");
	strbuf_release(&sb);
}

static void test_arena(void)
{
	struct arena a = ARENA_INIT;
	char *big = arena_alloc(&a, 100000);
	char *s = arena_strdup(&a, "vmbr0");
	char *p = arena_printf(&a, "%s/%d", "net", 3);

	ok(big != NULL && ((uintptr_t)big % _Alignof(max_align_t)) == 0,
	   "a large arena allocation is aligned");
	is_str(s, "vmbr0", "arena_strdup copies");
	is_str(p, "net/3", "arena_printf formats");
	arena_release(&a);
	ok(a.head == NULL, "arena_release empties the arena");
}

static void test_numbers(void)
{
	long long v = 0;
	ok(str_to_ll("0042", 4, false, &v) && v == 42, "leading zeros parse");
	ok(!str_to_ll("-1", 2, false, &v), "a sign is refused unless allowed");
	ok(str_to_ll("-1", 2, true, &v) && v == -1, "a sign is accepted when allowed");
	ok(!str_to_ll("4x", 2, false, &v), "trailing junk is refused");
	ok(!str_to_ll("99999999999999999999", 20, false, &v), "overflow is refused");
	ok(!str_to_ll("", 0, false, &v), "empty is refused");
}

static void test_glob(void)
{
	ok(glob_match("fw-*", "fw-opnsense-a"), "glob * matches");
	ok(!glob_match("fw-?", "fw-ab"), "glob ? matches one character");
	ok(str_has_suffix("101.conf", ".conf"), "suffix check");
	ok(!str_has_suffix("conf", ".conf"), "suffix longer than string");
}

int main(void)
{
	test_strbuf();
	test_arena();
	test_numbers();
	test_glob();
	return done_testing();
}
