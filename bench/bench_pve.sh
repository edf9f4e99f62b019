#!/bin/sh
# Benchmark: scan N generated qm configs (pmxcfs layout) and compare with cat
# reading the same files. Target (issue 2): 100,000 configs in at most 2x the
# time of cat, peak memory under 64 MiB.
#
# usage: bench/bench_pve.sh [VMNETLINT] [N]    (or: make bench)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/vmnetlint}
n=${2:-100000}
dir=${BENCH_DIR:-$here/out/pve-$n}

if [ ! -d "$dir/nodes" ]; then
	echo "generating $n configs in $dir"
	python3 "$here/gen_pve.py" "$n" "$dir"
fi
files=$(find "$dir" -name '*.conf' | wc -l)
bytes=$(du -sb "$dir" | cut -f1)
echo "corpus: $files files, $bytes bytes"

# warm the page cache so both sides read from memory
find "$dir" -name '*.conf' -print0 | xargs -0 cat >/dev/null

best() { # best CMD...: the fastest of 3 runs, in seconds; peak RSS (KiB) to $dir.rss
	b=""
	rss=0
	for i in 1 2 3; do
		/usr/bin/time -f '%e %M' -o "$dir.time" "$@" >/dev/null 2>&1 || true
		t=$(cut -d' ' -f1 "$dir.time")
		m=$(cut -d' ' -f2 "$dir.time")
		[ "$m" -gt "$rss" ] && rss=$m
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" -eq 1 ]; then b=$t; fi
	done
	echo "$rss" >"$dir.rss"
	echo "$b"
}

t_cat=$(best sh -c "find '$dir' -name '*.conf' -print0 | xargs -0 cat")
t_scan=$(best "$bin" scan -q --fail-on never "$dir")
rss_scan=$(cat "$dir.rss")
ratio=$(echo "scale=2; $t_scan / $t_cat" | bc)
echo "cat:       ${t_cat}s"
echo "vmnetlint: ${t_scan}s, peak RSS $((rss_scan / 1024)) MiB"
echo "ratio:     ${ratio}x cat (target <= 2x; memory target < 64 MiB)"
