#!/bin/sh
# scan --diff and scan --fix on Proxmox configs: what is shown, what is
# written (only the intended netN lines), what is refused (locked VMs,
# pending NICs, files changed between scan and write, a held lock, a full
# disk), the confirmation, --vm, and restore.
. "$SRCDIR/tests/cli/lib.sh"
. "$SRCDIR/tests/cli/fix_lib.sh"

FX="$SRCDIR/tests/fixtures/fix/pve"
Q=nodes/pve1/qemu-server
fresh() { # a copy of the fixtures in $W, backups in $W.bk, locks in $W.lk
	W="$TMP/w$1"
	rm -rf "$W" "$W.bk" "$W.lk"
	cp -R "$FX" "$W"
	FIXARGS="--no-config --backup-dir $W.bk --lock-dir $W.lk"
}

await() { # await FILE: until FILE exists (at most 2 minutes: valgrind is slow)
	n=0
	while [ ! -e "$1" ] && [ $n -lt 1200 ]; do
		sleep 0.1
		n=$((n + 1))
	done
}

# ---- --diff ---------------------------------------------------------------------
fresh 1
before=$(tree_sums "$W")
run scan $FIXARGS --diff "$W"
is_rc 1 "--diff exits as the scan does (errors found)"
[ "$before" = "$(tree_sums "$W")" ] && [ ! -e "$W.bk" ]
ok $? "--diff writes nothing, not even a backup"
has out "^--- $W/$Q/201.conf$" "a unified diff header per file"
has out "^-net0: virtio=BC:24:11:F1:00:01,bridge=vmbr0,firewall=1,queues=4" "the old line"
has out "^\+net0: virtio=BC:24:11:F1:00:01,bridge=vmbr0,firewall=1.$" "the new line (its CR kept)"
has out "^\+net0: virtio=BC:24:11:F3:00:01,bridge=vmbr0,firewall=1,queues=4,rate=100,tag=10$" \
	"an inserted key goes where PVE prints it"
hasnt out "^[0-9a-z/].*: (error|warning|info): " "no report on stdout, only the diff"
has err "202.conf: error: VM 202 \(fw-locked\): not fixed: the VM is locked \(lock: backup\)" \
	"a locked VM is named on stderr"
has err "would change 4 VMs|4 VMs would change" "the count of VMs that would change"
run scan $FIXARGS --diff --vm 203 "$W"
lines out '^\+\+\+ ' 1 "--vm narrows the diff to one VM"
run scan $FIXARGS --diff --select VNL021 "$W"
has out "203.conf" "--select narrows it to one rule"
hasnt out "201.conf" "the others are left out"

# ---- usage ------------------------------------------------------------------------
run scan $FIXARGS --fix --diff "$W"
is_rc 2 "--fix with --diff is a usage error"
run scan $FIXARGS --vm 201 "$W"
is_rc 2 "--vm without --fix or --diff is a usage error"

# ---- no terminal, no --yes ------------------------------------------------------------
run scan $FIXARGS --fix "$W" </dev/null
is_rc 2 "--fix without a terminal and without --yes"
has err "no terminal to confirm on: nothing was changed" "says so"
[ "$before" = "$(tree_sums "$W")" ]
ok $? "and changes nothing"

