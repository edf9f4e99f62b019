#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tests_run;
static int tests_failed;

TAP_PRINTF(2, 0)
static bool report(bool cond, const char *fmt, va_list ap)
{
	tests_run++;
	if (!cond)
		tests_failed++;
	printf("%s %d - ", cond ? "ok" : "not ok", tests_run);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

bool ok(bool cond, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(cond, fmt, ap);
	va_end(ap);
	return cond;
}

bool is_int(long long got, long long want, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(got == want, fmt, ap);
	va_end(ap);
	if (got != want)
		printf("#   got %lld, want %lld\n", got, want);
	return got == want;
}

bool is_str(const char *got, const char *want, const char *fmt, ...)
{
	bool same = (!got && !want) || (got && want && !strcmp(got, want));
	va_list ap;
	va_start(ap, fmt);
	report(same, fmt, ap);
	va_end(ap);
	if (!same)
		printf("#   got '%s', want '%s'\n", got ? got : "(null)", want ? want : "(null)");
	return same;
}

bool has_str(const char *got, const char *want, const char *fmt, ...)
{
	bool found = got && want && strstr(got, want);
	va_list ap;
	va_start(ap, fmt);
	report(found, fmt, ap);
	va_end(ap);
	if (!found)
		printf("#   '%s' does not contain '%s'\n", got ? got : "(null)", want);
	return found;
}

void diag(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("# ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
}

int done_testing(void)
{
	printf("1..%d\n", tests_run);
	return tests_failed ? 1 : 0;
}
