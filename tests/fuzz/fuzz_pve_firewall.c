/* Proxmox firewall files (source/pve_firewall.c): the same text read as
 * cluster.fw and as the sample VM's <vmid>.fw, then the VM checked with
 * both (VNL030 reads the MAC filter and the datacenter switch). */
#include "config.h"

#include "fuzz.h"

#include "scan.h"
#include "source/pve_firewall.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vnl_scan scan;
	struct vnl_vm *vm = fuzz_sample_vm();

	fuzz_scan_begin(&scan);
	pve_firewall_parse_cluster("firewall/cluster.fw", (const char *)data, size, &scan.net,
				   &fuzz_pve_report);
	pve_firewall_parse_vm("firewall/100.fw", (const char *)data, size, vm, &fuzz_pve_report);
	if (!vm->fw_known)
		fuzz_fail("the VM's firewall state is not known after its file", data, size);
	vnl_scan_vm(&scan, vm);
	fuzz_scan_end(&scan);
	return 0;
}
