/* Writing libvirt definitions (src/write/xml_edit.c, libvirt_xml.c,
 * libvirt_live.c): only the edited <interface> changes, by text; through a
 * test:/// connection the definition is redefined with its secrets, read
 * back, and restored (research/libvirt.md 3.4, 3.5, 3.7). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libvirt/libvirt.h>

#include "source/libvirt_xml.h"
#include "tap.h"
#include "write/backup.h"
#include "write/digest.h"
#include "write/libvirt_live.h"
#include "write/libvirt_xml.h"
#include "write/verify.h"

static struct vnl_edit E(const char *nic, enum vnl_edit_op op, enum vnl_edit_prop prop,
			 enum vnl_offload o, const char *value)
{
	struct vnl_edit e = { (char *)nic, op, prop, o, (char *)value };
	return e;
}

static void xml(const char *text, struct vnl_edit *e, size_t n, const char *want, const char *what)
{
	struct strbuf out = STRBUF_INIT;
	struct vnl_err err;
	int rc = lv_xml_rewrite(text, strlen(text), e, n, &out, &err);

	if (want) {
		if (!is_int(rc, 0, "%s: accepted", what))
			diag("%s", err.msg);
		if (!is_str(strbuf_str(&out), want, "%s", what))
			diag("got:\n%s", strbuf_str(&out));
	} else {
		is_int(rc, -1, "%s: refused (%s)", what, rc < 0 ? err.msg : "");
	}
	strbuf_release(&out);
}

#define HEAD "<domain type='kvm'>\n  <name>fw</name>\n  <!-- keep me -->\n  <devices>\n"
#define TAIL "  </devices>\n</domain>\n"

static void test_text_edits(void)
{
	struct vnl_edit rmq = E("net0", VNL_EDIT_REMOVE, VNL_PROP_QUEUES, 0, NULL);
	struct vnl_edit csum = E("net0", VNL_EDIT_SET, VNL_PROP_HOST_OFFLOAD, VNL_OFF_CSUM, "off");
	struct vnl_edit gcsum = E("net1", VNL_EDIT_SET, VNL_PROP_GUEST_OFFLOAD, VNL_OFF_CSUM, "off");
	struct vnl_edit mtu = E("net0", VNL_EDIT_SET, VNL_PROP_MTU, 0, "1450");
	struct vnl_edit rmmtu = E("net0", VNL_EDIT_REMOVE, VNL_PROP_MTU, 0, NULL);
	struct vnl_edit tunnel = E("net0", VNL_EDIT_SET, VNL_PROP_HOST_TUNNEL, 0, "0");
	struct vnl_edit two[2] = { E("net0", VNL_EDIT_REMOVE, VNL_PROP_QUEUES, 0, NULL),
				   E("net1", VNL_EDIT_SET, VNL_PROP_GUEST_OFFLOAD, VNL_OFF_CSUM, "off") };

	xml(HEAD "    <interface type='bridge'>\n      <mac address='52:54:00:00:00:01'/>\n"
	    "      <model type='virtio'/>\n      <driver name='vhost' queues='4'/>\n"
	    "    </interface>\n" TAIL, &rmq, 1,
	    HEAD "    <interface type='bridge'>\n      <mac address='52:54:00:00:00:01'/>\n"
	    "      <model type='virtio'/>\n      <driver name='vhost'/>\n"
	    "    </interface>\n" TAIL, "remove an attribute; the comment stays");
	xml(HEAD "    <interface type=\"bridge\">\n      <model type=\"virtio\"/>\n"
	    "      <driver queues=\"4\"/>\n    </interface>\n" TAIL, &csum, 1,
	    HEAD "    <interface type=\"bridge\">\n      <model type=\"virtio\"/>\n"
	    "      <driver queues=\"4\">\n        <host csum=\"off\"/>\n      </driver>\n"
	    "    </interface>\n" TAIL, "open an empty <driver/>, in the document's quotes");
	xml(HEAD "    <interface type='bridge'>\n      <model type='virtio'/>\n"
	    "      <link state='up'/>\n    </interface>\n" TAIL, &mtu, 1,
	    HEAD "    <interface type='bridge'>\n      <model type='virtio'/>\n"
	    "      <link state='up'/>\n      <mtu size='1450'/>\n    </interface>\n" TAIL,
	    "a new <mtu> after <link>, as libvirt orders them");
	xml(HEAD "    <interface type='bridge'>\n      <model type='virtio'/>\n"
	    "      <mtu size='9000'/>\n    </interface>\n" TAIL, &rmmtu, 1,
	    HEAD "    <interface type='bridge'>\n      <model type='virtio'/>\n"
	    "    </interface>\n" TAIL, "remove <mtu> with its line");
	xml(HEAD "\t<interface type='bridge'>\r\n\t\t<model type='virtio'/>\r\n"
	    "\t\t<driver queues='4'>\r\n\t\t\t<host tso4='off'/>\r\n\t\t</driver>\r\n\t</interface>\r\n" TAIL,
	    &csum, 1,
	    HEAD "\t<interface type='bridge'>\r\n\t\t<model type='virtio'/>\r\n"
	    "\t\t<driver queues='4'>\r\n\t\t\t<host tso4='off' csum='off'/>\r\n\t\t</driver>\r\n"
	    "\t</interface>\r\n" TAIL, "tabs and CRLF: an attribute added in place");
	xml(HEAD "    <interface type='bridge'>\n      <model type='virtio'/>\n    </interface>\n"
	    "    <interface type='network'>\n      <model type='virtio'/>\n    </interface>\n" TAIL,
	    &gcsum, 1,
	    HEAD "    <interface type='bridge'>\n      <model type='virtio'/>\n    </interface>\n"
	    "    <interface type='network'>\n      <model type='virtio'/>\n      <driver>\n"
	    "        <guest csum='off'/>\n      </driver>\n    </interface>\n" TAIL,
	    "net1 is the second <interface>; a <driver> is made for it");
	xml("<domain><name>x</name><devices><interface type='user'><model type='virtio'/>"
	    "<driver queues='2'/></interface><interface type='user'><model type='virtio'/>"
	    "</interface></devices></domain>", two, 2,
	    "<domain><name>x</name><devices><interface type='user'><model type='virtio'/>"
	    "<driver/></interface><interface type='user'><model type='virtio'/>"
	    "<driver><guest csum='off'/></driver></interface></devices></domain>",
	    "a document on one line stays on one line");
	xml(HEAD "    <interface type='bridge'>\n      <model type='e1000'/>\n    </interface>\n" TAIL,
	    &csum, 1, NULL, "virtio settings on an e1000 (libvirt drops them)");
	xml(HEAD "    <interface type='bridge'>\n      <model type='virtio'/>\n    </interface>\n" TAIL,
	    &tunnel, 1, NULL, "host-tunnel is not a libvirt setting");
}

/* ---- a live connection -------------------------------------------------------------- */

