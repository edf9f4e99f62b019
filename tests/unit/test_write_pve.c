/* Writing Proxmox configs (src/write/pve_text.c, file_fix.c, pve_file.c,
 * backup.c): netN values keep their order and MAC, every other byte of the
 * file stays, refusals leave the file alone, backups restore. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "write/backup.h"
#include "write/digest.h"
#include "write/file_fix.h"
#include "write/fileio.h"
#include "write/pve_text.h"

static struct vnl_edit E(const char *nic, enum vnl_edit_op op, enum vnl_edit_prop prop,
			 const char *value)
{
	struct vnl_edit e = { (char *)nic, op, prop, VNL_OFF_CSUM, (char *)value };
	return e;
}

#define RM(nic, prop) E(nic, VNL_EDIT_REMOVE, prop, NULL)
#define SET(nic, prop, v) E(nic, VNL_EDIT_SET, prop, v)

static void net(const char *value, struct vnl_edit e, const char *want, const char *what)
{
	struct strbuf out = STRBUF_INIT;
	struct vnl_err err;
	int rc = pve_net_rewrite("net0", value, &e, 1, &out, &err);

	if (want) {
		if (!is_int(rc, 0, "%s: accepted", what))
			diag("%s", err.msg);
		is_str(strbuf_str(&out), want, "%s", what);
	} else {
		is_int(rc, -1, "%s: refused (%s)", what, rc < 0 ? err.msg : "");
	}
	strbuf_release(&out);
}

static void test_net_values(void)
{
	const char *mac = "virtio=BC:24:11:AA:BB:CC";
	char v[256], w[256];

	snprintf(v, sizeof(v), "%s,bridge=vmbr0,queues=4,tag=20", mac);
	snprintf(w, sizeof(w), "%s,bridge=vmbr0,tag=20", mac);
	net(v, RM("net0", VNL_PROP_QUEUES), w, "remove queues in the middle: with its comma");
	snprintf(v, sizeof(v), "%s,bridge=vmbr0,queues=4", mac);
	snprintf(w, sizeof(w), "%s,bridge=vmbr0", mac);
	net(v, RM("net0", VNL_PROP_QUEUES), w, "remove queues at the end");
	snprintf(v, sizeof(v), "queues=4,%s,bridge=vmbr0", mac);
	snprintf(w, sizeof(w), "%s,bridge=vmbr0", mac);
	net(v, RM("net0", VNL_PROP_QUEUES), w, "remove queues written first");
	snprintf(v, sizeof(v), "%s,bridge=vmbr0,queues=4,", mac);
	snprintf(w, sizeof(w), "%s,bridge=vmbr0,", mac);
	net(v, RM("net0", VNL_PROP_QUEUES), w, "a trailing comma stays");
	snprintf(v, sizeof(v), "%s,bridge=vmbr0", mac);
	net(v, RM("net0", VNL_PROP_QUEUES), v, "removing what is not there changes nothing");
	snprintf(v, sizeof(v), "%s,bridge=vmbr0,queues=8", mac);
	snprintf(w, sizeof(w), "%s,bridge=vmbr0,queues=2", mac);
	net(v, SET("net0", VNL_PROP_QUEUES, "2"), w, "set a key that is there: in place");
	snprintf(v, sizeof(v), "%s,bridge=vmbr0,firewall=1,rate=10,tag=20", mac);
	snprintf(w, sizeof(w), "%s,bridge=vmbr0,firewall=1,queues=4,rate=10,tag=20", mac);
	net(v, SET("net0", VNL_PROP_QUEUES, "4"), w, "insert queues where PVE prints it (before rate)");
	snprintf(w, sizeof(w), "%s,bridge=vmbr0,firewall=1,mtu=1450,rate=10,tag=20", mac);
	net(v, SET("net0", VNL_PROP_MTU, "1450"), w, "insert mtu before rate");
	snprintf(v, sizeof(v), "%s,bridge=vmbr0", mac);
	snprintf(w, sizeof(w), "%s,bridge=vmbr0,host-tunnel=0", mac);
	net(v, SET("net0", VNL_PROP_HOST_TUNNEL, "0"), w, "insert at the end when nothing sorts after");
	snprintf(v, sizeof(v), "%s,tag=20,bridge=vmbr0", mac);
	snprintf(w, sizeof(w), "%s,queues=2,tag=20,bridge=vmbr0", mac);
	net(v, SET("net0", VNL_PROP_QUEUES, "2"), w, "an unsorted value: before the first key after it");
	snprintf(v, sizeof(v), "%s,bridge=vmbr0,host-tunnel=1", mac);
	snprintf(w, sizeof(w), "%s,bridge=vmbr0,host-tunnel=0", mac);
	net(v, SET("net0", VNL_PROP_HOST_TUNNEL, "0"), w, "host-tunnel=1 -> 0");
	net("virtio,bridge=vmbr0", SET("net0", VNL_PROP_MTU, "1450"), "virtio,bridge=vmbr0,mtu=1450",
	    "a NIC without MAC stays without one (the file keeps it that way)");
	snprintf(v, sizeof(v), "%s,bridge=vmbr0", mac);
	net(v, SET("net0", VNL_PROP_MTU, "1450,queues=9"), NULL, "a value with a comma");
	net(v, SET("net0", VNL_PROP_GUEST_OFFLOAD, "off"), NULL, "an offload is not a PVE setting");
	net(v, SET("net0", VNL_PROP_QUEUES, "99"), NULL, "queues=99 would be refused by PVE");
	net("virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,queue=4", RM("net0", VNL_PROP_QUEUES), NULL,
	    "a value PVE refuses is not edited");
}

/* ---- whole configs --------------------------------------------------------------- */

