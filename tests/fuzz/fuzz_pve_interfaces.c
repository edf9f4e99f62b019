/* A node's /etc/network/interfaces (source/pve_interfaces.c): parse, turn
 * into bridges with their MTUs and overlays, look every interface up, and
 * check a sample VM attached to vmbr0, vmbr1 and vnet0 against them. */
#include "config.h"

#include "fuzz.h"

#include "scan.h"
#include "source/pve_interfaces.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pve_hostnet hn;
	struct vnl_scan scan;
	size_t i;

	pve_hostnet_init(&hn);
	pve_interfaces_parse(&hn, "nodes/pve1/interfaces", "pve1", (const char *)data, size,
			     &fuzz_pve_report);
	for (i = 0; i < hn.n; i++) {
		const struct pve_iface *ifc = &hn.ifaces[i];
		(void)pve_hostnet_mtu(&hn, ifc);
		if (pve_hostnet_find(&hn, ifc->name, "pve1") == NULL)
			fuzz_fail("an interface that cannot be found by its name", data, size);
		if (ifc->addresses)
			(void)pve_hostnet_by_address(&hn, ifc->addresses, "pve1");
	}
	fuzz_scan_begin(&scan);
	pve_interfaces_apply(&hn, &scan.net);
	pve_interfaces_apply(&hn, &scan.net); /* "safe to call again" */
	vnl_scan_vm(&scan, fuzz_sample_vm());
	fuzz_scan_end(&scan);
	pve_hostnet_release(&hn);
	return 0;
}
