#!/bin/sh
# The main job: scanning examples/ finds the OPNsense CARP pair's multiqueue.
. "$SRCDIR/tests/cli/lib.sh"

cd "$SRCDIR"

run scan examples/
is_rc 1 "scan of examples/ exits 1 (findings at warning or above)"
lines out 'error: VM 10[12] \(fw-opnsense-[ab]\) net[0-3]: virtio queues=4 .*\[VNL001 pfsync-multiqueue\]$' 8 \
	"VNL001 on all four NICs of both firewall VMs"
has out '^examples/cluster/nodes/pve1/qemu-server/101.conf:10:45: error: ' \
	"file:line:col points at queues= of net0"
has out 'because firewall: tag .opnsense.*pfsync: tag .carp.' "the evidence is named"
has out 'fix: remove queues from net0' "the proposed edit is shown"
has out '130.conf:7:45: error: VM 130 \(monitor01\) net1: invalid key .queue.* \[VNL000 config-parse\]' \
	"the broken net line is a VNL000 error with its place"
hasnt out '120.conf' "no finding on the Linux web VM with queues=8"
lines out '110.conf:[89]:7: info: VM 110 \(wg-gateway\) net[01]: one virtio queue on a 4-vCPU router.*\[VNL021' 2 \
	"the 4-vCPU WireGuard router gets VNL021 advice on both single-queue NICs"
hasnt out '110.conf.*(error|warning):' "but nothing worse"
hasnt out 'lxc' "containers are not scanned as qemu VMs"
# the 4 info: VNL002's offload notes on the two OPNsense VMs, VNL021 on the router
has out '^9 errors, 0 warnings, 4 info in 6 VMs$' "the summary counts findings and VMs"
cp "$TMP/out" "$TMP/first"
run scan examples/
cmp -s "$TMP/out" "$TMP/first"
ok $? "the output is the same on every run (sorted walk)"

run scan -q examples/
hasnt out '^ +(because|fix):' "-q prints findings only"
hasnt out 'errors, ' "-q prints no summary"
lines out '\[VNL0' 13 "-q still prints every finding"

run scan --select VNL000 examples/
lines out '\[VNL001' 0 "--select VNL000 leaves VNL001 out"
lines out '\[VNL000' 1 "--select VNL000 keeps VNL000"
run scan --ignore pfsync-multiqueue examples/
lines out '\[VNL001' 0 "--ignore by name"
run scan --ignore VNL0 examples/
is_rc 0 "--ignore by prefix leaves nothing"

done_testing
