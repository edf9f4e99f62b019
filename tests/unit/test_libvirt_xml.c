/* libvirt XML into the model: mapping, places, problems (VNL000), the
 * safety refusals (entities, XXE, billion laughs, external DTD), documents
 * that are not domains, and <network>. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netenv.h"
#include "source/libvirt_xml.h"
#include "tap.h"
#include "test_libvirt_helpers.h"

static const char *full =
	"<domain type='kvm'>\n"                                                        /* 1 */
	"  <name>fw-a</name>\n"                                                        /* 2 */
	"  <uuid>6f3c2a8e-1d7b-4a5e-9c41-000000000001</uuid>\n"                        /* 3 */
	"  <title>edge firewall</title>\n"                                             /* 4 */
	"  <description>CARP pair, see wiki</description>\n"                           /* 5 */
	"  <metadata>\n"                                                               /* 6 */
	"    <libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>\n"
	"      <libosinfo:os id='http://freebsd.org/freebsd/14.0'/>\n"                 /* 8 */
	"    </libosinfo:libosinfo>\n"                                                 /* 9 */
	"    <vml:lint xmlns:vml='urn:vmnetlint:metadata:1'>\n"                        /* 10 */
	"      <vml:role name='firewall'/>\n"                                          /* 11 */
	"      <vml:role name='pfsync'/>\n"                                            /* 12 */
	"      <vml:suppress rule='VNL020' reason='sized on purpose'/>\n"              /* 13 */
	"    </vml:lint>\n"                                                            /* 14 */
	"  </metadata>\n"                                                              /* 15 */
	"  <vcpu placement='static' current='2'>4</vcpu>\n"                            /* 16 */
	"  <devices>\n"                                                                /* 17 */
	"    <interface type='bridge'>\n"                                              /* 18 */
	"      <mac address='52:54:00:6b:3c:58'/>\n"                                   /* 19 */
	"      <source bridge='br-wan'/>\n"                                            /* 20 */
	"      <vlan trunk='yes'><tag id='42'/><tag id='47'/></vlan>\n"                /* 21 */
	"      <bandwidth><inbound average='1000' peak='5000'/></bandwidth>\n"         /* 22 */
	"      <model type='virtio'/>\n"                                               /* 23 */
	"      <driver name='vhost' queues='4' rx_queue_size='512' tx_queue_size='256'>\n"
	"        <host csum='off' tso4='off' mrg_rxbuf='on'/>\n"                       /* 25 */
	"        <guest csum='off' ufo='on'/>\n"                                       /* 26 */
	"      </driver>\n"                                                            /* 27 */
	"      <link state='down'/>\n"                                                 /* 28 */
	"      <mtu size='9000'/>\n"                                                   /* 29 */
	"    </interface>\n"                                                           /* 30 */
	"    <interface type='network'>\n"                                             /* 31 */
	"      <source network='default'/>\n"                                          /* 32 */
	"      <model type='e1000'/>\n"                                                /* 33 */
	"    </interface>\n"                                                           /* 34 */
	"    <interface\n"                                                             /* 35 */
	"        type='direct'>\n"                                                     /* 36 */
	"      <source dev='eth0' mode='bridge'/>\n"                                   /* 37 */
	"    </interface>\n"                                                           /* 38 */
	"  </devices>\n"
	"</domain>\n";

