#!/bin/sh
# Nothing is lost: every fixture tree and, when ../shared/corpus is there,
# every real-world config goes through --fix; a line diff must show only
# intended lines changed, a second --fix must change nothing, and restoring
# every backup must give back the exact bytes. The corpus VMs are also
# declared firewalls or routers (vmnetlint.conf) so that rules propose
# edits for most of them.
. "$SRCDIR/tests/cli/lib.sh"
. "$SRCDIR/tests/cli/fix_lib.sh"

TOTAL_FILES=0
# sweep NAME SRC CONFIG-ARGS...: the whole round trip on a copy of SRC
sweep() {
	name=$1 src=$2
	shift 2
	w="$TMP/s-$name"
	mkdir -p "$w"
	cp -R "$src" "$w/tree"
	run scan "$@" --fix --yes --backup-dir "$w/bk" --lock-dir "$w/lk" "$w/tree"
	[ "$RC" -le 1 ] || [ "$RC" -eq 3 ] || grep -q 'locked (lock:' "$TMP/out"
	ok $? "$name: --fix completes (exit $RC)"
	grep -q 'Sanitizer\|runtime error' "$TMP/err" && ok 1 "$name: sanitizer report"
	changed=$(grep -c ': changed ' "$TMP/out")
	all_changed_ok "$src" "$w/tree"
	ok $? "$name: only intended lines differ ($changed VMs changed, $CHECKED files checked)"
	[ -s "$TMP/badfiles" ] && sed 's/^/#   /' "$TMP/badfiles" | head -20
	TOTAL_FILES=$((TOTAL_FILES + CHECKED))
	sums=$(tree_sums "$w/tree")
	run scan "$@" --fix --yes --backup-dir "$w/bk" --lock-dir "$w/lk" "$w/tree"
	[ "$sums" = "$(tree_sums "$w/tree")" ] && grep -q '^fixed 0 findings in 0 VMs' "$TMP/out"
	ok $? "$name: a second --fix changes nothing"
	if ls "$w/bk"/*.meta.json >/dev/null 2>&1; then
		run restore --backup-dir "$w/bk" "$w/bk"/*.meta.json
		[ "$RC" -eq 0 ]
		ok $? "$name: every backup restores (exit $RC)"
	fi
	diff -r "$src" "$w/tree" >/dev/null
	ok $? "$name: after restore every file is byte-identical (cmp)"
	rm -rf "$w"
}

sweep examples "$SRCDIR/examples" --no-config
sweep fixtures-pve "$SRCDIR/tests/fixtures/pve" --no-config
sweep fixtures-pve-net "$SRCDIR/tests/fixtures/pve-net" --no-config
sweep fixtures-libvirt "$SRCDIR/tests/fixtures/libvirt/domains" --no-config
sweep fixtures-fix "$SRCDIR/tests/fixtures/fix" --no-config

printf '[vm "*"]\nrole = firewall, pfsync\n' >"$TMP/firewall.conf"
printf '[vm "*"]\nrole = router\n' >"$TMP/router.conf"
C="$SRCDIR/../shared/corpus"
if [ -d "$C" ]; then
	for d in "$C"/pve/* "$C"/libvirt/*; do
		[ -d "$d" ] || continue
		n=$(basename "$d")
		sweep "corpus-$n" "$d" --no-config
		sweep "corpus-$n-firewall" "$d" --config "$TMP/firewall.conf"
		sweep "corpus-$n-router" "$d" --config "$TMP/router.conf"
	done
	# the test-driver node files as live connections (research/libvirt.md 4)
	for f in "$C"/libvirt/*/*.xml; do
		grep -q '<node' "$f" 2>/dev/null || continue
		n=$(basename "$f")
		run scan --config "$TMP/firewall.conf" --fix --yes --backup-dir "$TMP/lbk" \
			--lock-dir "$TMP/llk" -c "test://$f"
		{ [ "$RC" -le 1 ] || [ "$RC" -eq 3 ]; } && ! grep -q 'NOT changed' "$TMP/out"
		ok $? "corpus $n as a live connection: every planned fix defined and read back ($(grep -c ': changed ' "$TMP/out") VMs, exit $RC)"
	done
else
	ok 0 "# SKIP no corpus at $C"
fi
echo "# files checked: $TOTAL_FILES"

done_testing
