#!/bin/sh
# Crash safety: --fix is killed with SIGKILL at random moments while it
# fixes a few hundred configs, many times over. After every kill each file
# must be byte-identical to its original or to its fixed version, no
# temporary file may be where a scan reads (temp names are hidden), the
# run's journal must name exactly the VMs whose file changed (as `backups`
# reports the interrupted run), `restore --run` must give back every
# original byte for byte, and one more --fix must leave no temp file.
#
# The trees live on a tmpfs when one is at hand (/dev/shm): SIGKILL tests
# the process dying, not the disk, and without fsync latency many more
# trials fit in the time (about 30 s at most).
. "$SRCDIR/tests/cli/lib.sh"

N=${FIX_CRASH_FILES:-300}
MAX_TRIALS=${FIX_CRASH_TRIALS:-50}
BUDGET=${FIX_CRASH_SECONDS:-30}

base=$TMP
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	base=$(mktemp -d /dev/shm/vnl-crash.XXXXXX) || base=$TMP
	trap 'rm -rf "$TMP" "$base"' EXIT
fi
G="$base/orig/nodes/pve1/qemu-server"
mkdir -p "$G"
i=0
while [ $i -lt "$N" ]; do
	id=$((1000 + i))
	hi=$((i / 256))
	lo=$((i % 256))
	# half of them CRLF, some without a newline at the end
	if [ $((i % 2)) -eq 0 ]; then e='\n'; else e='\r\n'; fi
	printf "#fw %d%%3A CARP member$e#$e""cores: 2${e}name: fw$id${e}" $id >"$G/$id.conf"
	printf "net0: virtio=BC:24:11:%02X:%02X:01,bridge=vmbr0,queues=4$e" $hi $lo >>"$G/$id.conf"
	printf "net1: virtio=BC:24:11:%02X:%02X:02,bridge=vmbr1,queues=4,tag=20$e" $hi $lo >>"$G/$id.conf"
	printf "ostype: other${e}tags: opnsense;carp" >>"$G/$id.conf"
	[ $((i % 5)) -eq 0 ] || printf "$e" >>"$G/$id.conf"
	i=$((i + 1))
done

now_ms() { date +%s%3N; }

# the fixed versions, and how long a whole fix takes
cp -R "$base/orig" "$base/fixed"
t0=$(now_ms)
"$VMNETLINT" scan --no-config --fix --yes --backup-dir "$base/rbk" --lock-dir "$base/rlk" \
	"$base/fixed" >"$TMP/out" 2>"$TMP/err"
REF_MS=$(($(now_ms) - t0))
grep -q "^fixed $((2 * N)) findings in $N VMs" "$TMP/out"
ok $? "a reference run fixes all $N VMs (in $REF_MS ms)"
# SHA-256 of every original and every fixed file: one process per check
sums() { (cd "$1/nodes/pve1/qemu-server" && sha256sum -- *.conf); }
sums "$base/orig" >"$TMP/orig.sums"
sums "$base/fixed" >"$TMP/fixed.sums"