static void test_mapping(void)
{
	struct vnl_vm *vm = lv_vm(full);
	const struct vnl_nic *n0, *n1, *n2;

	ok(vm != NULL, "a domain becomes a VM");
	if (!vm)
		return;
	is_int(vm->kind, VNL_SRC_LIBVIRT_XML, "kind libvirt-xml");
	is_str(vm->name, "fw-a", "name");
	is_str(vm->id, "fw-a", "id = name");
	is_str(vm->uuid, "6f3c2a8e-1d7b-4a5e-9c41-000000000001", "uuid kept");
	is_str(vm->title, "edge firewall", "title");
	is_str(vm->description, "CARP pair, see wiki", "description");
	is_str(vm->virt_type, "kvm", "domain type");
	is_int(vm->vcpus.value, 2, "vcpus = current");
	is_str(vm->vcpus_from, "<vcpu current>", "vcpus_from");
	is_int(vm->vcpus.loc.line, 16, "vcpus line");
	is_int(vm->vcpus.loc.col, 28, "vcpus column: the current attribute");
	is_str(vm->os_id, "http://freebsd.org/freebsd/14.0", "libosinfo id");
	is_int(vm->nsuppressions, 1, "one suppression recorded");
	is_str(vm->nsuppressions ? vm->suppressions[0].rule : NULL, "VNL020", "its rule");
	is_str(vm->nsuppressions ? vm->suppressions[0].reason : NULL, "sized on purpose", "reason");
	is_int(vm->nsuppressions ? vm->suppressions[0].loc.line : 0, 13, "its line");
	has_str(vnl_vm_evidence_text(vm, VNL_ROLE_FIREWALL), "metadata role 'firewall'",
		"metadata role firewall is evidence");
	has_str(vnl_vm_evidence_text(vm, VNL_ROLE_PFSYNC), "metadata role 'pfsync'",
		"metadata role pfsync is evidence");
	is_int(vm->nproblems, 0, "no problems");
	is_int(vm->nnics, 3, "three NICs");
	if (vm->nnics != 3) {
		vnl_vm_free(vm);
		return;
	}
	n0 = &vm->nics[0];
	n1 = &vm->nics[1];
	n2 = &vm->nics[2];
	is_str(n0->key, "net0", "keys by order: net0");
	is_str(n2->key, "net2", "net2");
	is_int(n0->loc.line, 18, "NIC line");
	is_int(n0->loc.col, 5, "NIC column");
	is_str(n0->type.raw, "bridge", "type");
	is_str(n0->mac.raw, "52:54:00:6b:3c:58", "mac");
	is_int(n0->mac.loc.col, 12, "mac column");
	is_str(n0->bridge.raw, "br-wan", "source bridge");
	is_str(n1->bridge.raw, "default", "source network");
	is_str(n2->bridge.raw, "eth0", "source dev");
	is_int(n0->vlan_tag.value, 42, "first tag is the VLAN");
	is_int(n0->vlan_tag.loc.line, 21, "tag line");
	is_int(n0->vlan_tag.loc.col, 30, "tag column");
	is_str(n0->trunks.raw, "42;47", "several tags are a trunk");
	is_str(n0->rate.raw, "inbound average=1000 peak=5000", "bandwidth text");
	is_str(n0->model.raw, "virtio", "model");
	is_int(n0->family, VNL_NIC_VIRTIO, "virtio family");
	is_int(n1->family, VNL_NIC_EMULATED, "e1000 is emulated");
	is_int(n2->family, VNL_NIC_UNKNOWN, "no model: unknown");
	is_str(n0->driver_name.raw, "vhost", "driver name");
	is_int(n0->queues.value, 4, "queues");
	is_int(n0->queues.loc.line, 24, "queues line");
	is_int(n0->queues.loc.col, 28, "queues column");
	is_int(n0->rx_queue_size.value, 512, "rx_queue_size");
	is_int(n0->tx_queue_size.value, 256, "tx_queue_size");
	ok(VNL_SET(n0->host_offload[VNL_OFF_CSUM]) && !n0->host_offload[VNL_OFF_CSUM].value,
	   "host csum off");
	ok(VNL_SET(n0->host_offload[VNL_OFF_MRG_RXBUF]) && n0->host_offload[VNL_OFF_MRG_RXBUF].value,
	   "host mrg_rxbuf on");
	ok(!VNL_SET(n0->host_offload[VNL_OFF_TSO6]), "host tso6 unset");
	ok(VNL_SET(n0->guest_offload[VNL_OFF_UFO]) && n0->guest_offload[VNL_OFF_UFO].value,
	   "guest ufo on");
	is_int(n0->guest_offload[VNL_OFF_UFO].loc.col, 27, "guest ufo column");
	ok(n0->link_down.value, "link state down");
	is_int(n0->mtu.value, 9000, "mtu");
	is_int(n0->mtu.loc.line, 29, "mtu line");
	is_int(n2->loc.line, 35, "a start tag over two lines: line of '<interface'");
	is_int(n2->type.loc.line, 36, "... and its attribute on the next line");
	is_int(n2->type.loc.col, 9, "... at its column");
	is_str(vnl_nic_label(vm, n0), "net0 (52:54:00:6b:3c:58)", "label shows the MAC");
	is_str(vnl_nic_label(vm, n2), "net2", "no MAC: the key");
	vnl_vm_free(vm);
}

