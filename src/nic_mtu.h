/* What rules share about a NIC's MTU: the MTU the guest will really use,
 * and why. Model terms only. */
#ifndef VNL_NIC_MTU_H
#define VNL_NIC_MTU_H

#include <stdbool.h>

#include "model.h"
#include "netenv.h"

struct vnl_mtu_view {
	int mtu;            /* the guest's MTU on this NIC */
	bool known;         /* false: assumed (bridge MTU not in the inputs) */
	const char *why;    /* "mtu=1450", "inherits vmbr0's MTU 9000", ... (VM arena) */
	const struct vnl_bridge *bridge; /* NULL if the inputs do not describe it */
	int bridge_mtu;     /* 0 = unknown */
};

void vnl_nic_mtu(struct vnl_vm *vm, const struct vnl_nic *nic, const struct vnl_netenv *net,
		 struct vnl_mtu_view *out);

/* An explicit MTU: PVE's mtu=1 means "use the bridge MTU", i.e. unset. */
bool vnl_nic_mtu_explicit(const struct vnl_nic *nic);

#endif
