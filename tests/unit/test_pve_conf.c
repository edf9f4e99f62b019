/* The qm config file: sections, description, tags, vCPUs, pending, and the
 * lines PVE would warn about (research/proxmox.md 1.1, 3). */
#include "config.h"

#include <string.h>

#include "helpers.h"
#include "source/pve_conf.h"
#include "source/pve_tree.h"
#include "tap.h"

static size_t problems_with(const struct vnl_vm *vm, const char *text)
{
	size_t i, n = 0;
	for (i = 0; i < vm->nproblems; i++)
		if (strstr(vm->problems[i].message, text))
			n++;
	return n;
}

static void test_basic(void)
{
	struct vnl_vm *vm = pve_vm("101",
		"#OPNsense primary%3A CARP master\n"
		"#second line %25\n"
		"cores: 2\n"
		"name: fw-a\n"
		"net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n"
		"net1: e1000=BC:24:11:00:00:02,bridge=vmbr1\n"
		"ostype: other\n"
		"sockets: 2\n"
		"tags: opnsense;carp,ha pair\n");

	is_int((long long)vm->nproblems, 0, "a clean config has no problems");
	is_str(vm->id, "101", "vmid from the hint");
	is_str(vm->node, "pve1", "node from the hint");
	is_str(vm->name, "fw-a", "name");
	is_str(vm->description, "OPNsense primary: CARP master\nsecond line %",
	       "description from # lines, percent-decoded, trailing newline stripped");
	is_int(vm->vcpus.value, 4, "vCPUs = sockets*cores");
	is_str(vm->vcpus_from, "sockets*cores", "vCPUs derivation named");
	is_int((long long)vm->ntags, 4, "tags split on ';', ',' and spaces");
	is_str(vm->ntags > 3 ? vm->tags[3] : NULL, "pair", "the last tag");
	is_int((long long)vm->nnics, 2, "two NICs");
	is_str(vm->nics[1].key, "net1", "NIC key");
	is_int(vm->nics[0].loc.line, 5, "NIC line");
	is_int(vm->nics[0].loc.col, 7, "NIC value column");
	ok(vm->pending == NULL, "no pending view without [PENDING]");
	vnl_vm_free(vm);
}

static void test_vcpus(void)
{
	struct vnl_vm *vm = pve_vm("1", "cores: 4\nsockets: 2\nvcpus: 3\n");
	is_int(vm->vcpus.value, 3, "vcpus wins over sockets*cores");
	is_int(vm->vcpus.loc.line, 3, "vcpus place");
	vnl_vm_free(vm);
	vm = pve_vm("1", "memory: 512\n");
	is_int(vm->vcpus.value, 1, "default is one vCPU");
	vnl_vm_free(vm);
	vm = pve_vm("1", "smp: 2\ncores: 3\n");
	is_int(vm->vcpus.value, 6, "deprecated smp counts as sockets");
	vnl_vm_free(vm);
}

static void test_sections(void)
{
	struct vnl_vm *vm = pve_vm("120",
		"name: deb\n"
		"net0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n"
		"\n"
		"[special:cloudinit]\n"
		"name: whatever goes here\n"
		"numa: nonsense is stored unchecked here\n"
		"\n"
		"[snap1]\n"
		"net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=8\n"
		"net5: virtio=BC:24:11:00:00:05,bridge=vmbr9\n"
		"numa: verify me\n"
		"\n"
		"[special:unknown1]\n"
		"cat: nya\n"
		"[:3]\n"
		"name: baz\n"
		"[snap1]\n"
		"cores: 1\n");

	is_int((long long)vm->nnics, 1, "snapshot NICs are not the VM's NICs");
	ok(!VNL_SET(vm->nics[0].queues), "the main NIC is unchanged by the snapshot");
	is_int((long long)problems_with(vm, "not a boolean"), 1, "bad boolean in a snapshot");
	is_int((long long)problems_with(vm, "unknown section [special:unknown1]"), 1,
	       "unknown special section");
	is_int((long long)problems_with(vm, "unknown section [:3]"), 1, "invalid section name");
	is_int((long long)problems_with(vm, "unknown setting 'cat'"), 0,
	       "lines in an unknown section are ignored, not reported one by one");
	is_int((long long)problems_with(vm, "duplicate section [snap1]"), 1, "duplicate section");
	is_int((long long)problems_with(vm, "nonsense"), 0,
	       "[special:cloudinit] values are not validated");
	is_int((long long)vm->nproblems, 4, "four problems in all");
	vnl_vm_free(vm);
}