static void test_vcpu_text(void)
{
	char *xml = lv_domain("web", NULL, NULL);
	struct vnl_vm *vm = lv_vm(xml);

	is_int(vm ? vm->vcpus.value : 0, 2, "vcpus from the text when no current");
	is_str(vm ? vm->vcpus_from : NULL, "<vcpu>", "vcpus_from <vcpu>");
	is_int(vm ? vm->vcpus.loc.col : 0, 9, "column of the text");
	vnl_vm_free(vm);
	free(xml);
}

/* One NIC's problems: how many, and the first message contains want. */
static void nic_problem(const char *iface, const char *want, unsigned col, const char *why)
{
	char *devices = xasprintf("    <interface type='bridge'>\n%s    </interface>\n", iface);
	char *xml = lv_domain("p", NULL, devices);
	struct vnl_vm *vm = lv_vm(xml);

	is_int(vm ? vm->nproblems : 0, 1, "%s: one problem", why);
	has_str(vm && vm->nproblems ? vm->problems[0].message : NULL, want, "%s: message", why);
	is_str(vm && vm->nproblems ? vm->problems[0].nic_key : NULL, "net0", "%s: on net0", why);
	if (col)
		is_int(vm && vm->nproblems ? vm->problems[0].loc.col : 0, col, "%s: column", why);
	vnl_vm_free(vm);
	free(xml);
	free(devices);
}

static void test_problems(void)
{
	nic_problem("      <model type='virtio'/><driver queues='abc'/>\n",
		    "net0: <driver queues='abc'> is not a non-negative integer", 37, "queues='abc'");
	nic_problem("      <mac address='52:54:00:00:00:09'/><mtu size='abc'/>\n",
		    "net0 (52:54:00:00:00:09): <mtu size='abc'>", 46, "mtu size 'abc'");
	nic_problem("      <vlan><tag id='5000'/></vlan>\n",
		    "vlan tag id 5000 too large (maximum 4095)", 18, "vlan tag 5000");
	nic_problem("      <mac address='01:00:5e:00:00:01'/>\n",
		    "found multicast '01:00:5e:00:00:01'", 12, "multicast MAC");
	nic_problem("      <mac address='52:54:00:zz:00:01'/>\n", "is not a MAC address", 0,
		    "malformed MAC");
	nic_problem("      <link state='sideways'/>\n", "unknown interface link state", 0,
		    "link state");
	nic_problem("      <model type='virtio'/><driver name='foo'/>\n", "<driver name='foo'>", 0,
		    "driver name");
	nic_problem("      <model type='virtio'/><driver><host csum='maybe'/></driver>\n",
		    "<host csum='maybe'> must be on or off", 0, "offload switch value");
	nic_problem("      <model type='virtio net'/>\n", "contains invalid characters", 0,
		    "model name");
	nic_problem("      <model type='e1000'/><driver queues='4'/>\n",
		    "silently drops them", 0, "virtio driver settings on e1000");
	nic_problem("      <model type='virtio'/><driver queues='512'/>\n",
		    "more than 511 queue pairs", 0, "queues 512");
}

static void test_clean_values(void)
{
	char *xml = lv_domain("c", NULL,
			      "    <interface type='bridge'>\n"
			      "      <mac address='52:54:00:0:1:2'/>\n"
			      "      <model type='virtio'/>\n"
			      "      <driver queues='0' rx_queue_size='0'/>\n"
			      "      <mtu size='0'/>\n"
			      "    </interface>\n");
	struct vnl_vm *vm = lv_vm(xml);
	const struct vnl_nic *nic = vm && vm->nnics ? &vm->nics[0] : NULL;

	is_int(vm ? vm->nproblems : 1, 0, "one-digit MAC octets and zero values are accepted");
	ok(nic && !VNL_SET(nic->queues), "queues='0' is dropped like libvirt does");
	ok(nic && !VNL_SET(nic->rx_queue_size), "rx_queue_size='0' is dropped");
	ok(nic && !VNL_SET(nic->mtu), "mtu size 0 is dropped");
	vnl_vm_free(vm);
	free(xml);
}