static void conf(const char *text, struct vnl_edit *e, size_t n, const char *want,
		 const char *what)
{
	struct strbuf out = STRBUF_INIT;
	struct vnl_err err;
	int rc = pve_conf_rewrite(text, strlen(text), e, n, &out, &err);

	if (want) {
		if (!is_int(rc, 0, "%s: accepted", what))
			diag("%s", err.msg);
		is_str(strbuf_str(&out), want, "%s", what);
	} else {
		is_int(rc, -1, "%s: refused (%s)", what, rc < 0 ? err.msg : "");
	}
	strbuf_release(&out);
}

static void test_configs(void)
{
	struct vnl_edit rm0 = RM("net0", VNL_PROP_QUEUES), rm1 = RM("net1", VNL_PROP_QUEUES);
	struct vnl_edit both[2] = { RM("net0", VNL_PROP_QUEUES), SET("net1", VNL_PROP_MTU, "1450") };

	conf("#notes%3A keep\n#\ncores: 2\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\r\n"
	     "net1:  e1000=BC:24:11:00:00:02,bridge=vmbr1\r\nname: fw\n\n[PENDING]\n"
	     "net1: e1000=BC:24:11:00:00:02,bridge=vmbr2\n\n[snap1]\n"
	     "net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n",
	     &rm0, 1,
	     "#notes%3A keep\n#\ncores: 2\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0\r\n"
	     "net1:  e1000=BC:24:11:00:00:02,bridge=vmbr1\r\nname: fw\n\n[PENDING]\n"
	     "net1: e1000=BC:24:11:00:00:02,bridge=vmbr2\n\n[snap1]\n"
	     "net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n",
	     "main net0 only: CR, description, [PENDING] and the snapshot stay");
	conf("net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\nnet1: virtio=BC:24:11:00:00:02",
	     both, 2,
	     "net0: virtio=BC:24:11:00:00:01,bridge=vmbr0\nnet1: virtio=BC:24:11:00:00:02,mtu=1450",
	     "two NICs; no newline at the end stays so");
	conf("net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4  \n", &rm0, 1,
	     "net0: virtio=BC:24:11:00:00:01,bridge=vmbr0  \n", "trailing blanks stay");
	conf("lock: backup\nnet0: virtio=BC:24:11:00:00:01,queues=4\n", &rm0, 1, NULL,
	     "a VM with lock: is not edited");
	conf("net1: virtio=BC:24:11:00:00:01,queues=4\n\n[PENDING]\n"
	     "net1: virtio=BC:24:11:00:00:01,queues=8\n", &rm1, 1, NULL,
	     "a NIC with a pending change is not edited");
	conf("net0: virtio=BC:24:11:00:00:01,queues=4\n", &rm1, 1, NULL, "a NIC that is not there");
	conf("net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n"
	     "net0: virtio=BC:24:11:00:00:09,bridge=vmbr0,queues=4\n", &rm0, 1,
	     "net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n"
	     "net0: virtio=BC:24:11:00:00:09,bridge=vmbr0\n",
	     "a NIC defined twice: the line PVE uses (the later one)");
}

/* ---- files ---------------------------------------------------------------------------- */

static char dir[256], bk_dir[300], lk_dir[300];

