#!/bin/sh
# Sweep: every real-world qm config in ../shared/corpus/pve parses without a
# crash or sanitizer report; exactly the files PVE itself warns about get
# VNL000. Skipped when the corpus is not there.
. "$SRCDIR/tests/cli/lib.sh"

C="$SRCDIR/../shared/corpus/pve"
[ -d "$C" ] || skip_all "no corpus at $C"

# Files whose parse qemu-server warns about (its parse-config tests).
expected_warn="cloudinit-snapshot.conf duplicate-sections.conf unknown-sections.conf verify-snapshot.conf"

for f in "$C"/*/*.conf; do
	run scan --select VNL000 "$f"
	name=$(basename "$f")
	if [ "$RC" -gt 1 ] || grep -q 'Sanitizer\|runtime error' "$TMP/err"; then
		ok 1 "$name: scanned without a crash (exit $RC)"
		sed 's/^/#   /' "$TMP/err" | head -5
		continue
	fi
	case " $expected_warn " in
	*" $name "*)
		grep -q 'VNL000' "$TMP/out"
		ok $? "$name: PVE warns, so VNL000 fires"
		;;
	*)
		if grep -q 'VNL000' "$TMP/out"; then
			ok 1 "$name: PVE accepts it, so no VNL000"
			grep VNL000 "$TMP/out" | sed 's/^/#   /' | head -5
		else
			ok 0 "$name: PVE accepts it, so no VNL000"
		fi
		;;
	esac
done

run scan "$C"
[ "$RC" -le 1 ]
ok $? "a scan of the whole corpus completes (exit $RC)"

done_testing
