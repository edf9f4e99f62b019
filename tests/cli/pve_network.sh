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

# ---- a pmxcfs tree whose context cannot be read: notes, not errors ------------------------------
# (a symbolic link loop: unreadable even for root, who ignores file modes)
CTX="$TMP/ctx"
mkdir -p "$CTX"
cp -R "$SRCDIR/tests/pveapi/fixtures/basic/." "$CTX/"
run scan --no-config "$CTX"
BASE_RC=$RC
loop() { rm -f "$CTX/$1"; ln -s "$(basename "$1")" "$CTX/$1"; }
loop firewall/cluster.fw
loop firewall/101.fw
ln -s 102.fw "$CTX/firewall/102.fw"
loop sdn/vnets.cfg
loop nodes/pve1/interfaces
run scan --no-config "$CTX"
[ "$RC" -eq "$BASE_RC" ]
ok $? "unreadable firewall, SDN and interfaces files: the exit follows the findings ($RC, want $BASE_RC)"
hasnt err 'error:' "no error"
for f in firewall/cluster.fw sdn/vnets.cfg nodes/pve1/interfaces; do
	lines err "^$CTX/$f: note: cannot open: .*scanned without it \\(context" 1 "$f: one note"
done
lines err 'firewall/10[12]\.fw: note: cannot open' 1 "the VMs' firewall files of node pve1: one note, not one per VM"
has err 'note: VNL013 pfsync-mtu: not checked: node network of node pve1 unavailable' \
	"VNL013 says it could not check pve1's bridges"
hasnt out 'VNL013' "instead of a finding on a guessed MTU"
run scan --no-config --format json "$CTX"
command -v python3 >/dev/null 2>&1 && python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if any("cluster.fw" in n["origin"] for n in d["notes"]) and
         not any("cluster.fw" in json.dumps(f) for f in d["findings"]) else 1)' "$TMP/out"
ok $? "JSON: a note, not a finding"
run scan --no-config --interfaces "$CTX/nodes/pve1/interfaces" "$CTX"
is_rc 3 "an --interfaces FILE that cannot be read stays an input error"

done_testing
