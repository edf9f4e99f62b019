#!/bin/sh
# Inputs: files and directories, bad files, colour, symlink loops.
. "$SRCDIR/tests/cli/lib.sh"

F="$SRCDIR/tests/fixtures/pve"

run scan "$F/clean/100.conf"
is_rc 0 "a single file"
has out 'in 1 VM$' "one VM"

mkdir -p "$TMP/tree/nodes/n1/qemu-server" "$TMP/tree/nodes/n1/lxc" "$TMP/tree/sub"
cp "$F/clean/100.conf" "$TMP/tree/nodes/n1/qemu-server/100.conf"
cp "$F/clean/100.conf" "$TMP/tree/nodes/n1/lxc/100.conf"
cp "$F/clean/100.conf" "$TMP/tree/nodes/n1/qemu-server/.100.conf.swp"
printf 'not a config' >"$TMP/tree/README"
ln -s .. "$TMP/tree/sub/loop"
run scan "$TMP/tree"
has err 'loop: error: symbolic link loop' "a symlink loop is reported, not followed"
has out 'in 1 VM' "only the qemu config is scanned (not lxc, hidden or other files)"
is_rc 3 "the loop counts as an unreadable input"

cp "$F/clean/100.conf" "$TMP/unreadable.conf"
chmod 000 "$TMP/unreadable.conf"
if [ "$(id -u)" -ne 0 ]; then
	run scan "$TMP/unreadable.conf" "$F/clean"
	is_rc 3 "an unreadable file exits 3"
	has err 'unreadable.conf: error: cannot open: Permission denied' "names file and reason"
fi
chmod 644 "$TMP/unreadable.conf"

printf 'name: crlf\r\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0\r\n' >"$TMP/crlf.conf"
run scan "$TMP/crlf.conf"
is_rc 0 "CRLF line ends are accepted like PVE does"

printf 'name: nul\nnet0: virtio=BC:24:11:00:00:01,bri\000dge=vmbr0\n' >"$TMP/nul.conf"
run scan "$TMP/nul.conf"
has out 'nul.conf:2:1: warning: .*NUL byte' "a NUL byte is reported with its place"

run scan --color=always "$SRCDIR/examples"
has out "$(printf '\033')\\[1;31merror" "--color=always colours severities"
run scan "$SRCDIR/examples"
hasnt out "$(printf '\033')" "no colour when stdout is not a terminal"
NO_COLOR=1 run scan --color=auto "$SRCDIR/examples"
hasnt out "$(printf '\033')" "NO_COLOR is honoured"

done_testing
