/* VNL005 ring-size: rx/tx_queue_size QEMU refuses (error) or ignores
 * (warning), on libvirt XML and test:/// domains; the fix is the nearest
 * valid size. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tap.h"
#include "test_libvirt_helpers.h"

/* The value of the first SET edit of prop, or NULL. */
static const char *set_value(const struct vnl_finding_list *l, enum vnl_edit_prop prop)
{
	size_t i, k;
	for (i = 0; i < l->n; i++)
		for (k = 0; k < l->items[i]->nedits; k++)
			if (l->items[i]->edits[k].prop == prop &&
			    l->items[i]->edits[k].op == VNL_EDIT_SET)
				return l->items[i]->edits[k].value;
	return NULL;
}

struct want {
	size_t errors, warnings;
	const char *rx_fix, *tx_fix; /* NULL: no such edit */
};

static void both(const char *type, const char *model, const char *driver, struct want w,
		 const char *why)
{
	char *iface = xasprintf("    <interface type='%s'><mac address='52:54:00:00:00:05'/>%s"
				"<model type='%s'/>%s</interface>\n", type,
				!strcmp(type, "vhostuser")
					? "<source type='unix' path='/run/vh.sock' mode='server'/>"
					: "<source bridge='br0'/>", model, driver);
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
		run_rule("VNL005", vms[k], &l);
		is_int(count_findings(&l, NULL, VNL_SEV_ERROR), (long long)w.errors,
		       "%s (%s): errors", why, where[k]);
		is_int(count_findings(&l, NULL, VNL_SEV_WARNING), (long long)w.warnings,
		       "%s (%s): warnings", why, where[k]);
		if (w.rx_fix || w.tx_fix) {
			is_str(set_value(&l, VNL_PROP_RX_QUEUE_SIZE), w.rx_fix, "%s (%s): rx fix",
			       why, where[k]);
			is_str(set_value(&l, VNL_PROP_TX_QUEUE_SIZE), w.tx_fix, "%s (%s): tx fix",
			       why, where[k]);
		}
		vnl_finding_list_clear(&l);
		vnl_vm_free(vms[k]);
	}
	free(xml);
	free(iface);
}

int main(void)
{
	struct want none = { 0, 0, NULL, NULL };
	struct vnl_finding_list l = { 0 };
	struct vnl_vm *vm;

	both("bridge", "virtio", "<driver rx_queue_size='300'/>",
	     (struct want){ 1, 0, "256", NULL }, "rx 300: not a power of two");
	both("bridge", "virtio", "<driver rx_queue_size='2048' tx_queue_size='100'/>",
	     (struct want){ 2, 0, "1024", "256" }, "rx 2048 and tx 100: out of range");
	both("bridge", "virtio", "<driver rx_queue_size='128'/>",
	     (struct want){ 1, 0, "256", NULL }, "rx 128: below 256");
	both("bridge", "virtio", "<driver rx_queue_size='700'/>",
	     (struct want){ 1, 0, "512", NULL }, "rx 700: nearest is 512");
	both("bridge", "virtio", "<driver tx_queue_size='1024'/>",
	     (struct want){ 0, 1, NULL, "256" }, "tx 1024 without vhost-user: ignored");
	both("bridge", "virtio", "<driver tx_queue_size='600'/>",
	     (struct want){ 1, 0, NULL, "256" }, "tx 600 without vhost-user: nearest usable 256");
	both("vhostuser", "virtio", "<driver tx_queue_size='600'/>",
	     (struct want){ 1, 0, NULL, "512" }, "tx 600 on vhost-user: nearest is 512");
	both("bridge", "virtio", "<driver rx_queue_size='1024' tx_queue_size='256'/>", none,
	     "what Proxmox uses: fine");
	both("bridge", "virtio", "<driver rx_queue_size='256'/>", none, "rx 256");
	both("vhostuser", "virtio", "<driver tx_queue_size='1024'/>", none,
	     "tx 1024 on vhost-user is honoured");
	both("bridge", "virtio", "", none, "no sizes");
	both("bridge", "e1000", "<driver rx_queue_size='300'/>", none,
	     "an emulated NIC (libvirt drops the driver options)");

	vm = pve_vm("100", "name: web\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n");
	run_rule("VNL005", vm, &l);
	is_int((long long)l.n, 0, "Proxmox sets ring sizes itself: never fires");
	vnl_finding_list_clear(&l);
	vnl_vm_free(vm);
	return done_testing();
}
