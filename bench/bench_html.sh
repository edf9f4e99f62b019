#!/bin/sh
# Benchmark: the HTML map (--format html) of N generated qm configs against
# --format json of the same scan. Target (issue 14): 10,000 VMs in under 2x
# the time of the JSON report; the page's size is printed too (2,000 VMs
# should stay under 5 MiB).
#
# usage: bench/bench_html.sh [VMNETLINT] [N]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/vmnetlint}
n=${2:-10000}
dir=${BENCH_DIR:-$here/out/pve-$n}

if [ ! -d "$dir/nodes" ]; then
	echo "generating $n configs in $dir"
	python3 "$here/gen_pve.py" "$n" "$dir"
fi
find "$dir" -name '*.conf' -print0 | xargs -0 cat >/dev/null

best() { # best FORMAT: the fastest of 3 runs, in seconds
	b=""
	for i in 1 2 3; do
		/usr/bin/time -f '%e' -o "$dir.time" "$bin" scan --fail-on never --format "$1" \
			"$dir" >"$dir.$1" 2>/dev/null || true
		t=$(cat "$dir.time")
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" -eq 1 ]; then b=$t; fi
	done
	echo "$b"
}

t_json=$(best json)
t_html=$(best html)
echo "json: ${t_json}s, $(wc -c <"$dir.json") bytes"
echo "html: ${t_html}s, $(wc -c <"$dir.html") bytes"
echo "ratio html/json: $(echo "scale=2; $t_html / $t_json" | bc) (target < 2)"