# ---- the confirmation on a terminal (a pseudo-terminal from script(1)) ----------------------
if command -v script >/dev/null 2>&1; then
	printf 'n\n' | script -qec "'$VMNETLINT' scan $FIXARGS --fix --vm 203 '$W'" /dev/null >"$TMP/out" 2>&1
	has out "^\+net1: virtio=BC:24:11:F3:00:02,bridge=vmbr1,queues=4" "the prompt shows the diff first"
	has out "Apply these changes to 1 VM \(backups go to $W.bk\)\? \[y/N\]" "then asks"
	has out "nothing was changed" "'n' changes nothing"
	[ "$before" = "$(tree_sums "$W")" ]
	ok $? "the tree is as it was"
	printf 'y\n' | script -qec "'$VMNETLINT' scan $FIXARGS --fix --vm 203 '$W'" /dev/null >"$TMP/out" 2>&1
	has out "VM 203 \(edge-router\): changed" "'y' applies"
	run restore --backup-dir "$W.bk" "$W.bk"/*.meta.json
	cmp -s "$FX/$Q/203.conf" "$W/$Q/203.conf"
	ok $? "(restored for what follows)"
	rm -rf "$W.bk"
else
	ok 0 "# SKIP script(1) is not here to provide a terminal"
fi

# ---- --fix --yes --------------------------------------------------------------------------
run scan $FIXARGS --fix --yes "$W"
is_rc 4 "--fix: exit 4 because the locked VM could not be changed"
has out "^VM 201 \(fw-crlf\): changed $W/$Q/201.conf" "VM 201 changed"
has out "^    fixed: VNL001 net0: remove queues from net0" "what was fixed"
has out "^    backup: $W.bk/pve-file_201_[0-9TZ]+_[0-9a-f]{12}\.meta\.json" "where its backup is"
has out "takes effect at the next cold start of the VM" "when it takes effect"
has out "^VM 204 \(fw-template\): changed" "the template changed"
has out "a template: VMs cloned from it from now on get the change" "a template needs no restart"
has out "^VM 202 \(fw-locked\): NOT changed .*locked" "the locked VM is reported"
has out "^VM 205 \(fw-pending\): changed" "VM 205: its other NIC changed"
has out "not fixed: VNL001 net0.*pending change in \[PENDING\]" "the NIC with a pending change is not"
has out "^remaining findings:" "what remains"
has out "202.conf:3:45: error: .*VNL001" "the locked VM's finding remains"
has out "^fixed [0-9]+ findings in 4 VMs; 1 VM could not be changed" "a summary line"
has out "^restart: 3 VMs need a cold start" "how many VMs need a restart (the template does not)"
all_changed_ok "$FX" "$W"
ok $? "a line diff shows only netN lines of the main section changed ($CHECKED files)"
[ -s "$TMP/badfiles" ] && sed 's/^/#   /' "$TMP/badfiles"
cmp -s "$FX/$Q/202.conf" "$W/$Q/202.conf"
ok $? "the locked VM's file is byte-identical"
[ -n "$(tail -c1 "$W/$Q/201.conf")" ]
ok $? "201.conf still ends without a newline"
grep -q 'queues=4' "$W/$Q/201.conf" && grep -q '^\[before-upgrade\]' "$W/$Q/201.conf"
ok $? "the snapshot keeps its queues"
n=$(find "$W.bk" -name '*.meta.json' | wc -l)
[ "$n" -eq 4 ]
ok $? "one backup per changed VM ($n)"
[ -z "$(find "$W.bk" -type f ! -perm 0600)" ] && [ "$(stat -c %a "$W.bk")" = 700 ]
ok $? "backups are 0600 in a 0700 directory"
[ -e "$W.lk/lock-201.conf" ]
ok $? "qemu-server's lock file name (lock-<vmid>.conf) in --lock-dir"
[ -z "$(find "$W" -name '.*vnl-tmp*')" ]
ok $? "no temporary file left"

after=$(tree_sums "$W")
run scan $FIXARGS --fix --yes "$W"
[ "$after" = "$(tree_sums "$W")" ]
ok $? "a second --fix changes nothing"
has out "^fixed 0 findings in 0 VMs" "and says so"

run restore --backup-dir "$W.bk" "$W.bk"/*.meta.json
is_rc 0 "restore every backup"
diff -r "$FX" "$W" >/dev/null
ok $? "the tree is byte-identical to the fixtures again"

# ---- changed between scan and write -----------------------------------------------------------
fresh 2
# the other writer changes the config once vmnetlint says it is between
# scan and write (test-only hooks, src/write/fileio.h)
(await "$TMP/paused"; printf 'onboot: 1\n' >>"$W/$Q/203.conf") &
export VMNETLINT_TEST_PAUSE_BEFORE_WRITE=2 VMNETLINT_TEST_PAUSE_FLAG="$TMP/paused"
run scan $FIXARGS --fix --yes --vm 203 "$W"
unset VMNETLINT_TEST_PAUSE_BEFORE_WRITE VMNETLINT_TEST_PAUSE_FLAG
wait
is_rc 4 "a config changed after the scan: exit 4"
has out "VM 203 \(edge-router\): NOT changed .*changed since the scan" "refused, with the reason"
tail -n1 "$W/$Q/203.conf" | grep -q '^onboot: 1$' && ! grep -q queues "$W/$Q/203.conf"
ok $? "the other writer's change is kept, ours is not written"
[ ! -e "$W.bk" ] || [ -z "$(ls "$W.bk" | grep -v '^run-.*\.journal$')" ]
ok $? "and no backup was made for it (the run's journal aside)"

# ---- a held lock --------------------------------------------------------------------------------
fresh 3
mkdir -p "$W.lk"
# another process holds qemu-server's lock until the run is over
(
	flock 9
	: >"$TMP/locked"
	await "$TMP/unlock"
) 9>"$W.lk/lock-203.conf" &
await "$TMP/locked"
export VMNETLINT_TEST_LOCK_TIMEOUT=0.5
run scan $FIXARGS --fix --yes --vm 203 "$W"
unset VMNETLINT_TEST_LOCK_TIMEOUT
: >"$TMP/unlock"
wait
is_rc 4 "a VM whose lock is held: exit 4"
has out "still locked by another process" "refused after the lock timeout"
cmp -s "$FX/$Q/203.conf" "$W/$Q/203.conf"
ok $? "the file is untouched"

# ---- a full disk ----------------------------------------------------------------------------------
# the backup (file and description) fits under the limit, the new config not:
# measured on a run that succeeds with the same paths
fresh 4
run scan $FIXARGS --fix --yes --vm 203 "$W"
limit=$(($(cat "$W.bk"/*.conf "$W.bk"/*.meta.json | wc -c) + 10))
fresh 4
export VMNETLINT_TEST_WRITE_LIMIT=$limit
run scan $FIXARGS --fix --yes --vm 203 "$W"
unset VMNETLINT_TEST_WRITE_LIMIT
is_rc 4 "a full disk (simulated): exit 4"
has out "NOT changed .*No space left on device" "with the reason"
cmp -s "$FX/$Q/203.conf" "$W/$Q/203.conf" && [ -z "$(find "$W" -name '.*vnl-tmp*')" ]
ok $? "the original is intact and no temporary file is left"

# a real one: a 64 KiB tmpfs in a private mount namespace (root only)
can_tmpfs() {
	[ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null 2>&1 &&
		unshare -m sh -c 'mkdir -p "$1" && mount -t tmpfs -o size=64k tmpfs "$1"' \
			sh "$TMP/probe" 2>/dev/null
}
if can_tmpfs; then
	fresh 5
	unshare -m sh -c '
		set -e
		mkdir -p "$1/small"
		mount -t tmpfs -o size=64k tmpfs "$1/small"
		cp -R "$2" "$1/small/t"
		# fill the file system up to its last few bytes
		dd if=/dev/zero of="$1/small/fill" bs=1k count=60 2>/dev/null || true
		while dd if=/dev/zero of="$1/small/fill$$" bs=64 count=1 2>/dev/null; do
			cat "$1/small/fill$$" >>"$1/small/fill" 2>/dev/null || break
		done
		rm -f "$1/small/fill$$"
		set +e
		"$3" scan --no-config --backup-dir "$1/bk" --lock-dir "$1/lk" --fix --yes \
			--vm 203 "$1/small/t" >"$1/out" 2>"$1/err"
		echo $? >"$1/rc"
		cmp -s "$2/'"$Q"'/203.conf" "$1/small/t/'"$Q"'/203.conf" && echo same >"$1/same"
		find "$1/small/t" -name ".*vnl-tmp*" >"$1/tmps"
	' sh "$W.x" "$FX" "$VMNETLINT" 2>/dev/null
	rc=$(cat "$W.x/rc" 2>/dev/null)
	[ "$rc" = 4 ] && grep -q 'No space left' "$W.x/out"
	ok $? "a full tmpfs: exit 4 and 'No space left' (exit $rc)"
	[ -e "$W.x/same" ] && [ ! -s "$W.x/tmps" ]
	ok $? "the original is intact on the full tmpfs, no temporary file left"
else
	ok 0 "# SKIP no tmpfs can be mounted here (not root, or no mount namespace)"
fi

done_testing
