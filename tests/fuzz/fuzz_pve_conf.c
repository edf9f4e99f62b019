/* The qm config parser (source/pve_conf.c), then roles and every rule on
 * the VM it makes, as a scan of a file does. */
#include "config.h"

#include "fuzz.h"

#include "source/pve_conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pve_conf_hint hint = { "100", "pve1" };
	struct vnl_vm *vm = pve_conf_parse("nodes/pve1/qemu-server/100.conf", (const char *)data,
					   size, &hint);
	size_t i;

	for (i = 0; i < vm->nproblems; i++)
		if (!vm->problems[i].message || vm->problems[i].loc.line == 0)
			fuzz_fail("a problem without message or line", data, size);
	fuzz_scan_vm(vm);
	return 0;
}
