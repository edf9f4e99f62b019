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
hasnt out '110.conf' "no finding on the WireGuard router"
hasnt out 'lxc' "containers are not scanned as qemu VMs"
# the 2 info are VNL002's per-VM offload notes on the two OPNsense VMs
has out '^9 errors, 0 warnings, 2 info in 6 VMs$' "the summary counts findings and VMs"
cp "$TMP/out" "$TMP/first"
run scan examples/
cmp -s "$TMP/out" "$TMP/first"
ok $? "the output is the same on every run (sorted walk)"

run scan -q examples/
hasnt out '^ +(because|fix):' "-q prints findings only"
hasnt out 'errors, ' "-q prints no summary"
lines out '\[VNL0' 11 "-q still prints every finding"

run scan --select VNL000 examples/
lines out '\[VNL001' 0 "--select VNL000 leaves VNL001 out"
lines out '\[VNL000' 1 "--select VNL000 keeps VNL000"
run scan --ignore pfsync-multiqueue examples/
lines out '\[VNL001' 0 "--ignore by name"
run scan --ignore VNL0 examples/
is_rc 0 "--ignore by prefix leaves nothing"

done_testing
