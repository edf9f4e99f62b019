/* VNL001 pfsync-multiqueue on libvirt: <driver queues='N'>, N > 1, on a pf
 * firewall, from XML files and from test:/// domains. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tap.h"
#include "test_libvirt_helpers.h"

#define ROLES(r) \
	"  <metadata><v:lint xmlns:v='urn:vmnetlint:metadata:1'>" r "</v:lint></metadata>\n"
#define FW_PFSYNC ROLES("<v:role name='firewall'/><v:role name='pfsync'/>")
#define FW ROLES("<v:role name='firewall'/>")

static void both(const char *head, const char *model, const char *queues, size_t want, int sev,
		 const char *why)
{
	char *iface = xasprintf("    <interface type='bridge'><mac address='52:54:00:00:00:0%d'/>"
				"<source bridge='br0'/><model type='%s'/><driver name='vhost'%s/>"
				"</interface>\n"
				"    <interface type='bridge'><mac address='52:54:00:00:00:0e'/>"
				"<source bridge='br1'/><model type='virtio'/></interface>\n",
				1, model, queues);
	char *xml = lv_domain("fw", head, iface);
	struct vnl_vm *vms[2] = { lv_vm(xml), lv_live_one(xml) };
	const char *where[2] = { "xml", "test:///" };
	size_t k;

	for (k = 0; k < 2; k++) {
		struct vnl_finding_list l = { 0 };
		if (!vms[k]) {
			ok(0, "%s (%s): the domain loads", why, where[k]);
			continue;
		}
		run_rule("VNL001", vms[k], &l);
		is_int((long long)l.n, (long long)want, "%s (%s)", why, where[k]);
		if (want && l.n) {
			is_int(l.items[0]->severity, sev, "%s (%s): severity", why, where[k]);
			ok(has_edit(&l, "net0", VNL_EDIT_REMOVE, VNL_PROP_QUEUES),
			   "%s (%s): the edit removes queues from net0", why, where[k]);
			ok(l.items[0]->line > 0 && l.items[0]->col > 0,
			   "%s (%s): points at queues", why, where[k]);
			has_str(l.items[0]->evidence, "metadata role 'firewall'",
				"%s (%s): cites the metadata role", why, where[k]);
		}
		vnl_finding_list_clear(&l);
		vnl_vm_free(vms[k]);
	}
	free(xml);
	free(iface);
}

int main(void)
{
	both(FW_PFSYNC, "virtio", " queues='4'", 1, VNL_SEV_ERROR,
	     "queues=4 on a pfsync firewall: error");
	both(FW, "virtio", " queues='2'", 1, VNL_SEV_WARNING,
	     "queues=2 on a firewall without pfsync: warning");
	both(FW_PFSYNC, "virtio-transitional", " queues='8'", 1, VNL_SEV_ERROR,
	     "a transitional virtio model");
	both(FW_PFSYNC, "virtio", "", 0, 0, "no queues");
	both(FW_PFSYNC, "virtio", " queues='1'", 0, 0, "queues=1");
	both(FW_PFSYNC, "e1000", " queues='4'", 0, 0, "queues on e1000 (libvirt drops it)");
	both("  <description>debian router with CARP</description>\n", "virtio", " queues='8'", 0,
	     0, "a Linux VM with multiqueue");
	both(ROLES("<v:role name='linux'/>") "  <title>firewall</title>\n", "virtio",
	     " queues='4'", 0, 0, "declared Linux: a generic firewall word is not pf");
	return done_testing();
}
