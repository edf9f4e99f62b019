#!/bin/sh
# The network and firewall files of a pmxcfs tree (nodes/<node>/interfaces,
# sdn/*.cfg, firewall/*.fw) are read before its VMs; a bad value in them is
# one line naming file:line:col, the scan goes on, and the exit code is 3.
. "$SRCDIR/tests/cli/lib.sh"

F="$SRCDIR/tests/fixtures/pve-net"

# VNL000 only: the rules that read the network grow; this test is about
# reading the files.
run scan --select VNL000 "$F"
is_rc 0 "the good tree scans cleanly"
hasnt err 'error:' "no input errors for the good network and firewall files"
has err 'pve1/interfaces:31:8: note: source .*/etc/network/interfaces\.d/\*. is not followed' \
	"a source line is a note naming its place"
has out 'in 3 VMs$' "every VM is scanned"

run scan -q --select VNL000 "$F"
hasnt err 'note:' "-q leaves the notes out"

# A broken copy: one bad value in each kind of file.
B="$TMP/broken"
cp -R "$F" "$B"
sed -i '28s/mtu 9000/mtu abc/' "$B/nodes/pve1/interfaces"
sed -i '12s/mtu 1400/mtu 99999/' "$B/sdn/zones.cfg"
printf '\nvnet: lost\n\tzone nozone\n' >>"$B/sdn/vnets.cfg"
sed -i '3s/enable: 1/enable: yes/' "$B/firewall/cluster.fw"
sed -i '4s/macfilter: 0/macfilter: off/' "$B/firewall/101.fw"

run scan --select VNL000 "$B"
is_rc 3 "bad values in network or firewall files exit 3"
has err "^$B/nodes/pve1/interfaces:28:6: error: vmbr1: mtu 'abc' is not a number" \
	"interfaces: file:line:col and the value"
has err "^$B/sdn/zones.cfg:12:6: error: zone evz1: mtu '99999' is not an MTU" \
	"zones.cfg: an MTU out of range"
has err "^$B/sdn/vnets.cfg:14:7: error: vnet lost: zone 'nozone' is not defined in zones.cfg" \
	"vnets.cfg: a vnet whose zone is missing"
has err "^$B/firewall/cluster.fw:3:9: error: enable: 'yes' is not a number" \
	"cluster.fw: a bad enable"
has err "^$B/firewall/101.fw:4:12: error: macfilter: 'off' is not 0 or 1" \
	"101.fw: a bad macfilter, read with VM 101"
lines err ': error: ' 5 "each problem once"
has out 'in 3 VMs' "the scan goes on: every VM is still scanned"

run scan --select VNL000 "$B/nodes/pve1/qemu-server/101.conf"
is_rc 3 "one VM file of the tree also loads the tree's files"
has err "interfaces:28:6: error:" "the node's interfaces are read"
has err "101.fw:4:12: error:" "and the VM's firewall file"

run scan --select VNL000 "$B/nodes" "$B/nodes/pve2"
lines err 'zones.cfg:12:6: error:' 1 "a tree is loaded once however it is reached"

# --interfaces [NODE=]FILE
printf 'iface vmbr9 inet manual\n\tbridge-ports eno1\n\tmtu 12\n' >"$TMP/ifaces"
run scan --select VNL000 --interfaces "pve9=$TMP/ifaces" "$F/nodes/pve1/qemu-server/102.conf"
is_rc 3 "--interfaces files are read"
has err "^$TMP/ifaces:3:6: error: vmbr9: mtu 12 is outside 1280..65520" "and checked"
run scan --select VNL000 --interfaces "$TMP/missing" "$F"
is_rc 3 "a missing --interfaces file is an input error"
has err "^$TMP/missing: error: cannot open" "naming the file"
run scan --interfaces "" "$F"
is_rc 2 "an empty --interfaces is a usage error"
printf 'iface vmbr0 inet manual\n\tbridge-ports eno1\n' >"$TMP/ok"
run scan --select VNL000 --interfaces "$TMP/ok" --interfaces "pve1=$TMP/ok" "$F"
is_rc 0 "good --interfaces files, for all nodes and for one"

done_testing