static const char *node_xml =
	"<node>\n"
	"  <domain type='kvm'>\n    <name>fw1</name>\n    <memory>1048576</memory>\n"
	"    <vcpu>2</vcpu>\n    <os><type arch='x86_64'>hvm</type></os>\n"
	"    <devices>\n"
	"      <interface type='bridge'>\n        <mac address='52:54:00:00:00:01'/>\n"
	"        <source bridge='br0'/>\n        <model type='virtio'/>\n"
	"        <driver name='vhost' queues='4'/>\n      </interface>\n"
	"      <graphics type='vnc' port='-1' autoport='yes' passwd='s3cret-vnc'/>\n"
	"    </devices>\n  </domain>\n</node>\n";

static char *dump(virConnectPtr c, unsigned flags)
{
	virDomainPtr d = virDomainLookupByName(c, "fw1");
	char *x = d ? virDomainGetXMLDesc(d, flags) : NULL;
	if (d)
		virDomainFree(d);
	return x;
}

static struct vnl_vm *parse(const char *x)
{
	struct libvirt_xml_result res;
	if (libvirt_xml_parse("fw1", VNL_SRC_LIBVIRT_LIVE, x, strlen(x), NULL, &res) != LIBVIRT_XML_DOMAIN)
		return NULL;
	return res.vm;
}

