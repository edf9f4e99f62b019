#!/bin/sh
# libvirt as a source: domain XML files mixed with Proxmox configs, refused
# and broken XML, files that are not domains, and live test:/// connections
# (research/libvirt.md 4). libvirt and libxml2 must print nothing of their own.
. "$SRCDIR/tests/cli/lib.sh"

L="$SRCDIR/tests/fixtures/libvirt"
P="$SRCDIR/tests/fixtures/pve"
NODE="test://$L/node/node.xml"
unset LIBVIRT_DEFAULT_URI

no_leak() { # no_leak DESCRIPTION: nothing but our own lines on stderr
	hasnt err '^libvirt:|I/O warning|parser error|Entity|^ *\^' "$1: no libvirt/libxml2 output"
}

# ---- files --------------------------------------------------------------------
run scan "$L/domains" "$P/clean"
is_rc 1 "domain XML and qm configs in one scan"
has out 'in 6 VMs$' "4 domains and 2 qm configs"
has out '^.*/domains/fw-a.xml:26:28: error: VM fw-a net0 \(52:54:00:[0-9a-f:]+\): virtio queues=4 .*\[VNL001 pfsync-multiqueue\]$' \
	"VNL001 on libvirt, at queues= of the first <driver>"
lines out '\[VNL001 ' 2 "VNL001 on both multiqueue NICs of fw-a"
has out 'because firewall: metadata role .firewall.' "metadata roles are evidence"
has out 'OS freebsd14.0 \(libosinfo\)' "the libosinfo id is evidence"
lines out 'warning: VM fw-a net[0-2] \(52:54:00:a1:00:0[1-3]\): virtio offloads on .*\[VNL002' 3 \
	"VNL002 on every virtio NIC of the firewall, with its MAC"
has out 'fix: set guest csum=off on net0, .*set host ufo=off on net0$' "VNL002's edit"
hasnt out 'fw-b.xml' "no finding on the firewall with offloads off and no queues"
has out 'web01.xml:19:15: warning: .*<driver name=.qemu.>.*\[VNL004 vhost-disabled\]' "VNL004"
has out 'web01.xml:19:38: error: .*rx_queue_size=.300.*\[VNL005 ring-size\]' "VNL005 error"
has out 'web01.xml:19:58: warning: .*tx_queue_size=.1024. is ignored.*\[VNL005 ring-size\]' \
	"VNL005 warning"
has out 'web01.xml:20:15: warning: .*<host csum=.off.> but tso4, tso6, ecn, ufo.*\[VNL003' "VNL003"
hasnt out 'web01.*VNL00[12]' "no firewall rules on the Debian VM"
lines out 'broken.xml:[0-9]+:[0-9]+: error: .*\[VNL000 config-parse\]' 4 \
	"four VNL000 errors on broken.xml, each with line and column"
has out 'broken.xml:15:14: error: .*vlan tag id 5000 too large' "vlan tag > 4095"
has out 'broken.xml:10:12: error: .*found multicast' "multicast MAC"
has out "broken.xml:13:15: error: .*<driver queues='abc'>" "queues='abc'"
has out "broken.xml:17:12: error: .*<mtu size='abc'>" "mtu size 'abc'"
has out '101.conf:3:7: info: .*hw.vtnet.csum_disable=1.*\[VNL002' \
	"the Proxmox firewall gets VNL002's guest-side note"
no_leak "files"

# ---- refused, broken, skipped -------------------------------------------------
run scan "$L/bad" "$L/domains/fw-b.xml"
is_rc 3 "refused or broken XML exits 3"
has err 'billion-laughs.xml:3: error: the DOCTYPE declares entity .lol.; .*refused' \
	"billion laughs: refused at the first entity declaration"
has err 'xxe.xml:3: error: the DOCTYPE declares entity .secret.' "XXE: refused"
hasnt err 'root:' "nothing of /etc/passwd"
hasnt out 'root:' "nothing of /etc/passwd on stdout either"
has err 'external-dtd.xml:2: error: .*external DTD' "an external DTD is refused, not fetched"
has err 'malformed.xml:5: error: not well-formed XML: Opening and ending tag mismatch' \
	"malformed XML: file:line and libxml2's reason"
