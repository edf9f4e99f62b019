#!/bin/sh
# scan --diff / --fix on libvirt: domain XML files (only the edited
# <interface> changes, by text: comments, quotes, tabs and CRLF stay) and a
# live test:/// connection (the definition is redefined with its secrets,
# which never show; research/libvirt.md 3.4, 3.5, 3.7).
. "$SRCDIR/tests/cli/lib.sh"
. "$SRCDIR/tests/cli/fix_lib.sh"

FX="$SRCDIR/tests/fixtures/fix/libvirt"
W="$TMP/lv"
cp -R "$FX" "$W"
ARGS="--no-config --backup-dir $TMP/bk --lock-dir $TMP/lk"

# ---- files ----------------------------------------------------------------------
run scan $ARGS --diff "$W"
is_rc 1 "--diff on XML files exits as the scan"
has out "^--- $W/fw-tabs.xml$" "a diff for fw-tabs.xml"
has out '^\+			<driver name="vhost">$' "an empty <driver/> opened, with tabs and double quotes"
has out '^\+				<host csum="off" tso4="off" tso6="off" ecn="off" ufo="off"/>$' \
	"a new child indented one tab deeper"
has out "^\+      <driver rx_queue_size='256' queues='2'/>.$" "CRLF file: the edited line keeps its CR"

run scan $ARGS --fix --yes "$W"
is_rc 0 "--fix --yes: every finding fixed, nothing remains (exit 0)"
has out "^VM fw-tabs: changed $W/fw-tabs.xml" "fw-tabs changed"
has out "libvirt uses it once it is defined again \(virsh define FILE\)" "when an XML file takes effect"
all_changed_ok "$FX" "$W"
ok $? "a line diff shows only lines inside <interface> elements changed ($CHECKED files)"
[ -s "$TMP/badfiles" ] && sed 's/^/#   /' "$TMP/badfiles"
grep -q '<!-- hand-written: tabs, double quotes, comments -->' "$W/fw-tabs.xml" &&
	grep -q '<!-- WAN -->' "$W/fw-tabs.xml"
ok $? "comments stay"
[ -n "$(tail -c1 "$W/router-crlf.xml")" ] && [ "$(grep -c "$(printf '\r')\$" "$W/router-crlf.xml")" -eq 11 ]
ok $? "router-crlf.xml keeps CRLF on every line and no newline at the end"
run scan --no-config "$W"
is_rc 0 "a scan of the fixed files finds nothing"

sums=$(tree_sums "$W")
run scan $ARGS --fix --yes "$W"
[ "$sums" = "$(tree_sums "$W")" ]
ok $? "a second --fix changes nothing"
run restore --backup-dir "$TMP/bk" "$TMP/bk"/libvirt-xml_*.meta.json
is_rc 0 "restore the XML files"
diff -r "$FX" "$W" >/dev/null
ok $? "byte-identical to the fixtures again"

# ---- a live connection ------------------------------------------------------------------
NODE="$TMP/node.xml"
cp "$SRCDIR/tests/fixtures/fix/node/node.xml" "$NODE"
URI="test://$NODE"
run scan $ARGS --diff -c "$URI"
is_rc 1 "--diff on a connection"
has out "^--- $URI#fw-node$" "the diff names the domain as URI#name"
has out "^-      <driver name='vhost' queues='4'>$" "the old <driver>"
has out "^\+      <driver name='vhost'>$" "the new <driver>"
hasnt out "vnc-s3cret" "the VNC password is never shown (the diff is of the definition without secrets)"

run scan $ARGS --fix --yes -c "$URI"
is_rc 0 "--fix --yes on a connection"
has out "^VM fw-node: changed $URI#fw-node" "fw-node redefined"
has out "^    fixed: VNL001 net0: remove queues from net0" "and read back: the fix is there"
has out "the running guest keeps its NICs until a cold restart" "a running domain needs a cold restart"
has out "^VM web-node: changed" "web-node redefined"
has out "the VM is stopped and its next start uses it" "a stopped domain does not"
has out "^restart: 1 VM needs a cold start" "one VM to restart"
cat "$TMP/out" "$TMP/err" | grep -q "vnc-s3cret"
[ $? -ne 0 ]
ok $? "no output shows the password"
b=$(ls "$TMP/bk"/libvirt-live_fw-node_*.xml 2>/dev/null | head -n1)
[ -n "$b" ] && grep -q "passwd='vnc-s3cret-never-shown'" "$b" && [ "$(stat -c %a "$b")" = 600 ]
ok $? "the backup holds the whole definition, secrets included (VIR_DOMAIN_XML_SECURE), mode 0600"
run backups --backup-dir "$TMP/bk"
has out "libvirt-live +fw-node" "backups lists the live backup"
# the journal of the run (src/write/journal.h): a redefine changes no local
# file, but which domains changed, and how, is journaled all the same
J=$(ls -t "$TMP/bk"/run-*.journal | head -n1)
grep -q '"event":"changed","label":"VM fw-node","origin":"test://.*#fw-node".*"effect":"restart"' "$J" &&
	grep -q '"event":"changed","label":"VM web-node".*"effect":"next-start"' "$J" &&
	grep -q '"event":"finished"' "$J"
ok $? "the journal names both domains with their effect (restart, next start)"
# test:///FILE state is private to each connection (libvirt.md 3.7): a new
# one sees the file as it is, which is what the backup holds
run restore --backup-dir "$TMP/bk" "$TMP/bk"/libvirt-live_fw-node_*.meta.json
is_rc 0 "restore through a new connection"
has out "already holds" "which already holds the backed-up definition"

done_testing