static void test_live(const char *dir)
{
	char *node = xasprintf("%s/node.xml", dir), *uri = xasprintf("test://%s", node);
	char *bdir = xasprintf("%s/backups", dir), *x, *sig, *note = NULL;
	struct vnl_edit rmq = E("net0", VNL_EDIT_REMOVE, VNL_PROP_QUEUES, 0, NULL);
	struct live_fix f = { uri, "fw1", NULL, NULL, &rmq, 1, bdir, NULL };
	struct live_fix_out o;
	struct vnl_err err;
	struct vnl_vm *vm;
	virConnectPtr c;
	FILE *fp = fopen(node, "w");

	fputs(node_xml, fp);
	fclose(fp);
	c = live_open(uri, false, &err);
	if (!ok(c != NULL, "a read-write test:/// connection")) {
		diag("%s", err.msg);
		goto out;
	}
	x = dump(c, VIR_DOMAIN_XML_INACTIVE);
	vm = parse(x);
	sig = wr_vm_signature(vm);
	f.signature = sig;
	vnl_vm_free(vm);
	free(x);

	memset(&o, 0, sizeof(o));
	is_int(live_fix_preview(c, &f, &o, &err), 0, "preview");
	ok(!strstr(o.old_text.buf, "s3cret-vnc") && !strstr(o.new_text.buf, "s3cret-vnc"),
	   "the preview (a diff) never shows secrets");
	live_fix_out_release(&o);

	memset(&o, 0, sizeof(o));
	if (!is_int(live_fix_apply(c, &f, &o, &err), 0, "apply"))
		diag("%s", err.msg);
	x = dump(c, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
	ok(x && !strstr(x, "queues="), "the definition lost queues");
	ok(x && strstr(x, "passwd='s3cret-vnc'"), "and kept the VNC password (read with SECURE)");
	is_int(o.running, 1, "the domain runs: the change waits for a cold restart");
	ok(o.readback && !strstr(o.readback, "queues="), "the read-back definition is returned");
	free(x);
	{
		struct backup_info b;
		struct strbuf data = STRBUF_INIT;
		if (o.backup && backup_load(o.backup, NULL, &b, &data, &err) == 0) {
			ok(strstr(data.buf, "s3cret-vnc") != NULL, "the backup holds the full definition");
			ok(b.applied == 1 && b.post_sha1, "marked applied, with the post-fix hash");
			is_int(live_restore(c, &b, data.buf, false, bdir, &note, &err), RESTORE_DONE,
			       "restore");
			x = dump(c, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
			ok(x && strstr(x, "queues='4'") && strstr(x, "s3cret-vnc"),
			   "queues and the password are back");
			free(x);
			is_int(live_restore(c, &b, data.buf, false, bdir, &note, &err), RESTORE_ALREADY,
			       "a second restore has nothing to do");
			backup_info_release(&b);
		} else {
			ok(0, "the backup loads: %s", err.msg);
		}
		strbuf_release(&data);
	}
	live_fix_out_release(&o);

	/* the definition changed since the "scan": refused */
	memset(&o, 0, sizeof(o));
	f.signature = "something else";
	is_int(live_fix_apply(c, &f, &o, &err), -1, "a definition changed since the scan is refused");
	has_str(err.msg, "changed since the scan", "with the reason");
	live_fix_out_release(&o);
	free(sig);
	virConnectClose(c);
out:
	free(node);
	free(uri);
	free(bdir);
	free(note);
}

int main(void)
{
	char dir[256];

	test_text_edits();
	snprintf(dir, sizeof(dir), "%s/vnl-write-lv.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir)) {
		char *cmd = xasprintf("rm -rf '%s'", dir);
		test_live(dir);
		if (system(cmd) != 0)
			diag("could not remove %s", dir);
		free(cmd);
	}
	return done_testing();
}
