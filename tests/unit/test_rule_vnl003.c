/* VNL003 offload-inconsistent: TSO/ECN/UFO on while the matching csum is
 * off, on libvirt XML and on test:/// domains; never on Proxmox. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tap.h"
#include "test_libvirt_helpers.h"

static size_t set_off_edits(const struct vnl_finding_list *l, enum vnl_edit_prop prop,
			    enum vnl_offload off)
{
	size_t i, k, n = 0;
	for (i = 0; i < l->n; i++)
		for (k = 0; k < l->items[i]->nedits; k++) {
			const struct vnl_edit *e = &l->items[i]->edits[k];
			n += e->prop == prop && e->offload == off && e->op == VNL_EDIT_SET &&
			     !strcmp(e->value, "off");
		}
	return n;
}

struct want {
	size_t findings;
	size_t host_edits, guest_edits; /* SET off edits in total */
};

static size_t count_prop(const struct vnl_finding_list *l, enum vnl_edit_prop prop)
{
	size_t n = 0, o;
	for (o = 0; o < VNL_OFF__COUNT; o++)
		n += set_off_edits(l, prop, (enum vnl_offload)o);
	return n;
}

static void both(const char *model, const char *driver, struct want w, const char *why)
{
	char *iface = xasprintf("    <interface type='bridge'><mac address='52:54:00:00:00:01'/>"
				"<source bridge='br0'/><model type='%s'/>%s</interface>\n",
				model, driver);
	char *xml = lv_domain("vm1", NULL, iface);
	struct vnl_vm *vms[2] = { lv_vm(xml), lv_live_one(xml) };
	const char *where[2] = { "xml", "test:///" };
	size_t k;

	for (k = 0; k < 2; k++) {
		struct vnl_finding_list l = { 0 };
		if (!vms[k]) {
			ok(0, "%s (%s): the domain loads", why, where[k]);
			continue;
		}
		run_rule("VNL003", vms[k], &l);
		is_int((long long)l.n, (long long)w.findings, "%s (%s): findings", why, where[k]);
		is_int((long long)count_prop(&l, VNL_PROP_HOST_OFFLOAD), (long long)w.host_edits,
		       "%s (%s): host edits", why, where[k]);
		is_int((long long)count_prop(&l, VNL_PROP_GUEST_OFFLOAD), (long long)w.guest_edits,
		       "%s (%s): guest edits", why, where[k]);
		if (w.findings && l.n)
			is_int(l.items[0]->severity, VNL_SEV_WARNING, "%s (%s): a warning", why,
			       where[k]);
		vnl_finding_list_clear(&l);
		vnl_vm_free(vms[k]);
	}
	free(xml);
	free(iface);
}

static void must_fire(void)
{
	struct want host4 = { 1, 4, 0 }, guest2 = { 1, 0, 2 }, both4 = { 2, 4, 4 };
	struct vnl_finding_list l = { 0 };
	struct vnl_vm *vm;
	const struct vnl_finding *f;

	both("virtio", "<driver><host csum='off'/></driver>", host4,
	     "host csum off, the rest at the default (on)");
	both("virtio", "<driver><guest csum='off' tso4='off' tso6='off' ecn='on'/></driver>",
	     guest2, "guest csum off, ecn on and ufo unset");
	both("virtio", "<driver><host csum='off'/><guest csum='off'/></driver>", both4,
	     "both sides");

	vm = lv_vm("<domain type='kvm'><name>x</name><devices>\n"
		   "<interface type='bridge'><model type='virtio'/>\n"
		   "  <driver><host csum='off' tso4='on' tso6='off' ecn='off' ufo='off'/></driver>\n"
		   "</interface></devices></domain>\n");
	run_rule("VNL003", vm, &l);
	f = l.n ? l.items[0] : NULL;
	is_int(f ? f->line : 0, 3, "points at the line of csum='off'");
	is_int(f ? f->col : 0, 17, "and its column");
	has_str(f ? f->message : NULL, "but tso4 is on;", "names the one still on");
	ok(f && f->nedits == 1 && f->edits[0].offload == VNL_OFF_TSO4, "fix: only tso4 off");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);
}

static void must_not_fire(void)
{
	struct want none = { 0, 0, 0 };
	struct vnl_finding_list l = { 0 };
	struct vnl_vm *vm;

	both("virtio", "", none, "no driver at all");
	both("virtio", "<driver><host csum='off' tso4='off' tso6='off' ecn='off' ufo='off'/>"
		       "</driver>", none, "host all off");
	both("virtio", "<driver><host tso4='off'/><guest ufo='off'/></driver>", none,
	     "csum on, some dependents off");
	both("virtio", "<driver><host csum='on'/></driver>", none, "csum explicitly on");
	both("e1000", "<driver><host csum='off'/></driver>", none,
	     "a non-virtio model (libvirt drops the driver options)");
	vm = pve_vm("100", "name: web\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0,host-tunnel=1\n");
	run_rule("VNL003", vm, &l);
	is_int((long long)l.n, 0, "Proxmox has no csum switches: never fires");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);
}

int main(void)
{
	must_fire();
	must_not_fire();
	return done_testing();
}
