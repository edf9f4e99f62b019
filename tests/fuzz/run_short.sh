#!/bin/sh
# A short libFuzzer run of every target: `make check` of a build configured
# with --enable-fuzzing (./bootstrap test's fuzz stage). Each target starts
# from its seeds (and the shared corpus when present), runs
# $VNL_FUZZ_SECONDS seconds (default 15), as many at once as there are
# CPUs. One TAP result per target: no crash, leak, timeout or broken
# property. A crash's input is kept in $BUILDDIR/fuzz-artifacts/.
. "$SRCDIR/tests/cli/lib.sh"
. "$SRCDIR/tests/fuzz/lib.sh"

secs=${VNL_FUZZ_SECONDS:-15}
jobs=$(nproc 2>/dev/null || echo 2)
art="$BUILDDIR/fuzz-artifacts"
mkdir -p "$art"
targets=$(fuzz_targets)
[ -n "$targets" ] || skip_all "no fuzz target was built (configure --enable-fuzzing)"

run_one() { # run_one TARGET: fuzz it, exit status in $TMP/TARGET.rc
	mkdir -p "$TMP/$1.corpus"
	# shellcheck disable=SC2046
	"$(fuzz_bin "$1")" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$art/$1-" $(fuzz_dict "$1") \
		"$TMP/$1.corpus" $(fuzz_seeds "$1") >"$TMP/$1.log" 2>&1
	echo $? >"$TMP/$1.rc"
}

running=0
for t in $targets; do
	run_one "$t" &
	running=$((running + 1))
	if [ $running -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait

for t in $targets; do
	log="$TMP/$t.log"
	r=$(cat "$TMP/$t.rc" 2>/dev/null || echo 99)
	runs=$(fuzz_stat "$log" number_of_executed_units)
	ok "$r" "fuzz_$t: ${secs} s, $runs runs, $(find "$TMP/$t.corpus" -type f | wc -l) new inputs"
	if [ "$r" -ne 0 ]; then
		grep -E 'ERROR|SUMMARY|property broken|Test unit written' "$log" | head -5 | sed 's/^/#   /'
		grep -E '^    #[0-9]+ ' "$log" | head -12 | sed 's/^/#   /'
	fi
done
done_testing
