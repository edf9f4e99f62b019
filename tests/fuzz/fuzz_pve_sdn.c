/* Proxmox SDN (source/pve_sdn.c): zones.cfg, vnets.cfg, controllers.cfg
 * and a node's interfaces, separated by NUL bytes; parsed, applied to the
 * network environment as a pmxcfs tree is, and a sample VM on vnet0
 * checked against it. */
#include "config.h"

#include "fuzz.h"

#include "scan.h"
#include "source/pve_interfaces.h"
#include "source/pve_sdn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "sdn/zones.cfg", "sdn/vnets.cfg",
					     "sdn/controllers.cfg" };
	struct pve_sdn *sdn = pve_sdn_new();
	struct pve_hostnet hn;
	struct vnl_scan scan;
	const char *part;
	size_t n;
	int k;

	pve_hostnet_init(&hn);
	for (k = 0; k < 3; k++) {
		fuzz_split(&data, &size, 0, &part, &n);
		pve_sdn_parse(sdn, (enum pve_sdn_file)k, names[k], part, n, &fuzz_pve_report);
	}
	pve_interfaces_parse(&hn, "nodes/pve1/interfaces", "pve1", (const char *)data, size,
			     &fuzz_pve_report);
	fuzz_scan_begin(&scan);
	pve_interfaces_apply(&hn, &scan.net);
	pve_sdn_apply(sdn, &hn, &scan.net, &fuzz_pve_report);
	vnl_scan_vm(&scan, fuzz_sample_vm());
	fuzz_scan_end(&scan);
	pve_sdn_free(sdn);
	pve_hostnet_release(&hn);
	return 0;
}
