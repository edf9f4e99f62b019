/* VNL002 firewall-offload: virtio offloads left on for a pf firewall, on
 * libvirt XML, on test:/// domains and on Proxmox (host-tunnel, and the
 * one per-VM note). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tap.h"
#include "test_libvirt_helpers.h"

#define FW_META \
	"  <metadata><v:lint xmlns:v='urn:vmnetlint:metadata:1'><v:role name='firewall'/>" \
	"</v:lint></metadata>\n"
#define ALL_OFF "csum='off' tso4='off' tso6='off' ecn='off' ufo='off'"

static size_t edits_of(const struct vnl_finding_list *l, enum vnl_edit_prop prop)
{
	size_t i, k, n = 0;
	for (i = 0; i < l->n; i++)
		for (k = 0; k < l->items[i]->nedits; k++)
			n += l->items[i]->edits[k].prop == prop &&
			     l->items[i]->edits[k].op == VNL_EDIT_SET &&
			     !strcmp(l->items[i]->edits[k].value, "off");
	return n;
}

/* Run VNL002 on a domain built from head and one interface, from XML and
 * from a test:/// connection; check both agree. */
static void both(const char *name, const char *head, const char *iface, size_t want,
		 int sev, size_t guest_edits, size_t host_edits, const char *why)
{
	char *xml = lv_domain(name, head, iface);
	struct vnl_vm *vms[2] = { lv_vm(xml), lv_live_one(xml) };
	const char *where[2] = { "xml", "test:///" };
	size_t k;

	for (k = 0; k < 2; k++) {
		struct vnl_finding_list l = { 0 };
		if (!vms[k]) {
			ok(0, "%s (%s): the domain loads", why, where[k]);
			continue;
		}
		run_rule("VNL002", vms[k], &l);
		is_int((long long)l.n, (long long)want, "%s (%s): %zu finding(s)", why, where[k], want);
		if (want && l.n) {
			is_int(l.items[0]->severity, sev, "%s (%s): severity", why, where[k]);
			is_int(edits_of(&l, VNL_PROP_GUEST_OFFLOAD), (long long)guest_edits,
			       "%s (%s): guest offload edits", why, where[k]);
			is_int(edits_of(&l, VNL_PROP_HOST_OFFLOAD), (long long)host_edits,
			       "%s (%s): host offload edits", why, where[k]);
			has_str(l.items[0]->message, "52:54:00:00:00:01", "%s (%s): MAC in the message",
				why, where[k]);
		}
		vnl_finding_list_clear(&l);
		vnl_vm_free(vms[k]);
	}
	free(xml);
}

#define IFACE(model, driver) \
	"    <interface type='bridge'><mac address='52:54:00:00:00:01'/>" \
	"<source bridge='br0'/><model type='" model "'/>" driver "</interface>\n"

static void libvirt_cases(void)
{
	both("fw1", FW_META, IFACE("virtio", ""), 1, VNL_SEV_WARNING, 5, 5,
	     "virtio at QEMU defaults on a firewall");
	both("fw2", FW_META,
	     IFACE("virtio", "<driver><host csum='on'/><guest " ALL_OFF "/></driver>"), 1,
	     VNL_SEV_WARNING, 0, 5, "guest side off, host side on");
	both("fw3", FW_META,
	     IFACE("virtio", "<driver><host " ALL_OFF "/><guest csum='off'/></driver>"), 1,
	     VNL_SEV_WARNING, 4, 0, "guest csum off only");
	both("fw4", "  <title>OPNsense 25.7 edge</title>\n", IFACE("virtio", ""), 1, VNL_SEV_INFO,
	     5, 5, "OPNsense 25.7: the guest defaults to off");
	both("fw5", FW_META,
	     IFACE("virtio", "<driver name='vhost'><host " ALL_OFF "/><guest " ALL_OFF
			     "/></driver>"), 0, 0, 0, 0, "everything off");
	both("web", "  <description>debian firewall</description>\n", IFACE("virtio", ""), 0, 0,
	     0, 0, "a Linux firewall");
	both("fw6", FW_META, IFACE("e1000", ""), 0, 0, 0, 0, "an emulated NIC");
	both("fw7", "  <title>OPNsense 24.7</title>\n", IFACE("virtio", ""), 1, VNL_SEV_WARNING,
	     5, 5, "OPNsense 24.7 is older than 25.1");
}

static void pve_cases(void)
{
	struct vnl_finding_list l = { 0 };
	struct vnl_vm *vm;
	const struct vnl_finding *f;

	vm = pve_vm("101", "name: fw-a\ntags: opnsense\n"
			   "net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,host-tunnel=1\n"
			   "net1: virtio=BC:24:11:00:00:02,bridge=vmbr1\n");
	run_rule("VNL002", vm, &l);
	is_int((long long)l.n, 1, "PVE: host-tunnel=1 is the one finding");
	f = finding_on(&l, "net0");
	is_int(f ? (int)f->severity : -1, VNL_SEV_WARNING, "PVE: a warning");
	is_int(f ? f->col : 0, 45, "PVE: points at host-tunnel");
	ok(f && f->nedits == 1 && f->edits[0].prop == VNL_PROP_HOST_TUNNEL &&
	   f->edits[0].op == VNL_EDIT_SET && !strcmp(f->edits[0].value, "0"),
	   "PVE: the edit sets host-tunnel=0");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);

	vm = pve_vm("102", "name: fw-b\ntags: pfsense\n"
			   "net0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n"
			   "net1: virtio=BC:24:11:00:00:02,bridge=vmbr1,host-tunnel=0\n");
	run_rule("VNL002", vm, &l);
	is_int((long long)l.n, 1, "PVE firewall without host-tunnel: one note per VM");
	f = l.n ? l.items[0] : NULL;
	is_int(f ? (int)f->severity : -1, VNL_SEV_INFO, "PVE note: info");
	ok(f && !f->nic_key, "PVE note: about the VM, not a NIC");
	has_str(f ? f->message : NULL, "hw.vtnet.csum_disable=1", "PVE note: the guest tunable");
	has_str(f ? f->message : NULL, "Interfaces > Settings", "PVE note: OPNsense");
	has_str(f ? f->message : NULL, "System > Advanced > Networking", "PVE note: pfSense");
	is_int(f ? (long long)f->nedits : -1, 0, "PVE note: no edit");
	is_int(f ? f->line : 0, 3, "PVE note: at the first virtio NIC");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);

	vm = pve_vm("103", "name: fw-c\ntags: opnsense\nnet0: e1000=BC:24:11:00:00:01,bridge=vmbr0\n");
	run_rule("VNL002", vm, &l);
	is_int((long long)l.n, 0, "PVE firewall without virtio NICs: nothing");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);

	vm = pve_vm("104", "name: web\nostype: l26\n"
			   "net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,host-tunnel=1\n");
	run_rule("VNL002", vm, &l);
	is_int((long long)l.n, 0, "PVE Linux VM with host-tunnel=1: not a pf firewall");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);
}

int main(void)
{
	libvirt_cases();
	pve_cases();
	return done_testing();
}
