#!/bin/sh
# Benchmark: scan N generated libvirt domain XMLs and compare with
# `xmllint --noout` parsing the same files in one process. Target (issue 3):
# at most 1.5x the time of xmllint.
#
# usage: bench/bench_libvirt.sh [VMNETLINT] [N]    (or: make bench)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/vmnetlint}
n=${2:-10000}
dir=${BENCH_DIR:-$here/out/libvirt-$n}

command -v xmllint >/dev/null || { echo "xmllint not found (Debian: libxml2-utils)" >&2; exit 2; }
if [ ! -f "$dir/vm00001.xml" ]; then
	echo "generating $n domain XMLs in $dir"
	python3 "$here/gen_libvirt.py" "$n" "$dir"
fi
files=$(find "$dir" -name '*.xml' | wc -l)
bytes=$(du -sb "$dir" | cut -f1)
echo "corpus: $files files, $bytes bytes"

# warm the page cache so both sides read from memory
find "$dir" -name '*.xml' -print0 | xargs -0 cat >/dev/null

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

# xmllint takes every file on one command line (relative names keep it
# well under ARG_MAX): one process, like the scan
t_xmllint=$(best sh -c "cd '$dir' && exec xmllint --noout *.xml")
t_scan=$(best "$bin" scan -q --fail-on never "$dir")
rss_scan=$(cat "$dir.rss")
ratio=$(echo "scale=2; $t_scan / $t_xmllint" | bc)
echo "xmllint --noout: ${t_xmllint}s"
echo "vmnetlint:       ${t_scan}s, peak RSS $((rss_scan / 1024)) MiB"
echo "ratio:           ${ratio}x xmllint (target <= 1.5x)"