trials=0 checked=0 bad=0 stale=0 start=$(now_ms) seed=$$
while [ $trials -lt "$MAX_TRIALS" ] && [ $(($(now_ms) - start)) -lt $((BUDGET * 1000)) ]; do
	trials=$((trials + 1))
	w="$base/w" bk="$base/bk"
	rm -rf "$w" "$bk" "$base/lk"
	cp -R "$base/orig" "$w"
	delay=$(awk -v s=$((seed + trials)) -v t="$REF_MS" 'BEGIN { srand(s); printf "%.3f", rand() * t * 1.1 / 1000 }')
	"$VMNETLINT" scan --no-config --fix --yes --backup-dir "$bk" --lock-dir "$base/lk" "$w" \
		>/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	# every file: the original or the fixed version, byte for byte
	sums "$w" >"$TMP/now.sums"
	checked=$((checked + $(wc -l <"$TMP/now.sums")))
	awk -v t=$trials 'FILENAME == ARGV[1] { o[$2] = $1; next }
		FILENAME == ARGV[2] { f[$2] = $1; next }
		{ seen++; if ($1 != o[$2] && $1 != f[$2]) { print "# trial " t ": " $2 " is neither"; bad = 1 } }
		END { exit bad || seen != length(o) }' "$TMP/orig.sums" "$TMP/fixed.sums" "$TMP/now.sums" ||
		bad=$((bad + 1))
	# temp files only under hidden names, which no scan reads
	if find "$w" -name '*vnl-tmp*' ! -name '.*' | grep -q .; then
		bad=$((bad + 1))
		echo "# trial $trials: a temporary file with a visible name"
	fi
	"$VMNETLINT" scan --no-config --format json "$w" >"$TMP/scan.json" 2>/dev/null
	grep -q "\"files\": $N," "$TMP/scan.json" || {
		bad=$((bad + 1))
		echo "# trial $trials: a scan does not read exactly the $N configs"
	}
	# the journal names exactly the VMs whose file changed: `backups`
	# reports the interrupted run; a run that finished changed them all
	awk 'FILENAME == ARGV[1] { f[$2] = $1; next } $1 == f[$2] { sub(/\.conf$/, "", $2); print $2 }' \
		"$TMP/fixed.sums" "$TMP/now.sums" | sort >"$TMP/changed"
	journal=$(ls "$bk"/run-*.journal 2>/dev/null)
	run=${journal##*/run-}
	run=${run%.journal}
	"$VMNETLINT" backups --backup-dir "$bk" >"$TMP/bout" 2>&1
	if [ -z "$journal" ]; then
		named=none
		[ -s "$TMP/changed" ] && named=bad
	elif grep -q '"event":"finished"' "$journal"; then
		named=finished
		[ "$(wc -l <"$TMP/changed")" -eq "$N" ] || named=bad
	else
		named=interrupted
		grep "these need a cold start" "$TMP/bout" | grep -oE 'VM [0-9]+' | cut -c4- | sort \
			>"$TMP/named"
		cmp -s "$TMP/changed" "$TMP/named" || named=bad
		grep -q "was interrupted: $(wc -l <"$TMP/changed") VMs\? changed" "$TMP/bout" || named=bad
	fi
	if [ "$named" = bad ]; then
		bad=$((bad + 1))
		echo "# trial $trials: the journal does not name exactly the $(wc -l <"$TMP/changed") changed VMs"
		head -n2 "$TMP/bout" | cut -c1-300 | sed 's/^/#   /'
	fi
	# restore --run undoes the run as a whole: all are originals again
	if [ -n "$run" ]; then
		"$VMNETLINT" restore --backup-dir "$bk" --lock-dir "$base/lk" --run "$run" \
			>"$TMP/rout" 2>"$TMP/rerr" || {
			bad=$((bad + 1))
			echo "# trial $trials: restore --run failed: $(head -n2 "$TMP/rerr")"
		}
	fi
	# hidden temp files may stay after a kill; they are not configs
	diff -r -x '.*' "$base/orig" "$w" >/dev/null || {
		bad=$((bad + 1))
		echo "# trial $trials: after restore --run the tree differs from the originals"
	}
	# one more --fix leaves no stale temp file, here or in the store
	"$VMNETLINT" scan --no-config --fix --yes --backup-dir "$bk" --lock-dir "$base/lk" "$w" \
		>"$TMP/fout" 2>&1
	if find "$w" "$bk" -name '*vnl-tmp*' | grep -q .; then
		bad=$((bad + 1))
		echo "# trial $trials: a temporary file survived the next --fix: $(find "$w" "$bk" -name '*vnl-tmp*' | head -n1)"
	fi
	stale=$((stale + $(grep -c '^removed .*killed$' "$TMP/fout")))
done
[ $bad -eq 0 ]
ok $? "$trials SIGKILL trials, $checked files checked: every file is its original or its fixed version, no visible temp file, the journal names exactly the changed VMs, restore --run gives back the originals, the next --fix leaves no stale temp file"
echo "# trials: $trials, files checked: $checked, stale temp files removed: $stale, reference fix of $N configs: $REF_MS ms"

done_testing
