/* The guest's MTU on a NIC. Facts: research/proxmox.md 2.4 (virtio with
 * mtu unset or 1 inherits the bridge MTU since qemu-server 9.0.3; other
 * models carry no MTU hint, the guest uses 1500) and 7.4; libvirt passes
 * host_mtu only when <mtu> is written (research/libvirt.md 1.4). */
#include "config.h"

#include "nic_mtu.h"

#include <string.h>

bool vnl_nic_mtu_explicit(const struct vnl_nic *nic)
{
	return VNL_SET(nic->mtu) && nic->mtu.value > 1;
}

static bool is_pve(const struct vnl_vm *vm)
{
	return vm->kind == VNL_SRC_PVE_FILE || vm->kind == VNL_SRC_PVE_API;
}

void vnl_nic_mtu(struct vnl_vm *vm, const struct vnl_nic *nic, const struct vnl_netenv *net,
		 struct vnl_mtu_view *out)
{
	const char *br = nic->bridge.raw;

	memset(out, 0, sizeof(*out));
	out->bridge = vnl_netenv_find(net, br, vm->node);
	out->bridge_mtu = vnl_bridge_mtu(out->bridge);
	out->known = true;
	if (nic->family != VNL_NIC_VIRTIO) {
		out->mtu = 1500;
		out->why = arena_printf(&vm->arena, "%s carries no MTU hint, the guest uses 1500",
					nic->model.raw ? nic->model.raw : "a NIC without a model");
		return;
	}
	if (vnl_nic_mtu_explicit(nic)) {
		out->mtu = (int)nic->mtu.value;
		out->why = arena_printf(&vm->arena, "mtu=%lld", nic->mtu.value);
		return;
	}
	if (!is_pve(vm)) {
		out->mtu = 1500;
		out->why = "no <mtu>: the guest uses 1500";
		return;
	}
	if (out->bridge_mtu) {
		out->mtu = out->bridge_mtu;
		out->why = arena_printf(&vm->arena, "inherits %s's MTU %d", br, out->bridge_mtu);
		return;
	}
	out->mtu = 1500;
	out->known = false;
	out->why = arena_printf(&vm->arena, "inherits %s's MTU, not in the inputs: 1500 assumed",
				br ? br : "the bridge");
}
