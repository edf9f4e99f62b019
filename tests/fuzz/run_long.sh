#!/bin/sh
# A long fuzzing run by hand (never part of the test suite):
#
#   tests/fuzz/run_long.sh TARGET|all SECONDS [LIBFUZZER-OPTION...]
#
# Builds build-fuzz/ (clang, --enable-fuzzing) when it is missing, then
# fuzzes each target SECONDS seconds, one after the other. The corpus a
# run grows is kept in build-fuzz/fuzz-work/TARGET/corpus and is where the
# next run starts; crashes land in build-fuzz/fuzz-work/TARGET/artifacts/.
# Ends with one line per target: executions, rate, coverage, corpus,
# crashes. $VNL_FUZZ_BUILD and $VNL_FUZZ_WORK move those directories;
# VNL_FUZZ_NO_BUILD=1 skips the make.
# Exit 1 when a target crashed. See tests/fuzz/README.md for what to do
# with a crash.
set -eu

if [ $# -lt 2 ]; then
	echo "usage: $0 TARGET|all SECONDS [LIBFUZZER-OPTION...]" >&2
	exit 2
fi
what=$1
secs=$2
shift 2
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILDDIR=${VNL_FUZZ_BUILD:-$SRCDIR/build-fuzz}
work=${VNL_FUZZ_WORK:-$BUILDDIR/fuzz-work}
. "$SRCDIR/tests/fuzz/lib.sh"

if [ ! -f "$BUILDDIR/Makefile" ]; then
	mkdir -p "$BUILDDIR"
	(cd "$BUILDDIR" && "$SRCDIR/configure" CC=clang --enable-fuzzing >configure.out)
fi
# VNL_FUZZ_NO_BUILD=1: fuzz the programs as they are (the tree may not build)
if [ -z "${VNL_FUZZ_NO_BUILD:-}" ]; then
	make -C "$BUILDDIR" -s -j"$(nproc 2>/dev/null || echo 2)" >"$BUILDDIR/make.out" 2>&1 || {
		tail -20 "$BUILDDIR/make.out" >&2
		exit 2
	}
fi

if [ "$what" = all ]; then
	targets=$(fuzz_targets)
else
	[ -x "$(fuzz_bin "$what")" ] || {
		echo "$0: no target '$what'; built: $(fuzz_targets | tr '\n' ' ')" >&2
		exit 2
	}
	targets=$what
fi

summary=""
failed=0
for t in $targets; do
	dir="$work/$t"
	mkdir -p "$dir/corpus" "$dir/artifacts"
	echo "run_long: fuzz_$t for $secs s (log: $dir/log)"
	set +e
	# shellcheck disable=SC2046
	"$(fuzz_bin "$t")" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$dir/artifacts/" $(fuzz_dict "$t") "$@" \
		"$dir/corpus" $(fuzz_seeds "$t") >"$dir/log" 2>&1
	rc=$?
	set -e
	runs=$(fuzz_stat "$dir/log" number_of_executed_units)
	rate=$(fuzz_stat "$dir/log" average_exec_per_sec)
	rss=$(fuzz_stat "$dir/log" peak_rss_mb)
	cov=$(grep -oE 'cov: [0-9]+' "$dir/log" | tail -1 | awk '{print $2}')
	crashes=$(find "$dir/artifacts" -type f | wc -l)
	line=$(printf '%-16s %6ss %12s runs %8s/s  cov %6s  corpus %6s  rss %5s MB  crashes %s  (exit %s)' \
		"$t" "$secs" "$runs" "$rate" "${cov:-?}" "$(find "$dir/corpus" -type f | wc -l)" \
		"$rss" "$crashes" "$rc")
	echo "$line"
	summary="$summary$line
"
	if [ "$rc" -ne 0 ]; then
		failed=1
		grep -E 'ERROR|SUMMARY|property broken|Test unit written' "$dir/log" | head -5
	fi
done
echo
echo "run_long: summary"
printf '%s' "$summary"
exit $failed
