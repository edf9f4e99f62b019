#!/bin/sh
# Benchmark: --fix of N qm configs that all need a fix (OPNsense CARP members
# with queues=4 on every NIC), with backups, on the disk that holds
# bench/out (BENCH_DIR to put it elsewhere). Each config costs five fsyncs:
# the backup and its description, the backup directory, the new config and
# its directory; eight files are written at a time (src/write/apply.c).
# Also: the scan alone, --diff, and restoring every backup (one at a time).
#
# usage: bench/bench_fix.sh [VMNETLINT] [N]    (or: make bench)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/vmnetlint}
n=${2:-1000}
dir=${BENCH_DIR:-$here/out/fix-$n}

gen() { # gen DIR: N configs in the pmxcfs layout
	q="$1/nodes/pve1/qemu-server"
	mkdir -p "$q"
	i=0
	while [ $i -lt "$n" ]; do
		id=$((1000 + i))
		hi=$((i / 256 % 256))
		lo=$((i % 256))
		{
			printf '#OPNsense %d%%3A CARP member\nboot: order=scsi0\ncores: 4\nmemory: 4096\n' $id
			printf 'name: fw%d\n' $id
			k=0
			while [ $k -lt $((2 + i % 3)) ]; do
				printf 'net%d: virtio=BC:24:%02X:%02X:%02X:%02X,bridge=vmbr%d,queues=4\n' \
					$k $((i / 65536)) $hi $lo $k $k
				k=$((k + 1))
			done
			printf 'ostype: other\nscsi0: local-lvm:vm-%d-disk-0,size=16G\ntags: carp;opnsense\n' $id
		} >"$q/$id.conf"
		i=$((i + 1))
	done
}

ms() { date +%s%3N; }
rm -rf "$dir"
mkdir -p "$dir"
gen "$dir/orig"
echo "corpus: $n configs, $(du -sb "$dir/orig" | cut -f1) bytes, in $dir ($(df -T "$dir" | awk 'NR == 2 { print $2 }'))"

t0=$(ms)
"$bin" scan --no-config -q --fail-on never "$dir/orig" >/dev/null
t_scan=$(($(ms) - t0))
t0=$(ms)
"$bin" scan --no-config --diff "$dir/orig" >"$dir/diff" 2>/dev/null || true
t_diff=$(($(ms) - t0))

best=""
for run in 1 2 3; do
	rm -rf "$dir/tree" "$dir/bk" "$dir/lk"
	cp -R "$dir/orig" "$dir/tree"
	sync
	t0=$(ms)
	"$bin" scan --no-config --fix --yes --backup-dir "$dir/bk" --lock-dir "$dir/lk" \
		"$dir/tree" >"$dir/fix.out" 2>&1 || true
	t=$(($(ms) - t0))
	grep -q "in $n VMs" "$dir/fix.out" || { echo "fix run $run did not fix all $n VMs" >&2; tail -3 "$dir/fix.out" >&2; exit 1; }
	if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
	echo "fix run $run: $t ms"
done
t0=$(ms)
"$bin" restore --backup-dir "$dir/bk" --lock-dir "$dir/lk" "$dir/bk"/*.meta.json >/dev/null
t_restore=$(($(ms) - t0))
diff -r "$dir/orig" "$dir/tree" >/dev/null || { echo "restore did not give the originals back" >&2; exit 1; }

echo "scan:           ${t_scan} ms"
echo "--diff:         ${t_diff} ms ($(grep -c '^+++ ' "$dir/diff") files)"
echo "--fix --yes:    ${best} ms for $n configs with backups (best of 3; $((best * 1000 / n)) us per config)"
echo "restore (all):  ${t_restore} ms, byte-identical"