static void test_bad_lines(void)
{
	struct vnl_vm *vm = pve_vm("130",
		"cores: two\n"
		" name: indented\n"
		"name:\n"
		"frobnicate: 1\n"
		"delete: net1\n"
		"net0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n"
		"net0: virtio=BC:24:11:00:00:09,bridge=vmbr1\n"
		"net1: virtio=BC:24:11:00:00:02,bridge=vmbr0,queue=4\n"
		"net40: virtio=BC:24:11:00:00:03\n"
		"tags: ok;-bad\n"
		"onboot: 1\r\n");

	is_int((long long)problems_with(vm, "cores: 'two' is not an integer"), 1, "integer check");
	is_int((long long)problems_with(vm, "unable to parse config line ' name"), 1,
	       "an indented line does not parse");
	is_int((long long)problems_with(vm, "unable to parse config line 'name:'"), 1,
	       "a key without value does not parse");
	is_int((long long)problems_with(vm, "unknown setting 'frobnicate'"), 1, "unknown key");
	is_int((long long)problems_with(vm, "unknown setting 'net40'"), 1, "net index above 31");
	is_int((long long)problems_with(vm, "only allowed in [PENDING]"), 1, "delete outside pending");
	is_int((long long)problems_with(vm, "net0 is defined twice"), 1, "duplicate NIC key");
	is_int((long long)problems_with(vm, "invalid key 'queue'"), 1, "bad NIC line");
	is_int((long long)problems_with(vm, "'-bad' is not a valid tag"), 1, "bad tag");
	is_int((long long)problems_with(vm, "onboot"), 0, "CRLF: the trailing CR is whitespace");
	is_int((long long)vm->nnics, 1, "the broken net1 is dropped, the later net0 kept");
	is_str(vm->nics[0].mac.raw, "BC:24:11:00:00:09", "the later net0 wins");
	is_int((long long)vm->ntags, 1, "only the valid tag is kept");
	vnl_vm_free(vm);
}

static void test_pending(void)
{
	struct vnl_vm *vm = pve_vm("101",
		"cores: 4\n"
		"net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n"
		"net1: virtio=BC:24:11:00:00:02,bridge=vmbr1\n"
		"net2: virtio=BC:24:11:00:00:03,bridge=vmbr2\n"
		"\n"
		"[PENDING]\n"
		"cores: 8\n"
		"delete: net2\n"
		"net0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n"
		"net1: virtio=BC:24:11:00:00:02,bridge=vmbr1,queues=8\n"
		"net3: virtio=BC:24:11:00:00:04,bridge=vmbr3,queues=2\n");
	struct vnl_vm *p = vm->pending;

	ok(p != NULL, "a pending view exists");
	if (!p) {
		vnl_vm_free(vm);
		return;
	}
	is_int((long long)vm->nnics, 3, "the current VM keeps its three NICs");
	ok(VNL_SET(vm->nics[0].queues), "current net0 still has queues");
	ok(vm->nics[0].pending == VNL_PENDING_CHANGED, "net0 is marked as changed");
	ok(vm->nics[2].pending == VNL_PENDING_DELETED, "net2 is marked for deletion");
	is_int(vm->nics[0].pending_loc.line, 9, "where the pending value is");
	is_int((long long)p->nnics, 3, "pending view: net0, net1, net3 (net2 deleted)");
	ok(!VNL_SET(vnl_vm_find_nic(p, "net0")->queues), "pending net0 has no queues");
	is_int(vnl_vm_find_nic(p, "net1")->queues.value, 8, "pending net1 has queues=8");
	ok(vnl_vm_find_nic(p, "net3") != NULL, "pending adds net3");
	is_int(p->vcpus.value, 8, "pending cores change the vCPU count");
	is_int(vm->vcpus.value, 4, "current vCPU count unchanged");
	vnl_vm_free(vm);
}

static void test_tree(void)
{
	struct pve_conf_hint h;
	char buf[256];

	pve_tree_hint("/etc/pve/nodes/pve2/qemu-server/104.conf", &h, buf, sizeof(buf));
	is_str(h.vmid, "104", "vmid from <vmid>.conf");
	is_str(h.node, "pve2", "node from nodes/<node>/qemu-server");
	pve_tree_hint("configs/bootorder.conf", &h, buf, sizeof(buf));
	is_str(h.vmid, "bootorder", "a non-numeric name identifies the VM by its stem");
	ok(h.node == NULL, "no node outside the pmxcfs layout");
	ok(pve_tree_wants("/x/qemu-server/1.conf", "1.conf"), "qemu configs are wanted");
	ok(!pve_tree_wants("/x/nodes/a/lxc/200.conf", "200.conf"), "containers are not");
	ok(!pve_tree_wants("/etc/pve/corosync.conf", "corosync.conf"), "corosync.conf is not");
	ok(!pve_tree_wants("/x/a.xml", "a.xml"), "other files are not (yet)");
}

int main(void)
{
	test_basic();
	test_vcpus();
	test_sections();
	test_bad_lines();
	test_pending();
	test_tree();
	return done_testing();
}
