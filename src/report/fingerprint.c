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

/* The identities of the current VM are an open-addressing hash table
 * (cap a power of two, count 0 = a free slot): a VM with thousands of
 * findings (10,000 <interface> elements) costs linear time, not quadratic.
 * The hex SHA-256 is uniform already; its first 16 digits are the hash. */
static size_t slot_of(const struct vnl_fp_tracker *t, const char *base)
{
	size_t h = 0, i;

	for (i = 0; i < 16; i++)
		h = h * 16 + (size_t)(base[i] <= '9' ? base[i] - '0' : base[i] - 'a' + 10);
	h &= t->cap - 1;
	while (t->seen[h].count && strcmp(t->seen[h].base, base))
		h = (h + 1) & (t->cap - 1);
	return h;
}

static void grow_seen(struct vnl_fp_tracker *t)
{
	struct vnl_fp_seen *old = t->seen;
	size_t oldcap = t->cap, i;

	t->cap = oldcap ? oldcap * 2 : 64;
	t->seen = xcalloc(t->cap, sizeof(*t->seen));
	for (i = 0; i < oldcap; i++)
		if (old[i].count)
			t->seen[slot_of(t, old[i].base)] = old[i];
	free(old);
}

const char *vnl_fp_tracker_add(struct vnl_fp_tracker *t, const struct vnl_finding *f)
{
	char base[VNL_FP_SIZE];
	struct vnl_fp_seen *s;

	vnl_fingerprint(f, 1, base);
	if (2 * (t->nseen + 1) > t->cap)
		grow_seen(t);
	s = &t->seen[slot_of(t, base)];
	if (!s->count) {
		memcpy(s->base, base, sizeof(base));
		t->nseen++;
	}
	s->count++;
	if (s->count == 1)
		memcpy(t->current, base, sizeof(base));
	else
		vnl_fingerprint(f, s->count, t->current);
	t->last = f;
	return t->current;
}

void vnl_fp_tracker_vm_done(struct vnl_fp_tracker *t)
{
	/* a big table goes (the next VM is likely small), a small one is cleared */
	if (t->cap > 256) {
		free(t->seen);
		t->seen = NULL;
		t->cap = 0;
	} else if (t->nseen) {
		memset(t->seen, 0, t->cap * sizeof(*t->seen));
	}
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