static void test_metadata_problems(void)
{
	char *xml = lv_domain("m",
			      "  <metadata>\n"
			      "    <a:lint xmlns:a='urn:vmnetlint:metadata:1'><a:role name='wizard'/>"
			      "<a:suppress/><a:frobnicate/></a:lint>\n"
			      "    <b:lint xmlns:b='urn:vmnetlint:metadata:1'><b:role name='firewall'/></b:lint>\n"
			      "  </metadata>\n", NULL);
	struct vnl_vm *vm = lv_vm(xml);
	size_t i;
	int unknown_role = 0, no_rule = 0, unknown_elem = 0, second = 0;

	for (i = 0; vm && i < vm->nproblems; i++) {
		const char *m = vm->problems[i].message;
		unknown_role += strstr(m, "unknown role 'wizard'") != NULL;
		no_rule += strstr(m, "without rule=") != NULL;
		unknown_elem += strstr(m, "unknown element <frobnicate>") != NULL;
		second += strstr(m, "keeps only the first element of a namespace") != NULL;
	}
	is_int(unknown_role, 1, "an unknown role is a warning");
	is_int(no_rule, 1, "a suppression without a rule is a warning");
	is_int(unknown_elem, 1, "an unknown element of our namespace is a warning");
	is_int(second, 1, "a second element of our namespace: libvirt drops it");
	ok(vm && !vnl_vm_has_role(vm, VNL_ROLE_FIREWALL), "the dropped element's role is not used");
	is_int(vm ? (int)vm->problems[0].severity : -1, VNL_SEV_WARNING, "warnings, not errors");
	vnl_vm_free(vm);
	free(xml);
}

/* Parse text expecting a refusal; everything libxml2 says must stay off stderr. */
static void refused(const char *xml, const char *want, unsigned line, const char *why)
{
	struct libvirt_xml_result res;
	enum libvirt_xml_what what;
	char path[] = "/tmp/vnl-stderr-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	off_t size;

	fflush(stderr);
	dup2(fd, 2);
	what = libvirt_xml_parse("bad.xml", VNL_SRC_LIBVIRT_XML, xml, strlen(xml), NULL, &res);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	size = lseek(fd, 0, SEEK_END);
	close(fd);
	unlink(path);
	is_int(what, LIBVIRT_XML_ERROR, "%s: refused", why);
	ok(res.vm == NULL, "%s: no VM", why);
	has_str(res.msg, want, "%s: says why", why);
	if (line)
		is_int(res.line, line, "%s: names the line", why);
	is_int((long long)size, 0, "%s: nothing printed on stderr", why);
	ok(!strstr(res.msg, "root:"), "%s: nothing of /etc/passwd anywhere", why);
}

static void test_refusals(void)
{
	refused("<?xml version='1.0'?>\n"
		"<!DOCTYPE domain [\n"
		" <!ENTITY a 'lollollollollollollollollollol'>\n"
		" <!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>\n"
		" <!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>\n"
		" <!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>\n"
		" <!ENTITY e '&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;'>\n"
		" <!ENTITY f '&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;'>\n"
		" <!ENTITY g '&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;'>\n"
		" <!ENTITY h '&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;'>\n"
		" <!ENTITY i '&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;'>\n"
		"]>\n"
		"<domain><name>&i;</name></domain>\n",
		"declares entity 'a'", 3, "billion laughs");
	refused("<?xml version='1.0'?>\n"
		"<!DOCTYPE domain [ <!ENTITY xxe SYSTEM 'file:///etc/passwd'> ]>\n"
		"<domain><name>&xxe;</name></domain>\n",
		"declares entity 'xxe'", 2, "XXE file:///etc/passwd");
	refused("<!DOCTYPE domain [ <!ENTITY % p SYSTEM 'file:///etc/passwd'> %p; ]>\n"
		"<domain><name>x</name></domain>\n", "declares entity 'p'", 1,
		"parameter entity");
	refused("<!DOCTYPE domain SYSTEM 'http://127.0.0.1:9/domain.dtd'>\n"
		"<domain><name>x</name></domain>\n", "external DTD", 1, "external DTD");
	refused("<domain>\n  <name>x</nme>\n</domain>\n", "Opening and ending tag mismatch", 2,
		"mismatched tags");
	refused("<domain><name>&undefined;</name></domain>\n", "not defined", 1,
		"undefined entity");
	refused("<?xml version='1.0' encoding='UTF-8'?>\n<domain><name>caf\xe9</name></domain>\n",
		"UTF-8", 2, "bad UTF-8");
	refused("", "empty", 0, "empty document");
}

