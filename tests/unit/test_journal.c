/* The journal of a --fix run (src/write/journal.c) and the stale temp
 * file names (src/write/stale_tmp.c): written and read back, an
 * interrupted run settled by the files' content, hostile journal text,
 * the temp name pattern and the PID verdict. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "write/backup.h"
#include "write/digest.h"
#include "write/journal.h"
#include "write/stale_tmp.h"

static char dir[256];

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void sha(const char *text, char *out)
{
	vnl_sha1_hex(text, strlen(text), out);
}

/* A VM of a file, as a writer records it. */
static void begin_file(struct wr_journal *j, const char *id, const char *origin,
		       const char *pre, const char *post)
{
	char a[VNL_SHA1_HEX_LEN + 1], b[VNL_SHA1_HEX_LEN + 1];
	struct backup_info bi;
	struct vnl_err err;

	backup_info_init(&bi);
	sha(pre, a);
	sha(post, b);
	bi.vm_id = xstrdup(id);
	bi.source = xstrdup("pve-file");
	bi.origin = xstrdup(origin);
	bi.meta_path = xasprintf("%s/backup-%s.meta.json", dir, id);
	bi.pre_sha1 = xstrdup(a);
	bi.post_sha1 = xstrdup(b);
	ok(wr_journal_begin(j, &bi, "cold-start", &err) == 0, "begin %s", id);
	backup_info_release(&bi);
}

static void test_round_trip(void)
{
	struct vnl_err err;
	struct wr_journal *j = wr_journal_open(dir, 3, &err);
	struct journal_run *runs;
	struct strbuf sb = STRBUF_INIT;
	char *f1 = xasprintf("%s/101.conf", dir), *f2 = xasprintf("%s/102.conf", dir);
	char *f3 = xasprintf("%s/103.conf", dir), *b1 = xasprintf("%s/backup-101.meta.json", dir);
	size_t n, bad;

	if (!ok(j != NULL, "a journal opens in %s", dir)) {
		diag("%s", err.msg);
		return;
	}
	begin_file(j, "101", f1, "old1\n", "new1\n");
	begin_file(j, "102", f2, "old2\n", "new2\n");
	begin_file(j, "103", f3, "old3\n", "new3\n");
	ok(wr_journal_changed(j, "VM 101", f1, b1, "cold-start", &err) == 0, "changed 101");
	put(f1, "new1\n");
	put(f2, "new2\n"); /* renamed, then killed before its record */
	put(f3, "old3\n"); /* killed before the rename */
	wr_journal_abandon(j); /* no "finished": interrupted */
	ok(journal_list(dir, &runs, &n, &bad, &err) == 0 && n == 1 && bad == 0, "listed");
	if (n != 1)
		return;
	ok(journal_interrupted(&runs[0]), "an unfinished run is interrupted");
	is_int((long long)runs[0].n, 3, "three VMs");
	is_int(runs[0].planned, 3, "three planned");
	is_int(journal_vm_state(&runs[0].vms[0]), JOURNAL_CHANGED, "101 by its record");
	is_int(journal_vm_state(&runs[0].vms[1]), JOURNAL_CHANGED, "102 by its content");
	is_int(journal_vm_state(&runs[0].vms[2]), JOURNAL_NOT, "103 by its content");
	put(f3, "someone else\n");
	is_int(journal_vm_state(&runs[0].vms[2]), JOURNAL_IN_DOUBT, "a file changed since: in doubt");
	put(f3, "old3\n");
	journal_describe(&runs[0], &sb);
	has_str(strbuf_str(&sb), "was interrupted: 2 VMs changed, 1 not", "the report counts");
	has_str(strbuf_str(&sb), "these need a cold start (shut down, then start): VM 101, VM 102\n",
		"and names who needs a cold start");
	ok(wr_journal_acknowledge(runs[0].path, "test", &err) == 0, "acknowledged");
	journal_list_free(runs, n);
	journal_list(dir, &runs, &n, &bad, &err);
	ok(n == 1 && !journal_interrupted(&runs[0]) && !strcmp(runs[0].acknowledged, "test"),
	   "and no longer interrupted");
	journal_list_free(runs, n);
	strbuf_release(&sb);
	free(f1), free(f2), free(f3), free(b1);
}

