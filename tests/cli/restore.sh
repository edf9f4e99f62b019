#!/bin/sh
# vmnetlint backups and vmnetlint restore: the listing and its states, the
# ways to name a backup, refusals (changed since the fix, gone, a damaged
# backup) and --force, which keeps what it overrides.
. "$SRCDIR/tests/cli/lib.sh"

Q=nodes/pve1/qemu-server
W="$TMP/t"
BK="$TMP/bk"
cp -R "$SRCDIR/tests/fixtures/fix/pve" "$W"
ARGS="--no-config --backup-dir $BK --lock-dir $TMP/lk"

run backups --backup-dir "$BK"
is_rc 0 "backups with no store yet"
has out "^0 backups in $BK$" "lists none"
run restore --backup-dir "$BK"
is_rc 2 "restore without a backup is a usage error"
run restore --backup-dir "$BK" nosuch
is_rc 4 "an unknown backup"
has err "nosuch: no such backup" "is named"

# owner and mode of the original are kept (outside /etc/pve)
chmod 0640 "$W/$Q/201.conf"
[ "$(id -u)" -eq 0 ] && chown 65534:65534 "$W/$Q/203.conf"
run scan $ARGS --fix --yes --vm 201 --vm 'edge-*' --vm 204 "$W"
is_rc 1 "--fix of three VMs (findings remain)"
[ "$(stat -c %a "$W/$Q/201.conf")" = 640 ]
ok $? "the mode of the original is kept"
if [ "$(id -u)" -eq 0 ]; then
	[ "$(stat -c %u:%g "$W/$Q/203.conf")" = 65534:65534 ]
	ok $? "and its owner"
fi

run backups --backup-dir "$BK"
is_rc 0 "backups"
lines out "^[0-9T:-]+Z  pve-file +20[134] \(" 3 "one line per backup: time, source, VM"
lines out "restorable$" 3 "all restorable"
has out "^    edits: remove queues from net0, remove queues from net1$" "with their edits"
has out "^3 backups in $BK$" "and a count"

b201=$(ls "$BK"/pve-file_201_*.meta.json)
b203=$(ls "$BK"/pve-file_203_*.meta.json)
b204=$(ls "$BK"/pve-file_204_*.meta.json)

# by its name in the store, by its data file
run restore --backup-dir "$BK" "$(basename "$b201")"
is_rc 0 "restore by the metadata file's name"
cmp -s "$SRCDIR/tests/fixtures/fix/pve/$Q/201.conf" "$W/$Q/201.conf"
ok $? "201.conf is byte-identical to the original"
[ "$(stat -c %a "$W/$Q/201.conf")" = 640 ]
ok $? "and keeps its mode"
run backups --backup-dir "$BK"
has out "pve-file +201 \(fw-crlf\)  already as backed up$" "listed as already restored"

# changed since the fix
printf 'onboot: 1\n' >>"$W/$Q/203.conf"
run backups --backup-dir "$BK"
has out "pve-file +203 \(edge-router\)  changed since the fix \(restore --force\)$" \
	"a config changed since the fix is listed so"
run restore --backup-dir "$BK" "$b203"
is_rc 4 "and not restored"
has err "changed since the fix; not restored \(--force" "with the way out"
cp "$W/$Q/203.conf" "$TMP/changed.203"
run restore --backup-dir "$BK" --force "${b203%.meta.json}.conf"
is_rc 0 "--force restores it (named by its data file)"
has out "the content it replaced is saved as $BK/pve-file_203_" "keeping what it replaced"
cmp -s "$SRCDIR/tests/fixtures/fix/pve/$Q/203.conf" "$W/$Q/203.conf"
ok $? "203.conf is the original again"
kept=$(ls -t "$BK"/pve-file_203_*.conf | head -n1)
cmp -s "$TMP/changed.203" "$kept"
ok $? "and the overridden content is in the store"

# gone since the fix
rm "$W/$Q/204.conf"
run backups --backup-dir "$BK"
has out "pve-file +204 \(fw-template\)  missing" "a config that is gone"
run restore --backup-dir "$BK" "$b204"
is_rc 4 "is not recreated without --force"
run restore --backup-dir "$BK" --force "$b204"
is_rc 0 "--force recreates it"
cmp -s "$SRCDIR/tests/fixtures/fix/pve/$Q/204.conf" "$W/$Q/204.conf"
ok $? "byte-identical"

# a damaged backup is never used
data="${b201%.meta.json}.conf"
printf 'x' >>"$data"
run restore --backup-dir "$BK" --force "$b201"
is_rc 4 "a backup whose content does not match its SHA-1"
has err "does not match its recorded SHA-1; not used" "is refused"
printf '{"schema_version": 1' >"$BK/broken.meta.json"
run backups --backup-dir "$BK"
is_rc 3 "an unreadable description in the store"
has err "1 unreadable backup description" "is counted on stderr"

done_testing