static void test_doctype_without_entities(void)
{
	const char *xml = "<!DOCTYPE domain>\n<domain><name>plain</name></domain>\n";
	struct vnl_vm *vm = lv_vm(xml);
	is_str(vm ? vm->name : NULL, "plain", "a DOCTYPE without entities is accepted");
	vnl_vm_free(vm);
}

static void skipped(const char *xml, const char *want, const char *why)
{
	struct libvirt_xml_result res;
	enum libvirt_xml_what what;

	what = libvirt_xml_parse("x.xml", VNL_SRC_LIBVIRT_XML, xml, strlen(xml), NULL, &res);
	is_int(what, LIBVIRT_XML_SKIPPED, "%s: skipped", why);
	has_str(res.msg, want, "%s: the note says what it is", why);
}

static void test_not_a_domain(void)
{
	skipped("<capabilities><host/></capabilities>", "root element <capabilities>", "capabilities");
	skipped("<node><domain type='test'><name>a</name></domain></node>", "--connect test:///",
		"a test-driver node file");
	skipped("<x:domain xmlns:x='urn:other'/>", "root element <domain>",
		"a <domain> in another namespace");
}

static void test_network(void)
{
	struct vnl_netenv env;
	struct libvirt_xml_result res;
	const struct vnl_bridge *br;
	const char *nat = "<network>\n"
			  "  <name>default</name>\n"
			  "  <forward mode='nat'/>\n"
			  "  <bridge name='virbr0' stp='on'/>\n"
			  "  <mtu size='1450'/>\n"
			  "</network>\n";
	const char *bridged = "<network><name>lan</name><forward mode='bridge'/>"
			      "<bridge name='br0'/></network>";
	const char *plain = "<network><name>iso</name><forward/><bridge name='virbr9'/></network>";
	const char *noname = "<network><bridge name='virbr9'/></network>";

	vnl_netenv_init(&env);
	is_int(libvirt_xml_parse("net.xml", VNL_SRC_LIBVIRT_XML, nat, strlen(nat), &env, &res),
	       LIBVIRT_XML_NETWORK, "a <network> is recognised");
	br = vnl_netenv_find(&env, "default", NULL);
	ok(br != NULL, "the network is in the environment by name");
	is_int(br ? vnl_bridge_mtu(br) : 0, 1450, "with its MTU");
	is_int(br ? br->mtu.loc.line : 0, 5, "MTU line");
	is_int(br ? br->mtu.loc.col : 0, 8, "MTU column");
	is_str(br ? br->zone : NULL, "nat", "forward mode");
	br = vnl_netenv_find(&env, "virbr0", NULL);
	is_int(br ? vnl_bridge_mtu(br) : 0, 1450, "its own bridge is found by name too");
	libvirt_xml_parse("lan.xml", VNL_SRC_LIBVIRT_XML, bridged, strlen(bridged), &env, &res);
	ok(vnl_netenv_find(&env, "lan", NULL) != NULL, "a bridged network");
	ok(vnl_netenv_find(&env, "br0", NULL) == NULL, "does not claim the host bridge");
	libvirt_xml_parse("iso.xml", VNL_SRC_LIBVIRT_XML, plain, strlen(plain), &env, &res);
	br = vnl_netenv_find(&env, "iso", NULL);
	is_str(br ? br->zone : NULL, "nat", "<forward/> without mode is nat");
	is_int(libvirt_xml_parse("n.xml", VNL_SRC_LIBVIRT_XML, noname, strlen(noname), &env, &res),
	       LIBVIRT_XML_ERROR, "a network without a name is an error");
	vnl_netenv_release(&env);
}

static void test_sniff(void)
{
	ok(libvirt_xml_sniff("  \n<domain/>", 11), "XML after blanks");
	ok(libvirt_xml_sniff("\xEF\xBB\xBF<domain/>", 12), "XML after a BOM");
	ok(!libvirt_xml_sniff("name: x\n", 8), "a qm config is not XML");
	ok(!libvirt_xml_sniff("#<b>desc</b>\n", 13), "a '#' description line is not XML");
	ok(!libvirt_xml_sniff("", 0), "empty");
}

int main(void)
{
	test_mapping();
	test_vcpu_text();
	test_problems();
	test_clean_values();
	test_metadata_problems();
	test_refusals();
	test_doctype_without_entities();
	test_not_a_domain();
	test_network();
	test_sniff();
	return done_testing();
}