static void parse_ok(const char *text, size_t nvms, bool finished, const char *what)
{
	struct journal_run r;
	struct vnl_err err;

	if (!ok(journal_parse("j", text, strlen(text), &r, &err) == 0, "%s: parses", what)) {
		diag("%s", err.msg);
		return;
	}
	is_int((long long)r.n, (long long)nvms, "%s: VMs", what);
	ok(r.finished == finished, "%s: finished %d", what, finished);
	journal_run_release(&r);
}

static void parse_bad(const char *text, const char *what)
{
	struct journal_run r;
	struct vnl_err err;
	int rc = journal_parse("x.journal", text, strlen(text), &r, &err);

	ok(rc < 0 && !strncmp(err.msg, "x.journal: ", 11), "%s: refused, naming the file", what);
}

static void test_hostile(void)
{
	const char *head = "{\"journal\":1,\"run\":\"R\",\"started\":\"T\",\"planned\":2}\n";
	char *t;

	parse_bad("", "empty");
	parse_bad("{\"journal\":2,\"run\":\"R\"}\n", "another version");
	parse_bad("[1]\n", "not an object");
	parse_bad("{\"journal\":1,\"run\":\"R\"", "a header cut short");
	parse_ok(head, 0, false, "a header alone");
	t = xasprintf("%s{\"event\":\"begin\",\"origin\":\"/a\",\"backup\":\"b\"}\n{\"event\":\"fin", head);
	parse_ok(t, 1, false, "a last line cut short");
	free(t);
	t = xasprintf("%snot json\n{\"event\":\"begin\"}\n{\"event\":7}\n[]\n"
		      "{\"event\":\"changed\",\"origin\":\"/a\"}\n{\"event\":\"finished\"}\n", head);
	parse_ok(t, 1, true, "junk lines, a begin without origin");
	free(t);
	t = xasprintf("%s{\"event\":\"begin\",\"origin\":\"/a\",\"origin\":\"/b\"}\n", head);
	parse_ok(t, 0, false, "duplicate keys");
	free(t);
}

static void test_tmp_names(void)
{
	long pid = 0;
	char *path, *live;

	ok(wr_tmp_name_parse(".1071.conf.vnl-tmp.15422.228", &pid) && pid == 15422, "the pattern");
	ok(wr_tmp_name_parse(".a.vnl-tmp.b.vnl-tmp.7.0", &pid) && pid == 7, "the last tag counts");
	ok(!wr_tmp_name_parse("1071.conf.vnl-tmp.15422.228", &pid), "not hidden");
	ok(!wr_tmp_name_parse(".vnl-tmp.15422.228", &pid), "no name");
	ok(!wr_tmp_name_parse(".1071.conf.vnl-tmp.15422", &pid), "no counter");
	ok(!wr_tmp_name_parse(".1071.conf.vnl-tmp.x.1", &pid), "no PID");
	ok(!wr_tmp_name_parse(".1071.conf.vnl-tmp.0.1", &pid), "PID 0");
	ok(!wr_tmp_name_parse(".1071.conf.vnl-tmp.99999999999.1", &pid), "a PID too large");
	ok(!wr_tmp_name_parse(".1071.conf.vnl-tmp.1.1.bak", &pid), "more after the counter");
	ok(!wr_tmp_name_parse(".1071.conf.tmp.15422", &pid), "PVE's own temp name");
	live = xasprintf("%s/.x.conf.vnl-tmp.%ld.0", dir, (long)getpid());
	put(live, "x");
	is_int(wr_tmp_judge(live, strrchr(live, '/') + 1, &pid), WR_TMP_ALIVE, "our own PID runs");
	struct vnl_err err;
	is_int(wr_tmp_remove(live, &err), 1, "so it is not removed");
	path = xasprintf("%s/.x.conf.vnl-tmp.1.0", dir);
	put(path, "x");
	is_int(wr_tmp_judge(path, strrchr(path, '/') + 1, &pid), WR_TMP_ALIVE,
	       "PID 1 runs (init), as another user or not");
	free(path);
	free(live);
}

int main(void)
{
	char cmd[300];

	snprintf(dir, sizeof(dir), "%s/vnl-journal.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	test_round_trip();
	test_hostile();
	test_tmp_names();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
	return done_testing();
}