static char *path_in(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static char *slurp(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	struct vnl_err err;
	if (wr_read_file(path, &sb, NULL, &err) != 0)
		return NULL;
	return strbuf_detach(&sb);
}

static const char *conf101 = "#fw\nname: fw\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n";
static const char *fixed101 = "#fw\nname: fw\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n";

static void setup_fix(struct file_fix *f, struct vnl_edit *e, const char *path, char *sha)
{
	memset(f, 0, sizeof(*f));
	vnl_sha1_hex(conf101, strlen(conf101), sha);
	f->kind = VNL_SRC_PVE_FILE;
	f->path = path;
	f->digest = sha;
	f->vm_id = "101";
	f->edits = e;
	f->nedits = 1;
	snprintf(bk_dir, sizeof(bk_dir), "%s/backups", dir);
	snprintf(lk_dir, sizeof(lk_dir), "%s/locks", dir);
	f->backup_dir = bk_dir;
	f->lock_dir = lk_dir;
}

static void test_file_fix(void)
{
	struct vnl_edit e = RM("net0", VNL_PROP_QUEUES);
	char *conf = path_in("101.conf"), *text, sha[41];
	struct file_fix f;
	struct file_fix_out o;
	struct backup_info b;
	struct strbuf data = STRBUF_INIT;
	struct vnl_err err;
	struct stat st;
	char *note = NULL;

	write_file(conf, conf101, 0640);
	setup_fix(&f, &e, conf, sha);
	memset(&o, 0, sizeof(o));
	is_int(file_fix_preview(&f, &o, &err), 0, "preview");
	is_str(strbuf_str(&o.new_text), fixed101, "the preview's new text");
	file_fix_out_release(&o);
	text = slurp(conf);
	is_str(text, conf101, "a preview writes nothing");
	free(text);

	memset(&o, 0, sizeof(o));
	if (!is_int(file_fix_apply(&f, &o, &err), 0, "apply"))
		diag("%s", err.msg);
	text = slurp(conf);
	is_str(text, fixed101, "the file is fixed");
	free(text);
	stat(conf, &st);
	is_int(st.st_mode & 07777, 0640, "its mode is kept");
	ok(o.backup != NULL, "a backup was made: %s", o.backup ? o.backup : "");
	if (o.backup && backup_load(o.backup, NULL, &b, &data, &err) == 0) {
		is_str(strbuf_str(&data), conf101, "the backup holds the old text");
		is_str(b.source, "pve-file", "its source");
		ok(b.origin[0] == '/', "its origin is absolute");
		is_str(b.vm_id, "101", "its VM");
		is_int(b.applied, -1, "applied is left to the hashes (one metadata write)");
		ok(b.post_sha1 && strlen(b.post_sha1) == 40, "with the post-fix SHA-1");
		stat(b.data_path, &st);
		is_int(st.st_mode & 0777, 0600, "backups are 0600");
		is_str(file_backup_state(&b), "restorable", "listed as restorable");
		is_int(file_restore(&b, data.buf, data.len, false, f.lock_dir, f.backup_dir, &note,
				    &err), RESTORE_DONE, "restore");
		text = slurp(conf);
		is_str(text, conf101, "restored byte for byte");
		free(text);
		is_int(file_restore(&b, data.buf, data.len, false, f.lock_dir, f.backup_dir, &note,
				    &err), RESTORE_ALREADY, "a second restore has nothing to do");
		write_file(conf, "name: changed\n", 0640);
		is_int(file_restore(&b, data.buf, data.len, false, f.lock_dir, f.backup_dir, &note,
				    &err), RESTORE_REFUSED, "a config changed after the fix is not restored");
		is_int(file_restore(&b, data.buf, data.len, true, f.lock_dir, f.backup_dir, &note,
				    &err), RESTORE_DONE, "... unless forced");
		ok(note && strstr(note, ".meta.json"), "and the overridden content is kept: %s",
		   note ? note : "");
		free(note);
		backup_info_release(&b);
	}
	strbuf_release(&data);
	file_fix_out_release(&o);

	write_file(conf, "name: other\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n", 0640);
	memset(&o, 0, sizeof(o));
	is_int(file_fix_apply(&f, &o, &err), -1, "a file changed since the scan is refused");
	has_str(err.msg, "changed since the scan", "with the reason");
	file_fix_out_release(&o);
	free(conf);
}

static void test_refusals(void)
{
	struct vnl_edit e = RM("net0", VNL_PROP_QUEUES);
	char *conf = path_in("102.conf"), *link2 = path_in("102-link.conf"), *root, *own, sha[41];
	char host[256], *text;
	struct file_fix f;
	struct file_fix_out o;
	struct vnl_err err;

	write_file(conf, conf101, 0644);
	if (link(conf, link2) == 0) {
		setup_fix(&f, &e, conf, sha);
		memset(&o, 0, sizeof(o));
		is_int(file_fix_apply(&f, &o, &err), -1, "a file with two hard links is refused");
		file_fix_out_release(&o);
		unlink(link2);
	}
	/* pmxcfs: only this node's VMs */
	gethostname(host, sizeof(host));
	host[strcspn(host, ".")] = '\0';
	root = path_in("pve");
	setenv("VMNETLINT_TEST_PMXCFS_ROOT", root, 1);
	own = xasprintf("%s/nodes/%s/qemu-server", root, host);
	wr_mkdirs(own, 0755, &err);
	free(own);
	own = path_in("pve/nodes/othernode/qemu-server");
	wr_mkdirs(own, 0755, &err);
	free(conf);
	conf = xasprintf("%s/101.conf", own);
	write_file(conf, conf101, 0640);
	setup_fix(&f, &e, conf, sha);
	memset(&o, 0, sizeof(o));
	is_int(file_fix_apply(&f, &o, &err), -1, "inside pmxcfs, another node's VM is refused");
	has_str(err.msg, "another node", "with the reason");
	file_fix_out_release(&o);
	free(conf);
	conf = xasprintf("%s/nodes/%s/qemu-server/101.conf", root, host);
	write_file(conf, conf101, 0640);
	setup_fix(&f, &e, conf, sha);
	memset(&o, 0, sizeof(o));
	is_int(file_fix_apply(&f, &o, &err), 0, "this node's VM is written");
	text = slurp(conf);
	is_str(text, fixed101, "and fixed");
	free(text);
	file_fix_out_release(&o);
	unsetenv("VMNETLINT_TEST_PMXCFS_ROOT");
	free(own);
	free(root);
	free(conf);
	free(link2);
}

static void test_full_disk(void)
{
	struct vnl_edit e = RM("net0", VNL_PROP_QUEUES);
	char *conf = path_in("103.conf"), *text, sha[41];
	struct file_fix f;
	struct file_fix_out o;
	struct vnl_err err;

	struct strbuf big = STRBUF_INIT;
	char *tmp = xasprintf("ls -a '%s' | grep -q vnl-tmp", dir);
	int i;

	/* 6 KB of notes: the backup (6 KB + its metadata) fits under the
	 * limit, the new config after it does not */
	for (i = 0; i < 100; i++)
		strbuf_addf(&big, "#notes line %03d: %s\n", i, "0123456789012345678901234567890123456789");
	strbuf_adds(&big, "net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n");
	write_file(conf, big.buf, 0644);
	setup_fix(&f, &e, conf, sha);
	vnl_sha1_hex(big.buf, big.len, sha);
	setenv("VMNETLINT_TEST_WRITE_LIMIT", "9000", 1);
	memset(&o, 0, sizeof(o));
	is_int(file_fix_apply(&f, &o, &err), -1, "a full disk fails");
	has_str(err.msg, "No space left", "with the reason: %s", err.msg);
	setenv("VMNETLINT_TEST_WRITE_LIMIT", "10", 1);
	is_int(file_fix_apply(&f, &o, &err), -1, "a disk too full for the backup fails too");
	unsetenv("VMNETLINT_TEST_WRITE_LIMIT");
	text = slurp(conf);
	is_str(text, big.buf, "with the original intact");
	ok(system(tmp) != 0, "and no temporary file left");
	free(text);
	free(tmp);
	strbuf_release(&big);
	file_fix_out_release(&o);
	free(conf);
}

static void test_backup_names(void)
{
	struct backup_info b, c;
	struct backup_info *list;
	size_t n, bad;
	struct vnl_err err;
	char *bd = path_in("names");

	backup_info_init(&b);
	b.source = xstrdup("libvirt-xml");
	b.origin = xstrdup("/x/fw a.xml");
	b.vm_id = xstrdup("fw a/../x");
	is_int(backup_save(bd, &b, "<domain/>", 9, &err), 0, "save");
	has_str(b.data_path, "libvirt-xml_fw_a_.._x_", "a name made safe for a file name");
	ok(str_has_suffix(b.data_path, ".xml"), "with its extension");
	backup_info_init(&c);
	c.source = xstrdup("libvirt-xml");
	c.origin = xstrdup("/x/fw a.xml");
	c.vm_id = xstrdup("fw a/../x");
	is_int(backup_save(bd, &c, "<domain/>", 9, &err), 0, "the same backup again");
	ok(strcmp(b.data_path, c.data_path) != 0, "gets its own name: %s", c.data_path);
	is_int(backup_list(bd, &list, &n, &bad, &err), 0, "list");
	is_int((long long)n, 2, "both listed");
	while (n > 0)
		backup_info_release(&list[--n]);
	free(list);
	{
		const char *slash = strrchr(b.data_path, '/');
		struct backup_info d;
		is_int(backup_load(slash + 1, bd, &d, NULL, &err), 0, "loaded by the data file's name");
		backup_info_release(&d);
	}
	backup_info_release(&b);
	backup_info_release(&c);
	free(bd);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "%s/vnl-write-pve.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		diag("no temporary directory");
		return 1;
	}
	test_net_values();
	test_configs();
	test_file_fix();
	test_refusals();
	test_full_disk();
	test_backup_names();
	{
		char *cmd = xasprintf("rm -rf '%s'", dir);
		if (system(cmd) != 0)
			diag("could not remove %s", dir);
		free(cmd);
	}
	return done_testing();
}
