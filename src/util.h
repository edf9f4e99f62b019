/* Small helpers every layer uses: checked allocation, a growable string,
 * an arena for the many small strings a VM owns, and the error value that
 * library code returns instead of printing. */
#ifndef VNL_UTIL_H
#define VNL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#if defined(__GNUC__)
#define VNL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define VNL_PRINTF(f, a)
#endif

#define VNL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Out of memory is the one condition library code does not return:
 * there is nothing useful a linter can do without memory. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) VNL_PRINTF(1, 2);

/* Grow *items (of *cap elements of size elem) so that it holds need elements. */
void vnl_grow(void *items_ptr, size_t *cap, size_t need, size_t elem);

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};
#define STRBUF_INIT { NULL, 0, 0 }
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) VNL_PRINTF(2, 3);
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap) VNL_PRINTF(2, 0);
void strbuf_reset(struct strbuf *sb);
/* Hand the string over to the caller; sb is empty afterwards. */
char *strbuf_detach(struct strbuf *sb);
/* Replace sb's contents with everything fd has left to read (EINTR
 * retried), NUL-terminated. 0, or -1 with errno: a read error, or EFBIG
 * once more than max bytes came (the file grew while being read). */
int strbuf_read_fd(struct strbuf *sb, int fd, size_t max);
void strbuf_release(struct strbuf *sb);
/* Never NULL, even for an empty buffer. */
const char *strbuf_str(const struct strbuf *sb);

/* Bump allocator: everything a VM owns lives here and goes with one free. */
struct arena_block;
struct arena {
	struct arena_block *head;
};
#define ARENA_INIT { NULL }
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) VNL_PRINTF(2, 3);
void arena_release(struct arena *a);

/* The error value of library code: a message that names input and place. */
struct vnl_err {
	char msg[1024];
};
int vnl_fail(struct vnl_err *err, const char *fmt, ...) VNL_PRINTF(2, 3);

/* Text helpers. */
bool str_eq_nocase(const char *a, const char *b);
bool str_has_suffix(const char *s, const char *suffix);
bool str_is_digits(const char *s, size_t n);
/* The value of a hex digit (either case), -1 for any other character. */
int hex_digit_value(char c);
/* Parse a decimal integer that must fill [s, s+n); optional sign when allow_sign. */
bool str_to_ll(const char *s, size_t n, bool allow_sign, long long *out);
/* Shell-style glob match (*, ?, [...]). */
bool glob_match(const char *pattern, const char *s);

#endif
