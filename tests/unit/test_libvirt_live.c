/* A live connection through libvirt's test driver (research/libvirt.md 4):
 * every domain, persistent and transient, running or not, with its state,
 * the networks, and clean errors with nothing on stderr. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netenv.h"
#include "roles.h"
#include "source/libvirt_live.h"
#include "tap.h"
#include "test_libvirt_helpers.h"

static const char *node =
	"  <cpu><mhz>3000</mhz><model>x86_64</model><nodes>1</nodes><sockets>1</sockets>"
	"<cores>4</cores><threads>2</threads></cpu>\n"
	"  <memory>16777216</memory>\n"
	"  <network><name>wan</name><bridge name='virbr1'/><mtu size='1450'/>"
	"<forward mode='nat'/><ip address='192.168.100.1' netmask='255.255.255.0'/></network>\n"
	"  <domain type='kvm'><name>db</name><memory>1048576</memory><vcpu>2</vcpu>"
	"<os><type arch='x86_64'>hvm</type></os><devices/>"
	"<test:runstate>5</test:runstate></domain>\n"
	"  <domain type='kvm'><name>fw1</name>"
	"<description>OPNsense with CARP</description><memory>1048576</memory>"
	"<vcpu current='2'>4</vcpu><os><type arch='x86_64'>hvm</type></os><devices>"
	"<interface type='network'><mac address='52:54:00:00:00:01'/><source network='wan'/>"
	"<model type='virtio'/><driver name='vhost' queues='4'/></interface>"
	"</devices></domain>\n"
	"  <domain type='kvm'><name>scratch</name><memory>1048576</memory><vcpu>1</vcpu>"
	"<os><type arch='x86_64'>hvm</type></os><devices/><test:transient/></domain>\n";

static void test_domains(void)
{
	struct vnl_vm *vms[8];
	struct vnl_netenv env;
	const struct vnl_bridge *br;
	int errors = -1;
	size_t n, i;

	vnl_netenv_init(&env);
	n = lv_live(node, vms, 8, &env, &errors);
	is_int(errors, 0, "no errors");
	is_int((long long)n, 3, "every domain: persistent, transient, running or not");
	if (n == 3) {
		is_str(vms[0]->name, "db", "db");
		is_int(vms[0]->running, 0, "db is shut off (runstate 5)");
		is_str(vms[1]->name, "fw1", "fw1");
		is_int(vms[1]->running, 1, "fw1 runs (the default runstate)");
		is_str(vms[2]->name, "scratch", "the transient domain is listed");
		is_int(vms[2]->running, 1, "and runs");
		is_int(vms[1]->kind, VNL_SRC_LIBVIRT_LIVE, "kind libvirt-live");
		has_str(vms[1]->origin, "#fw1", "origin is <uri>#<name>");
		ok(!strncmp(vms[1]->origin, "test:///", 8), "origin starts with the URI");
		is_int(vms[1]->vcpus.value, 2, "<vcpu current> survives the driver");
		is_int(vms[1]->nnics, 1, "one NIC");
		is_int(vms[1]->nnics ? vms[1]->nics[0].queues.value : 0, 4, "queues read live");
		ok(vms[1]->nnics && vms[1]->nics[0].queues.loc.line > 0,
		   "a line in the dumped XML");
		ok(vnl_vm_has_role(vms[1], VNL_ROLE_PFSYNC), "roles classified");
	}
	for (i = 0; i < n; i++)
		vnl_vm_free(vms[i]);
	br = vnl_netenv_find(&env, "wan", NULL);
	ok(br != NULL, "the connection's network is in the environment");
	is_int(br ? vnl_bridge_mtu(br) : 0, 1450, "with its MTU");
	has_str(br ? br->loc.origin : NULL, "#network/wan", "origin <uri>#network/<name>");
	vnl_netenv_release(&env);
}

struct errs {
	int n;
	char first[512];
};

static void no_vm(struct vnl_vm *vm, void *data)
{
	(void)data;
	vnl_vm_free(vm);
}

static void keep_error(const char *origin, const char *msg, void *data)
{
	struct errs *e = data;
	if (!e->n++)
		snprintf(e->first, sizeof(e->first), "%s: %s", origin, msg);
}

/* Connect to uri; the errors reported, with stderr checked to stay empty. */
static void connect_fails(const char *uri, const char *want, const char *why)
{
	struct errs e = { 0, "" };
	struct libvirt_live_ops ops = { no_vm, keep_error, NULL, &e };
	char path[] = "/tmp/vnl-stderr-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	off_t size;

	fflush(stderr);
	dup2(fd, 2);
	libvirt_live_scan(uri, &ops);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	size = lseek(fd, 0, SEEK_END);
	close(fd);
	unlink(path);
	is_int(e.n, 1, "%s: one error line", why);
	has_str(e.first, want, "%s: names the URI and says why", why);
	is_int((long long)size, 0, "%s: libvirt and libxml2 print nothing", why);
}

static void test_errors(void)
{
	connect_fails("test:///nonexistent-vmnetlint-node.xml",
		      "test:///nonexistent-vmnetlint-node.xml: cannot connect", "missing node file");
	connect_fails("test:///", "supply a path", "test:/// without a path");
}

/* libosinfo ids are URLs; evidence names them like short ids, and FreeBSD
 * alone is weak firewall evidence (roles.c). */
static void test_libosinfo_evidence(void)
{
	char *xml = lv_domain("edge-firewall",
			      "  <metadata><libosinfo:libosinfo xmlns:libosinfo="
			      "'http://libosinfo.org/xmlns/libvirt/domain/1.0'><libosinfo:os "
			      "id='http://freebsd.org/freebsd/14.0'/></libosinfo:libosinfo></metadata>\n",
			      NULL);
	struct vnl_vm *vm = lv_vm(xml);
	char *alone = lv_domain("bsd-box",
				"  <metadata><libosinfo:libosinfo xmlns:libosinfo="
				"'http://libosinfo.org/xmlns/libvirt/domain/1.0'><libosinfo:os "
				"id='http://freebsd.org/freebsd/14.0'/></libosinfo:libosinfo></metadata>\n",
				NULL);
	struct vnl_vm *bsd = lv_vm(alone);

	has_str(vm ? vnl_vm_evidence_text(vm, VNL_ROLE_FIREWALL) : NULL,
		"OS freebsd14.0 (libosinfo)", "FreeBSD plus a firewall word: pf firewall");
	ok(bsd && !vnl_vm_has_role(bsd, VNL_ROLE_FIREWALL), "FreeBSD alone is no firewall");
	vnl_vm_free(vm);
	vnl_vm_free(bsd);
	free(xml);
	free(alone);
}

int main(void)
{
	test_domains();
	test_errors();
	test_libosinfo_evidence();
	return done_testing();
}
