#!/bin/sh
# The journal of --fix runs (src/write/journal.h) and stale temp files
# (src/write/stale_tmp.h): an interrupted run is reported first by scan,
# --fix and backups; backups --run and restore --run work on one run; a
# later completed --fix or restore --run acknowledges it. Temp files of a
# killed vmnetlint are noted by scan and removed by --fix; a temp file
# whose PID runs, one of another pmxcfs node and anything that does not
# follow the pattern are left alone.
. "$SRCDIR/tests/cli/lib.sh"

Q=nodes/pve1/qemu-server
W="$TMP/t"
BK="$TMP/bk"
ORIG="$SRCDIR/tests/fixtures/fix/pve/$Q"
cp -R "$SRCDIR/tests/fixtures/fix/pve" "$W"
ARGS="--no-config --backup-dir $BK --lock-dir $TMP/lk"

run scan $ARGS --fix --yes "$W"
J=$(ls "$BK"/run-*.journal)
RUN=${J##*/run-}
RUN=${RUN%.journal}
[ -n "$RUN" ] && [ "$(ls "$BK"/run-*.journal | wc -l)" -eq 1 ]
ok $? "a --fix run keeps one journal in the backup directory ($RUN)"
[ "$(stat -c %a "$J")" = 600 ]
ok $? "readable by its owner only"
grep -q '"event":"finished"' "$J"
ok $? "a completed run is marked finished"
n=$(grep -c "\"event\":\"changed\"" "$J"); [ "$n" -eq 4 ]; ok $? "it names the VMs it changed ($n)"
run scan $ARGS "$W"
hasnt err "interrupted" "a finished run is not reported"

# an interrupted run: no "finished"; 204's "changed" line lost (the kill
# came between its rename and the record); 205 back as it was, its
# "changed" line gone too (the kill came before its rename)
grep -v -e '"event":"finished"' -e '"event":"changed".*20[45]\.conf' "$J" >"$TMP/j" && cat "$TMP/j" >"$J"
cp "$ORIG/205.conf" "$W/$Q/205.conf"
run scan $ARGS "$W"
is_rc 1 "scan with an interrupted run in the store (exit by the findings)"
has err "^$J: note: an earlier --fix \(run $RUN, started [0-9T:-]+Z\) was interrupted: 3 VMs changed, 1 not" \
	"scan reports it as a note: changed and not, with 204 settled by its content"
has err "these need a cold start \(shut down, then start\): VM 201 \(fw-crlf\), VM 203 \(edge-router\);" \
	"and names the VMs that need a cold start (not the template)"
head -n1 "$TMP/err" | grep -q "was interrupted"
ok $? "first, before anything else"
run scan $ARGS --format json "$W"
has out '"message": "an earlier --fix \(run '"$RUN" "JSON carries it in notes"

run backups --backup-dir "$BK"
head -n1 "$TMP/out" | grep -q "^an earlier --fix (run $RUN, started .*) was interrupted: 3 VMs changed, 1 not"
ok $? "backups reports it first"
has out "'vmnetlint restore --run $RUN' undoes it" "with the way back"
run backups --backup-dir "$BK" --run "$RUN"
is_rc 0 "backups --run ID"
lines out "^    run: $RUN$" 4 "lists the run's backups"
has out "^4 backups of run $RUN in $BK$" "and counts them"
run backups --backup-dir "$BK" --run nosuch
has out "^0 backups of run nosuch" "another run has none"

run restore --backup-dir "$BK" --run "$RUN" "$J"
is_rc 2 "restore takes backups or --run, not both"
run restore --backup-dir "$BK" --lock-dir "$TMP/lk" --run nosuch
is_rc 4 "restore --run of an unknown run"
has err "no such run" "says so"
run restore --backup-dir "$BK" --lock-dir "$TMP/lk" --run "$RUN"
is_rc 0 "restore --run undoes the run"
has out "^run $RUN: 4 backups restored or already in place; its journal is acknowledged$" "as a whole"
for f in 201 202 203 204 205; do
	cmp -s "$ORIG/$f.conf" "$W/$Q/$f.conf" || echo "# $f.conf differs"
done >"$TMP/cmp"
[ ! -s "$TMP/cmp" ]
ok $? "every file is byte-identical to its original"
grep -q '"event":"acknowledged","by":"restore --run"' "$J"
ok $? "the journal records the acknowledgement"
run scan $ARGS "$W"
hasnt err "interrupted" "and the run is no longer reported"

# a later completed --fix acknowledges an interrupted run it reported
grep -v -e '"event":"acknowledged"' "$J" >"$TMP/j" && cat "$TMP/j" >"$J"
run scan $ARGS --fix --yes "$W"
has err "was interrupted" "--fix reports the interrupted run first"
has out "^the interrupted --fix run $RUN is acknowledged by this run and no longer reported" \
	"and acknowledges it once it completed"
run backups --backup-dir "$BK"
hasnt out "interrupted" "backups no longer reports it"
lines out "^    run: " 8 "each backup names its run"

# stale temp files: only vmnetlint's own pattern, only when the PID is gone
cp "$ORIG"/*.conf "$W/$Q/"
dead=$(sh -c 'echo $$')
while kill -0 "$dead" 2>/dev/null; do dead=$((dead + 1)); done
echo half >"$W/$Q/.201.conf.vnl-tmp.$dead.7"
echo half >"$BK/.pve-file_201_x.conf.vnl-tmp.$dead.0"
echo live >"$W/$Q/.203.conf.vnl-tmp.$$.1"
for other in ".201.conf.tmp.$dead" ".201.conf.vnl-tmp.$dead" ".201.conf.vnl-tmp.x.1" \
	"201.conf.vnl-tmp.$dead.1" ".vnl-tmp.$dead.1" ".201.conf.vnl-tmp.$dead.1.bak"; do
	echo other >"$W/$Q/$other"
done
mkdir "$W/$Q/.202.conf.vnl-tmp.$dead.2"
run scan $ARGS "$W"
has err "^$W/$Q/.201.conf.vnl-tmp.$dead.7: note: a temporary file of a vmnetlint that was killed \(PID $dead is gone\); the next --fix removes it$" \
	"scan notes a stale temp file, naming it"
has err "^$BK/.pve-file_201_x.conf.vnl-tmp.$dead.0: note: a temporary file of a vmnetlint that was killed" \
	"and one in the backup store"
has err "^$W/$Q/.203.conf.vnl-tmp.$$.1: note: .*whose writer \(PID $$\) still runs; left alone$" \
	"a temp file whose PID runs is noted as left alone"
lines err "note: a temporary file" 3 "nothing else is taken for one"
run scan $ARGS --diff "$W"
[ -e "$W/$Q/.201.conf.vnl-tmp.$dead.7" ]
ok $? "--diff removes nothing"
run scan $ARGS --fix --yes "$W"
has out "^removed $W/$Q/.201.conf.vnl-tmp.$dead.7: a temporary file of a vmnetlint that was killed$" \
	"--fix removes the stale temp file"
[ ! -e "$W/$Q/.201.conf.vnl-tmp.$dead.7" ] && [ ! -e "$BK/.pve-file_201_x.conf.vnl-tmp.$dead.0" ]
ok $? "next to the config and in the store"
[ "$(cat "$W/$Q/.203.conf.vnl-tmp.$$.1")" = live ]
ok $? "a temp file whose PID runs is left alone"
n=0
for other in ".201.conf.tmp.$dead" ".201.conf.vnl-tmp.$dead" ".201.conf.vnl-tmp.x.1" \
	"201.conf.vnl-tmp.$dead.1" ".vnl-tmp.$dead.1" ".201.conf.vnl-tmp.$dead.1.bak"; do
	[ "$(cat "$W/$Q/$other")" = other ] && n=$((n + 1))
done
[ "$n" -eq 6 ] && [ -d "$W/$Q/.202.conf.vnl-tmp.$dead.2" ]
ok $? "files that do not follow the pattern, and a directory that does, are never touched"

# pmxcfs: a temp file in another node's directory is that node's to judge
P="$TMP/pve"
me=$(hostname -s 2>/dev/null || hostname)
mkdir -p "$P/nodes/$me/qemu-server" "$P/nodes/other-node/qemu-server"
cp "$ORIG/201.conf" "$P/nodes/$me/qemu-server/"
cp "$ORIG/203.conf" "$P/nodes/other-node/qemu-server/"
echo half >"$P/nodes/$me/qemu-server/.201.conf.vnl-tmp.$dead.1"
echo half >"$P/nodes/other-node/qemu-server/.203.conf.vnl-tmp.$dead.1"
VMNETLINT_TEST_PMXCFS_ROOT="$P" run scan $ARGS "$P"
has err "other-node/qemu-server/.203.conf.vnl-tmp.$dead.1: note: a temporary file of vmnetlint on another node" \
	"pmxcfs: a temp file of another node is noted as that node's"
VMNETLINT_TEST_PMXCFS_ROOT="$P" run scan $ARGS --fix --yes --vm 201 "$P"
[ ! -e "$P/nodes/$me/qemu-server/.201.conf.vnl-tmp.$dead.1" ]
ok $? "pmxcfs: --fix removes a stale temp file of this node"
[ -e "$P/nodes/other-node/qemu-server/.203.conf.vnl-tmp.$dead.1" ]
ok $? "pmxcfs: and leaves the other node's alone"

# a journal that cannot be written: nothing changes
cp "$ORIG"/*.conf "$W/$Q/"
tree_sums() { (cd "$1" && find . -type f ! -name '.*' | LC_ALL=C sort | xargs -r cksum); }
tree_sums "$W" >"$TMP/before"
mkdir -p "$TMP/ro" && chmod 0500 "$TMP/ro"
if [ "$(id -u)" -ne 0 ]; then
	run scan --no-config --backup-dir "$TMP/ro" --lock-dir "$TMP/lk" --fix --yes "$W"
	is_rc 4 "a store where the journal cannot be written"
	tree_sums "$W" >"$TMP/after"
	cmp -s "$TMP/before" "$TMP/after"
	ok $? "changes nothing"
fi
chmod 0700 "$TMP/ro"

done_testing