lines err ': error: ' 4 "one line per bad file"
has out 'in 1 VM; 4 inputs could not be read$' "the good file is still scanned"
no_leak "bad XML"

run scan "$L/other" "$L/networks"
is_rc 0 "a file that is not a domain is no error"
has err 'capabilities.xml: note: root element <capabilities> is not a libvirt <domain>' \
	"a note names it"
hasnt err 'default.xml' "a <network> is read silently"
has out 'in 0 VMs$' "neither is a VM"

run scan -q "$L/other"
hasnt err 'note' "-q leaves notes out"

run scan "$L/node/node.xml"
has err 'node.xml: note: a libvirt test-driver node file.*--connect' \
	"a node file given as PATH points at --connect"

printf '<domain type="kvm"><name>noext</name><devices/></domain>\n' >"$TMP/noext"
run scan "$TMP/noext"
has out 'in 1 VM$' "a named file is XML by content, whatever its name"

mkdir -p "$TMP/etc/qemu/autostart" "$TMP/etc/qemu/networks"
cp "$L/domains/fw-b.xml" "$TMP/etc/qemu/"
ln -s ../fw-b.xml "$TMP/etc/qemu/autostart/fw-b.xml"
cp "$L/networks/default.xml" "$TMP/etc/qemu/networks/"
printf 'not xml' >"$TMP/etc/qemu/notes.txt"
run scan "$TMP/etc"
has out 'in 1 VM$' "/etc/libvirt layout: autostart links are not scanned twice"
is_rc 0 "and it is clean"

# ---- live: test:/// ---------------------------------------------------------------
run scan --connect "$NODE"
is_rc 1 "a test:/// node scans (findings: exit 1)"
has out 'in 4 VMs$' "every domain: running, shut off and transient"
has out "^test://$L/node/node.xml#fw-live:27:28: error: VM fw-live net0 \\(52:54:00:[0-9a-f:]+\\): virtio queues=4 .*\\[VNL001" \
	"origin <uri>#<name>, lines of the dumped XML"
has out '#fw-live:[0-9]+:[0-9]+: warning: .*\[VNL002' "VNL002 live"
has out '#web-live:[0-9]+:[0-9]+: warning: .*\[VNL003' "VNL003 live"
has out '#web-live:[0-9]+:[0-9]+: warning: .*\[VNL004' "VNL004 live"
has out '#web-live:[0-9]+:[0-9]+: error: .*\[VNL005' "VNL005 live"
hasnt out '#(db-off|scratch)' "nothing on the clean shut-off and transient domains"
no_leak "live"
grep -c '\[VNL0' "$TMP/out" >"$TMP/live.count"
run map --fail-on never --connect "$NODE"
lines out '<span class="k">libvirt-live' 4 "map --connect draws every live domain"
[ "$(grep -c '<li class="f ' "$TMP/out")" -eq "$(cat "$TMP/live.count")" ]
ok $? "with every finding of the text report"

run scan -c "$NODE" "$L/domains/fw-b.xml" --select VNL001
is_rc 1 "-c and a PATH together"
has out 'in 5 VMs$' "both are scanned"

run scan -c "$NODE" -c "$NODE" --select VNL001 -q
lines out '\[VNL001' 2 "--connect is repeatable"

export LIBVIRT_DEFAULT_URI="$NODE"
run scan --select VNL001
unset LIBVIRT_DEFAULT_URI
is_rc 1 "no PATH and no --connect: \$LIBVIRT_DEFAULT_URI is scanned"
has out '#fw-live:' "its domains are reported"

run scan -c "test://$TMP/missing-node.xml" "$P/clean/100.conf"
is_rc 3 "a connection that fails exits 3"
lines err ': error: ' 1 "with one line"
has err "^test://$TMP/missing-node.xml: error: cannot connect \\(read-only\\): " \
	"naming the URI"
has out 'in 1 VM; 1 input could not be read$' "and the rest is scanned"
no_leak "failed connection"

run scan -c 'test:///' --select VNL001
is_rc 3 "test:/// without a path"
has err '^test:///: error: cannot connect.*supply a path' "libvirt's reason, once"
no_leak "test:///"

run scan --connect
is_rc 2 "--connect needs a URI"

run --help
has out '-c, --connect URI' "--connect is in the usage text"

done_testing
