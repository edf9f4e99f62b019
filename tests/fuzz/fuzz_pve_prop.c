/* The netN property-string parser (source/pve_prop.c): the value after
 * `net0: `, and the small validators next to it. */
#include "config.h"

#include "fuzz.h"

#include "source/pve_prop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct vnl_vm *vm = vnl_vm_new(VNL_SRC_PVE_FILE, "fuzz.conf");
	struct vnl_nic *nic = vnl_vm_add_nic(vm, "net0");
	bool b;
	int rc;

	(void)pve_parse_bool(s, size, &b);
	(void)pve_tag_valid(s, size);
	(void)pve_net_model_known(s, size);
	rc = pve_net_parse(vm, nic, s, size, 1, 7);
	/* -1 exactly when PVE would refuse the line, and then with a reason;
	 * 0 leaves a NIC with a model */
	if (rc < 0 && vm->nproblems == 0)
		fuzz_fail("refused without a problem", data, size);
	if (rc == 0 && (!nic->model.raw || vm->nproblems != 0))
		fuzz_fail("accepted without a model, or with problems", data, size);
	if (rc < 0)
		vm->nnics--; /* as pve_conf.c does: PVE drops the NIC */
	fuzz_scan_vm(vm);
	return 0;
}
