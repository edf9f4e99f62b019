#!/bin/sh
# Rules that compare VMs: VNL012 mtu-mismatch-l2, VNL031 ha-pair-drift,
# VNL032 duplicate-mac. Must fire and must not fire, on Proxmox and libvirt.
. "$SRCDIR/tests/cli/lib.sh"

T1="$TMP/t1/nodes/pve1/qemu-server"
mkdir -p "$T1"
cat >"$TMP/t1/nodes/pve1/interfaces" <<'IF'
auto vmbr1
iface vmbr1 inet manual
	bridge-ports eno2
	bridge-vlan-aware yes
	mtu 9000
IF
vm() { # vm VMID NAME NET... : a qm config with these net lines
	id=$1 name=$2
	shift 2
	{
		echo "cores: 1"
		echo "name: $name"
		n=0
		for net in "$@"; do
			echo "net$n: $net"
			n=$((n + 1))
		done
	} >"$T1/$id.conf"
}
vm 101 fw-a "virtio=BC:24:11:00:01:01,bridge=vmbr1,tag=10" "virtio=BC:24:11:00:01:02,bridge=vmbr1,tag=20"
vm 102 fw-b "virtio=BC:24:11:00:02:01,bridge=vmbr1,tag=10" "virtio=BC:24:11:00:02:02,bridge=vmbr1,tag=20,mtu=1500"
vm 103 app1 "virtio=BC:24:11:00:03:01,bridge=vmbr1,tag=10"
vm 104 app2 "virtio=BC:24:11:00:03:01,bridge=vmbr1,tag=30"
vm 105 app3 "e1000=BC:24:11:00:05:01,bridge=vmbr1,tag=40" "virtio=BC:24:11:00:05:02,bridge=vmbr1,tag=40,mtu=1500"
vm 106 app4 "virtio=BC:24:11:00:06:01,bridge=vmbr9,tag=10,mtu=1500"
vm 107 app5 "virtio=BC:24:11:00:07:01,bridge=vmbr9,tag=10"
vm 108 app6 "virtio=BC:24:11:00:08:01,bridge=vmbr1,tag=20"
cat >"$TMP/pairs.conf" <<'CONF'
[pair "edge"]
members = fw-a, fw-b
CONF

run scan --select VNL012,VNL031,VNL032 --config "$TMP/pairs.conf" "$TMP/t1"
is_rc 1 "cross-VM findings exit 1"
lines out '104.conf:3:7: error: VM 104 \(app2\) net0: MAC BC:24:11:00:03:01 is also used by VM 103 \(app1\) net0 .*103.conf:3\).*\[VNL032' 1 \
	"VNL032 fires on the second NIC with a MAC, naming the first and its place"
lines out '\[VNL032' 1 "VNL032 fires once for one duplicate"
lines out '102.conf:4:7: warning: VM 102 \(fw-b\) net1: MTU 1500 on vmbr1 VLAN 20, where 2 other NICs use 9000.*\[VNL012' 1 \
	"VNL012 fires on the NIC that leaves its segment's MTU"
lines out '105.conf.*\[VNL012' 0 "VNL012 does not fire when the segment agrees (e1000 1500 and mtu=1500)"
lines out '10[67].conf.*\[VNL012' 0 "VNL012 does not fire when the bridge MTU is unknown"
lines out '102.conf:4:7: warning: VM 102 \(fw-b\) net1: MTU differs from its HA peer VM 101 \(fw-a\) \(pair .edge.\): 1500 vs 9000 \[VNL031' 1 \
	"VNL031 fires on the pair member whose NIC drifted"
lines out '\[VNL031' 1 "VNL031 fires once"

# pairs from tags, and NIC sets
vm 101 fw-a "virtio=BC:24:11:00:01:01,bridge=vmbr1,tag=10" "virtio=BC:24:11:00:01:02,bridge=vmbr1,tag=20"
printf 'tags: pair-dc1\n' >>"$T1/101.conf"
vm 102 fw-b "virtio=BC:24:11:00:02:01,bridge=vmbr1,tag=10"
printf 'tags: pair-dc1\n' >>"$T1/102.conf"
run scan --select VNL031 "$TMP/t1"
has out 'VM 102 \(fw-b\) net0: NIC set differs from its HA peer VM 101 \(fw-a\) \(pair .dc1.\): VM 101 \(fw-a\) has net1' \
	"a pair-NAME tag makes a pair; a missing NIC is drift"
run scan --select VNL031 --no-config "$TMP/t1"
vm 102 fw-b "virtio=BC:24:11:00:02:01,bridge=vmbr1,tag=10" "virtio=BC:24:11:00:02:02,bridge=vmbr1,tag=20"
printf 'tags: pair-dc1\n' >>"$T1/102.conf"
run scan --select VNL031 "$TMP/t1"
is_rc 0 "VNL031 does not fire on identical members"

# libvirt: duplicate MACs between domain files
mkdir -p "$TMP/lv"
for n in a b; do
	cat >"$TMP/lv/$n.xml" <<XML
<domain type='kvm'><name>dom-$n</name><vcpu>1</vcpu><devices>
<interface type='bridge'><mac address='52:54:00:aa:bb:cc'/><source bridge='br0'/><model type='virtio'/></interface>
</devices></domain>
XML
done
run scan --select VNL032 "$TMP/lv"
lines out 'b.xml:2:[0-9]+: error: VM dom-b net0 \(52:54:00:aa:bb:cc\): MAC 52:54:00:aa:bb:cc is also used by VM dom-a' 1 \
	"VNL032 fires between libvirt domains (labels carry the MAC)"
run scan --select VNL032 --format junit "$TMP/lv"
is_rc 1 "JUnit: the cross-VM finding fails the scan"
has out '<testsuite name="vmnetlint" tests="2" failures="1"' "JUnit counts the VM with a cross-VM finding as failed"
awk '/<testcase name="VM dom-b"/ { inb = 1 } /<\/testcase>/ { inb = 0 }
	inb && /type="VNL032"/ { found = 1 } END { exit !found }' "$TMP/out"
ok $? "JUnit puts the VNL032 failure in dom-b's testcase"
sed -i 's/aa:bb:cc/aa:bb:cd/' "$TMP/lv/b.xml"
run scan --select VNL032 "$TMP/lv"
is_rc 0 "VNL032 does not fire on distinct MACs"

done_testing
