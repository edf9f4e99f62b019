#include "config.h"

#include "report/fingerprint.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/escape.h"
#include "rule.h"

struct vnl_fp_seen {
	char base[VNL_FP_SIZE]; /* the first-occurrence fingerprint */
	unsigned count;
};

static void add_field(struct strbuf *sb, const char *s)
{
	if (s)
		strbuf_adds(sb, s);
	strbuf_addch(sb, '\0');
}

static void to_hex(const unsigned char *md, unsigned n, char out[VNL_FP_SIZE])
{
	static const char digits[] = "0123456789abcdef";
	unsigned i;

	for (i = 0; i < n && i < VNL_FP_HEX_LEN / 2; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 0xf];
	}
	out[2 * i] = '\0';
}

void vnl_fingerprint(const struct vnl_finding *f, unsigned occurrence, char out[VNL_FP_SIZE])
{
	struct strbuf sb = STRBUF_INIT;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	char *source = vnl_origin_normalise(f->origin);

	add_field(&sb, f->rule->id);
	add_field(&sb, source);
	add_field(&sb, f->vm_id);
	add_field(&sb, f->nic_key);
	add_field(&sb, f->value);
	if (occurrence > 1)
		strbuf_addf(&sb, "%u%c", occurrence, '\0');
	/* EVP_Digest fails only when OpenSSL cannot allocate; like xmalloc,
	 * there is nothing useful left to do then. */
	if (!EVP_Digest(sb.buf, sb.len, md, &mdlen, EVP_sha256(), NULL)) {
		fputs("vmnetlint: SHA-256 failed (out of memory?)\n", stderr);
		abort();
	}
	to_hex(md, mdlen, out);
	strbuf_release(&sb);
	free(source);
}

const char *vnl_fp_tracker_add(struct vnl_fp_tracker *t, const struct vnl_finding *f)
{
	char base[VNL_FP_SIZE];
	size_t i;

	vnl_fingerprint(f, 1, base);
	for (i = 0; i < t->nseen; i++)
		if (!strcmp(t->seen[i].base, base))
			break;
	if (i == t->nseen) {
		vnl_grow(&t->seen, &t->cap, t->nseen + 1, sizeof(*t->seen));
		memcpy(t->seen[i].base, base, sizeof(base));
		t->seen[i].count = 0;
		t->nseen++;
	}
	t->seen[i].count++;
	if (t->seen[i].count == 1)
		memcpy(t->current, base, sizeof(base));
	else
		vnl_fingerprint(f, t->seen[i].count, t->current);
	t->last = f;
	return t->current;
}

void vnl_fp_tracker_vm_done(struct vnl_fp_tracker *t)
{
	t->nseen = 0;
	t->last = NULL;
}

void vnl_fp_tracker_release(struct vnl_fp_tracker *t)
{
	free(t->seen);
	memset(t, 0, sizeof(*t));
}

const char *vnl_fp_of(const struct vnl_fp_tracker *t, const struct vnl_finding *f,
		      char buf[VNL_FP_SIZE])
{
	if (t && t->last == f)
		return t->current;
	vnl_fingerprint(f, 1, buf);
	return buf;
}
