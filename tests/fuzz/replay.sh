#!/bin/sh
# Every fuzz target on its seeds and crash reproducers (tests/fuzz/corpus/)
# and on the shared corpus when present: each input once, in any build. In
# a sanitizer build ASan and UBSan watch; with $VNL_TEST_WRAPPER (the
# valgrind stage of ./bootstrap test) valgrind does.
. "$SRCDIR/tests/cli/lib.sh"
. "$SRCDIR/tests/fuzz/lib.sh"

targets=$(fuzz_targets)
[ -n "$targets" ] || skip_all "no fuzz target was built"
for t in $targets; do
	n=0
	for d in $(fuzz_seeds "$t"); do
		n=$((n + $(find "$d" -type f | wc -l)))
	done
	# shellcheck disable=SC2046,SC2086
	${VNL_TEST_WRAPPER:-} "$(fuzz_bin "$t")" -runs=0 $(fuzz_seeds "$t") >"$TMP/$t.log" 2>&1
	r=$?
	ok $r "fuzz_$t: $n inputs replayed"
	[ $r -eq 0 ] || tail -30 "$TMP/$t.log" | sed 's/^/#   /'
done
done_testing
