/* Fingerprints: stable, documented, unique within a VM. */
#include "config.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "report/fingerprint.h"
#include "rule.h"
#include "tap.h"

static const struct vnl_rule fake_rule = { .id = "VNL001", .name = "pfsync-multiqueue" };

static struct vnl_finding make(const char *origin, unsigned line, const char *vm,
			       const char *nic, const char *value)
{
	struct vnl_finding f;
	memset(&f, 0, sizeof(f));
	f.rule = &fake_rule;
	f.origin = (char *)origin;
	f.line = line;
	f.col = 45;
	f.vm_id = (char *)vm;
	f.nic_key = (char *)nic;
	f.value = (char *)value;
	f.message = (char *)"a message";
	return f;
}

/* The documented formula, computed independently of fingerprint.c. */
static void reference(const char *fields, size_t n, char out[VNL_FP_SIZE])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0, i;

	EVP_Digest(fields, n, md, &len, EVP_sha256(), NULL);
	for (i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void test_formula(void)
{
	struct vnl_finding f = make("./examples//101.conf", 10, "101", "net0", "queues=4");
	static const char fields[] = "VNL001\0examples/101.conf\0" "101\0net0\0queues=4";
	static const char empty[] = "VNL001\0examples/101.conf\0" "101\0\0";
	char got[VNL_FP_SIZE], want[VNL_FP_SIZE];

	vnl_fingerprint(&f, 1, got);
	reference(fields, sizeof(fields), want);
	is_str(got, want, "SHA-256 over rule, normalised origin, VM, NIC, value, NUL-terminated");
	is_int((long long)strlen(got), VNL_FP_HEX_LEN, "64 hex digits");
	f.nic_key = NULL;
	f.value = NULL;
	vnl_fingerprint(&f, 1, got);
	reference(empty, sizeof(empty), want);
	is_str(got, want, "a missing NIC and value are empty fields");
}

static void test_stability(void)
{
	struct vnl_finding a = make("examples/101.conf", 10, "101", "net0", "queues=4");
	struct vnl_finding b = make("./examples/101.conf", 17, "101", "net0", "queues=4");
	char fa[VNL_FP_SIZE], fb[VNL_FP_SIZE];

	b.col = 3;
	b.message = (char *)"another message";
	vnl_fingerprint(&a, 1, fa);
	vnl_fingerprint(&b, 1, fb);
	is_str(fb, fa, "line, column, message and ./ do not change the fingerprint");
	b.nic_key = (char *)"net1";
	vnl_fingerprint(&b, 1, fb);
	ok(strcmp(fa, fb) != 0, "another NIC changes it");
	b.nic_key = (char *)"net0";
	b.value = (char *)"queues=8";
	vnl_fingerprint(&b, 1, fb);
	ok(strcmp(fa, fb) != 0, "another offending value changes it");
	b.value = (char *)"queues=4";
	b.vm_id = (char *)"102";
	vnl_fingerprint(&b, 1, fb);
	ok(strcmp(fa, fb) != 0, "another VM changes it");
	vnl_fingerprint(&a, 2, fb);
	ok(strcmp(fa, fb) != 0, "a second occurrence differs from the first");
	vnl_fingerprint(&a, 0, fb);
	is_str(fb, fa, "occurrence 0 counts as the first");
}

static void test_tracker(void)
{
	struct vnl_fp_tracker t;
	struct vnl_finding a = make("x.conf", 3, "101", NULL, NULL);
	struct vnl_finding b = make("x.conf", 9, "101", NULL, NULL);
	struct vnl_finding c = make("x.conf", 9, "101", "net1", NULL);
	char first[VNL_FP_SIZE], second[VNL_FP_SIZE], buf[VNL_FP_SIZE];

	memset(&t, 0, sizeof(t));
	snprintf(first, sizeof(first), "%s", vnl_fp_tracker_add(&t, &a));
	vnl_fingerprint(&a, 1, buf);
	is_str(first, buf, "the first of an identity gets the plain fingerprint");
	snprintf(second, sizeof(second), "%s", vnl_fp_tracker_add(&t, &b));
	vnl_fingerprint(&b, 2, buf);
	is_str(second, buf, "the second of the same identity in a VM is numbered 2");
	is_str(vnl_fp_of(&t, &b, buf), second, "a reporter reads the tracker's fingerprint");
	vnl_fingerprint(&a, 1, buf);
	is_str(vnl_fp_of(&t, &a, buf), first, "a finding the tracker did not see last is computed");
	vnl_fp_tracker_add(&t, &c);
	vnl_fingerprint(&c, 1, buf);
	is_str(t.current, buf, "a different identity starts at 1");
	vnl_fp_tracker_vm_done(&t);
	is_str(vnl_fp_tracker_add(&t, &b), first, "after vm_done numbering starts again");
	is_str(vnl_fp_of(NULL, &a, buf), first, "no tracker: the first-occurrence fingerprint");
	vnl_fp_tracker_release(&t);
}

int main(void)
{
	test_formula();
	test_stability();
	test_tracker();
	return done_testing();
}
