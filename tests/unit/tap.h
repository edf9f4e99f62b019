/* A minimal TAP producer for the unit tests, read by automake's tap-driver. */
#ifndef VNL_TAP_H
#define VNL_TAP_H

#include <stdbool.h>

#if defined(__GNUC__)
#define TAP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TAP_PRINTF(f, a)
#endif

bool ok(bool cond, const char *fmt, ...) TAP_PRINTF(2, 3);
bool is_int(long long got, long long want, const char *fmt, ...) TAP_PRINTF(3, 4);
bool is_str(const char *got, const char *want, const char *fmt, ...) TAP_PRINTF(3, 4);
/* got contains want */
bool has_str(const char *got, const char *want, const char *fmt, ...) TAP_PRINTF(3, 4);
void diag(const char *fmt, ...) TAP_PRINTF(1, 2);
/* Print the plan and return the exit status. */
int done_testing(void);

#endif
