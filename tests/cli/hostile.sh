#!/bin/sh
# Hostile input: huge, long, binary, broken, looping, unreadable and
# bomb-like inputs. Each gets one clear line naming it (or the findings a
# well-formed input deserves), the scan goes on with the other inputs,
# memory stays bounded (peak RSS with /usr/bin/time, a loose bound, never a
# time limit) and nothing is written next to the inputs. Then every crash
# reproducer the fuzzers found (tests/fuzz/corpus/*/regress-*) is scanned.
. "$SRCDIR/tests/cli/lib.sh"

IN="$TMP/in"
mkdir -p "$IN"
# A VM that every run can be checked against: it must still be reported
# next to the hostile input, so the scan went on.
GOOD="$IN/good/101.conf"
mkdir -p "$IN/good"
printf 'name: fw-good\ntags: opnsense;carp\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n' >"$GOOD"

# Peak RSS in MiB through GNU time, when it is here and vmnetlint runs
# natively (valgrind's own memory would be measured instead).
TIME=/usr/bin/time
[ -x "$TIME" ] && [ -z "${VNL_VALGRIND:-}" ] || TIME=""
# Loose bounds: ASan's shadow and quarantine add a few hundred MiB.
RSS_LIMIT_MB=${VNL_RSS_LIMIT_MB:-768}

# hrun ARGS...: run vmnetlint (with a hang guard, and GNU time when here);
# $RC, $TMP/out, $TMP/err, $RSS_MB
hrun() {
	snapshot >"$TMP/before"
	if [ -n "$TIME" ]; then
		timeout 600 "$TIME" -f %M -o "$TMP/rss" "$VMNETLINT" "$@" >"$TMP/out" 2>"$TMP/err"
		RC=$?
		RSS_MB=$(($(tail -1 "$TMP/rss" 2>/dev/null || echo 0) / 1024))
	else
		timeout 3600 "$VMNETLINT" "$@" >"$TMP/out" 2>"$TMP/err"
		RC=$?
		RSS_MB=0
	fi
	snapshot >"$TMP/after"
	# nothing is written: the inputs are as they were
	cmp -s "$TMP/before" "$TMP/after" || { echo "scan $*:"; diff "$TMP/before" "$TMP/after"; } \
		>>"$TMP/written"
}

rss_ok() { # rss_ok DESCRIPTION
	if [ -z "$TIME" ]; then
		echo "ok $((T + 1)) - $1 # SKIP no /usr/bin/time or under valgrind"
		T=$((T + 1))
		return
	fi
	[ "$RSS_MB" -gt 0 ] && [ "$RSS_MB" -lt "$RSS_LIMIT_MB" ]
	ok $? "$1 (peak RSS $RSS_MB MiB, bound $RSS_LIMIT_MB)"
}

went_on() { # went_on DESCRIPTION: the good VM was reported too
	has out 'fw-good.*VNL001' "$1: the scan went on (the other VM is reported)"
}

# one_error PATTERN DESCRIPTION: exactly one error line on stderr, naming it
one_error() {
	lines err 'error' 1 "$2: one error line"
	has err "$1" "$2: it names the input and says why"
}

snapshot() { # the inputs as they are: names, sizes, modification times
	find "$IN" -exec stat -c '%n %s %Y %a' {} + 2>/dev/null | sort
}
: >"$TMP/written"

# ---- size ---------------------------------------------------------------------
# 1.5 MiB, more than pmxcfs holds: a long description, then real settings
mkdir -p "$IN/big"
awk 'BEGIN { printf "name: fw-big\ntags: opnsense;carp\n";
	for (i = 0; i < 16000; i++) printf "#%0100d\n", i;
	printf "net0: virtio=BC:24:11:00:00:02,bridge=vmbr0,queues=4\n" }' >"$IN/big/102.conf"
hrun scan --no-config "$IN/big/102.conf"
is_rc 1 "a 1.5 MiB config is read whole"
has out 'fw-big\) net0: .*VNL001' "and checked to its last line"
rss_ok "a 1.5 MiB config"

# 17 MiB: above the 16 MiB limit, refused before it is read
mkdir -p "$IN/huge"
head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' '#' >"$IN/huge/103.conf"
hrun scan --no-config "$IN/huge/103.conf" "$GOOD"
is_rc 3 "a 17 MiB file: exit 3"
one_error '103\.conf: error: .*too large' "a 17 MiB file"
went_on "a 17 MiB file"
rss_ok "a 17 MiB file is not read"

# 100,000 lines: duplicate NICs, unknown keys, sections, description lines,
# and a [PENDING] section as long (O(n^2) in duplicate or section tracking
# or in merging the pending findings would show here)
mkdir -p "$IN/long"
awk 'BEGIN { printf "name: fw-long\ntags: opnsense;carp\n";
	for (i = 0; i < 12500; i++) {
		printf "#line %d\n", i
		printf "net0: virtio=BC:24:11:00:00:03,bridge=vmbr0,queues=4\n"
		printf "bogus%d: x\n", i
		printf "cores: %d\n", i % 8 + 1
	}
	printf "[PENDING]\n";
	for (i = 0; i < 12500; i++) {
		printf "net1: virtio=BC:24:11:00:00:04,bridge=vmbr0,queues=8\n"
		printf "alsobogus%d: y\n", i
	}
	for (i = 0; i < 24990; i++) printf "[snap%d]\nsnaptime: %d\n", i % 600, i }' >"$IN/long/104.conf"
n=$(wc -l <"$IN/long/104.conf")
[ "$n" -ge 100000 ]
ok $? "the long config has $n lines"
hrun scan --no-config "$IN/long/104.conf" "$GOOD"
is_rc 1 "a 100,000-line config: exit 1"
lines out 'net0 is defined twice' 12499 "every repeated net0 line is reported"
has out 'fw-long\) net0: virtio queues=4.*VNL001' "the last net0 line is the one checked"
has out '\[PENDING\] VM 104 \(fw-long\) net1: virtio queues=8.*VNL001' "the pending NIC is checked"
has out 'duplicate section \[snap' "duplicate sections are reported"
went_on "a 100,000-line config"
rss_ok "a 100,000-line config"

# ---- bytes ----------------------------------------------------------------------
mkdir -p "$IN/bytes"
printf 'name: fw-nul\ntags: opnsense;carp\nnet1: virtio=BC:24:11:00:00:05,bridge=vmbr0\0,queues=4\nnet0: virtio=BC:24:11:00:00:06,bridge=vmbr0,queues=4\n' \
	>"$IN/bytes/105.conf"
hrun scan --no-config "$IN/bytes/105.conf"
is_rc 1 "a config with a NUL byte: findings, exit 1"
has out '105\.conf:3:1: warning: .*NUL byte.*VNL000' "the NUL line is reported with its line"
has out 'fw-nul\) net0: .*VNL001' "the lines after it are still checked"

printf '<domain type="kvm"><name>x</name>\0<devices/></domain>\n' >"$IN/bytes/nul.xml"
hrun scan --no-config "$IN/bytes/nul.xml" "$GOOD"
is_rc 3 "XML with a NUL byte: exit 3"
one_error 'nul\.xml:1: error: not well-formed' "XML with a NUL byte"
went_on "XML with a NUL byte"

# invalid UTF-8 in every field, and in the file name; every report stays valid
bad_name=$(printf 'bad-\377\376.conf')
printf 'name: fw-\377\376bad\ntags: opnsense;carp\n#desc caf\303\050 \001\033[31m \355\240\200\nnet0: virtio=BC:24:11:00:00:07,bridge=vmbr0,queues=4\nnet1: virtio=BC:24:11:00:00:08,bridge=vmbr\342\202\nnet2: virtio=BC:24:11:00:00:09,\300\257=1\n' \
	>"$IN/bytes/$bad_name"
hrun scan --no-config --format json:"$TMP/r.json" --format sarif:"$TMP/r.sarif" \
	--format gitlab:"$TMP/r.gl.json" --format junit:"$TMP/r.xml" --format text \
	"$IN/bytes/$bad_name"
is_rc 1 "invalid UTF-8 in a config and its name: exit 1"
PY=${PYTHON3:-python3}
if command -v "$PY" >/dev/null 2>&1; then
	for f in r.json r.sarif r.gl.json; do
		# strict UTF-8, and JSON as RFC 8259 says (no NaN, no lone surrogates)
		"$PY" -c 'import json, sys
raw = open(sys.argv[1], "rb").read()
text = raw.decode("utf-8")
def bad(x): raise ValueError(x)
d = json.loads(text, parse_constant=bad)
s = json.dumps(d, ensure_ascii=False)
s.encode("utf-8")
sys.exit(0 if "VNL001" in s and "VNL000" in s and "\ufffd" in s else 1)' "$TMP/$f" 2>"$TMP/pyerr"
		ok $? "$f: valid UTF-8 JSON, the findings with U+FFFD for the bad bytes"
		[ -s "$TMP/pyerr" ] && sed 's/^/#   /' "$TMP/pyerr" | tail -3
	done
else
	echo "ok $((T + 1)) # SKIP python3 is needed to check the JSON reports"
	T=$((T + 1))
fi
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$TMP/r.xml" 2>"$TMP/xerr"
	ok $? "junit: well-formed XML"
else
	echo "ok $((T + 1)) # SKIP xmllint is needed to check the JUnit report"
	T=$((T + 1))
fi

# CRLF line ends: the same findings as LF
mkdir -p "$IN/crlf/lf" "$IN/crlf/crlf"
cp "$SRCDIR/examples/cluster/nodes/pve1/qemu-server/101.conf" "$IN/crlf/lf/101.conf"
sed 's/$/\r/' "$IN/crlf/lf/101.conf" >"$IN/crlf/crlf/101.conf"
cp "$SRCDIR/tests/fixtures/libvirt/domains/fw-a.xml" "$IN/crlf/lf/fw-a.xml"
sed 's/$/\r/' "$IN/crlf/lf/fw-a.xml" >"$IN/crlf/crlf/fw-a.xml"
hrun scan --no-config "$IN/crlf/lf"
sed "s|$IN/crlf/lf/||" "$TMP/out" >"$TMP/lf.out"
LF_RC=$RC
hrun scan --no-config "$IN/crlf/crlf"
sed "s|$IN/crlf/crlf/||" "$TMP/out" >"$TMP/crlf.out"
[ "$RC" -eq "$LF_RC" ] && cmp -s "$TMP/lf.out" "$TMP/crlf.out"
ok $? "CRLF files: the same findings, lines and columns as LF"
[ $? -eq 0 ] || diff "$TMP/lf.out" "$TMP/crlf.out" | head -10 | sed 's/^/#   /'

# every key of a net line twice
mkdir -p "$IN/twice"
printf 'name: fw-twice\ntags: opnsense;carp\nnet0: virtio=BC:24:11:00:00:09,bridge=vmbr0,tag=10,trunks=20,rate=10,queues=4,mtu=1500,firewall=1,link_down=0,host-tunnel=0,model=virtio,macaddr=BC:24:11:00:00:0A,bridge=vmbr1,tag=11,trunks=21,rate=11,queues=2,mtu=1400,firewall=0,link_down=1,host-tunnel=1\n' \
	>"$IN/twice/106.conf"
hrun scan --no-config "$IN/twice/106.conf"
is_rc 1 "a net line with every key twice: exit 1"
# 11 repeated keys: model (by its alias), macaddr and the nine others
lines out 'error: .*net0: (duplicate key|.*already defined)' 11 "each repeated key is named"
hasnt out 'fw-twice\) net0: virtio queues' "the NIC PVE would drop is not checked further"

# ---- count ----------------------------------------------------------------------
mkdir -p "$IN/many"
awk 'BEGIN { print "<domain type=\"kvm\">\n  <name>fw-many</name>\n  <description>OPNsense CARP</description>\n  <devices>";
	for (i = 0; i < 10000; i++)
		printf "    <interface type=\"bridge\">\n      <mac address=\"52:54:00:%02x:%02x:%02x\"/>\n      <source bridge=\"br%d\"/>\n      <model type=\"virtio\"/>\n      <driver queues=\"4\"/>\n    </interface>\n", int(i / 65536), int(i / 256) % 256, i % 256, i % 4;
	print "  </devices>\n</domain>" }' >"$IN/many/fw-many.xml"
hrun scan --no-config -q "$IN/many/fw-many.xml"
is_rc 1 "10,000 <interface> elements: exit 1"
lines out 'VNL001' 10000 "each of the 10,000 NICs is checked"
has out 'net9999 \(52:54:00:00:27:0f\)' "up to the last one, at its place"
rss_ok "10,000 <interface> elements"

# the same on one line (minified): places are found without rescanning it
tr -d '\n' <"$IN/many/fw-many.xml" >"$IN/many/fw-many-1line.xml"
hrun scan --no-config -q "$IN/many/fw-many-1line.xml"
is_rc 1 "10,000 <interface> elements on one line: exit 1"
lines out 'VNL001' 10000 "each of them is checked"
rss_ok "10,000 <interface> elements on one line"

# 12,000 of them: 72,000 lines, past libxml2's 16-bit element line numbers.
# Places beyond line 65534 are unknown, never wrong, and the time stays
# linear (no walk over earlier siblings, no quadratic fingerprinting).
awk 'BEGIN { print "<domain type=\"kvm\">\n  <name>fw-more</name>\n  <description>OPNsense CARP</description>\n  <devices>";
	for (i = 0; i < 12000; i++)
		printf "    <interface type=\"bridge\">\n      <mac address=\"52:54:00:%02x:%02x:%02x\"/>\n      <source bridge=\"br%d\"/>\n      <model type=\"virtio\"/>\n      <driver queues=\"4\"/>\n    </interface>\n", int(i / 65536), int(i / 256) % 256, i % 256, i % 4;
	print "  </devices>\n</domain>" }' >"$IN/many/fw-more.xml"
hrun scan --no-config -q "$IN/many/fw-more.xml"
is_rc 1 "12,000 <interface> elements in 72,000 lines: exit 1"
lines out 'VNL001' 12000 "each of them is checked"
hasnt out 'fw-more\.xml:6553[5-9]:|fw-more\.xml:[7-9][0-9]{4}:' "no finding at a line libxml2 cannot know"
has out '^[^ ]*fw-more\.xml: error: .*net11999 ' "the last NICs are reported without a line"
rss_ok "12,000 <interface> elements in 72,000 lines"

awk 'BEGIN { printf "name: fw-nets\ntags: opnsense;carp\n";
	for (i = 32; i < 10032; i++) printf "net%d: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4\n", i }' \
	>"$IN/many/107.conf"
hrun scan --no-config -q "$IN/many/107.conf"
is_rc 1 "a PVE config with net32..net10031: exit 1"
lines out "unknown setting 'net[0-9]+'" 10000 "each NIC key beyond net31 is an unknown setting"
rss_ok "10,000 NIC lines beyond net31"

# ---- XML structure ----------------------------------------------------------------
mkdir -p "$IN/xml"
awk 'BEGIN { printf "<domain>"; for (i = 0; i < 100000; i++) printf "<a>";
	for (i = 0; i < 100000; i++) printf "</a>"; print "</domain>" }' >"$IN/xml/deep.xml"
hrun scan --no-config "$IN/xml/deep.xml" "$GOOD"
is_rc 3 "XML nested 100,000 deep: exit 3"
one_error 'deep\.xml:1: error: .*(depth|Excessive)' "XML nested 100,000 deep (no XML_PARSE_HUGE)"
went_on "XML nested 100,000 deep"
rss_ok "XML nested 100,000 deep"

cp "$SRCDIR/tests/fixtures/libvirt/bad/billion-laughs.xml" "$IN/xml/bomb.xml"
hrun scan --no-config "$IN/xml/bomb.xml" "$GOOD"
is_rc 3 "an XML entity bomb: exit 3"
one_error 'bomb\.xml:[0-9]+: error: .*declares entity' "an XML entity bomb is refused unexpanded"
went_on "an XML entity bomb"
rss_ok "an XML entity bomb"

# ---- the file system ----------------------------------------------------------------
mkdir -p "$IN/fs/loop/nodes/pve1/qemu-server"
cp "$GOOD" "$IN/fs/loop/nodes/pve1/qemu-server/101.conf"
ln -s .. "$IN/fs/loop/nodes/pve1/qemu-server/up"
hrun scan --no-config "$IN/fs/loop"
is_rc 3 "a symbolic link loop: exit 3"
one_error 'qemu-server/up: error: symbolic link loop' "a symbolic link loop"
went_on "a symbolic link loop"

mkdir -p "$IN/fs/fifo/nodes/pve1/qemu-server"
cp "$GOOD" "$IN/fs/fifo/nodes/pve1/qemu-server/101.conf"
if mkfifo "$IN/fs/fifo/108.conf" "$IN/fs/fifo/nodes/pve1/interfaces" 2>/dev/null; then
	# opening a FIFO blocks until a writer comes: it must be refused instead
	hrun scan --no-config "$IN/fs/fifo/108.conf" "$GOOD"
	is_rc 3 "a FIFO named on the command line: exit 3, no hang"
	one_error '108\.conf: error: not a regular file' "a FIFO named on the command line"
	went_on "a FIFO named on the command line"
	hrun scan --no-config "$IN/fs/fifo/nodes"
	is_rc 3 "a FIFO as a node's interfaces file: exit 3, no hang"
	one_error 'pve1/interfaces: error: not a regular file' "a FIFO as a node's interfaces file"
	went_on "a FIFO as a node's interfaces file"
else
	echo "ok $((T + 1)) # SKIP mkfifo failed"
	T=$((T + 1))
fi

# unreadable: as root, permissions do not stop a read; a file whose read
# fails does (/proc/self/mem at offset 0: EIO), named directly and through
# a link in a scanned directory
if [ -r /proc/self/mem ]; then
	mkdir -p "$IN/fs/eio"
	cp "$GOOD" "$IN/fs/eio/101.conf"
	ln -s /proc/self/mem "$IN/fs/eio/109.conf"
	hrun scan --no-config "$IN/fs/eio"
	is_rc 3 "a file whose read fails (EIO): exit 3"
	one_error '109\.conf: error: cannot read: Input/output error' "a file whose read fails"
	went_on "a file whose read fails"
else
	echo "ok $((T + 1)) # SKIP no /proc/self/mem"
	T=$((T + 1))
fi
if [ "$(id -u)" -ne 0 ]; then
	mkdir -p "$IN/fs/perm"
	cp "$GOOD" "$IN/fs/perm/110.conf"
	chmod 000 "$IN/fs/perm/110.conf"
	hrun scan --no-config "$IN/fs/perm/110.conf" "$GOOD"
	is_rc 3 "a file without read permission: exit 3"
	one_error '110\.conf: error: cannot open: Permission denied' "a file without read permission"
	chmod 644 "$IN/fs/perm/110.conf"
else
	echo "ok $((T + 1)) # SKIP running as root: permissions do not stop a read (EIO covers it)"
	T=$((T + 1))
fi
mkdir -p "$IN/fs/dangling"
ln -s "$IN/nowhere.conf" "$IN/fs/dangling/111.conf"
cp "$GOOD" "$IN/fs/dangling/101.conf"
hrun scan --no-config "$IN/fs/dangling"
is_rc 3 "a dangling link: exit 3"
one_error '111\.conf: error: No such file' "a dangling link"
went_on "a dangling link"

# ---- the PVE API: a 1 GiB answer, and HTML ---------------------------------------------
PYS=${PYTHON3:-python3}
HERE="$SRCDIR/tests/pveapi"
if command -v "$PYS" >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1 &&
	command -v curl >/dev/null 2>&1 &&
	"$PYS" "$HERE/pveapi_server.py" --make-cert "$TMP/cert" >/dev/null 2>&1; then
	printf '{"root@pam!vmnetlint": {"secret": "hostile-%s", "privs": ["*"]}}\n' $$ >"$TMP/tokens.json"
	"$PYS" "$HERE/pveapi_server.py" --fixtures "$HERE/fixtures/basic" --cert "$TMP/cert/cert.pem" \
		--key "$TMP/cert/key.pem" --tokens "$TMP/tokens.json" --port 0 \
		--port-file "$TMP/port" --max-seconds 300 --quiet 2>"$TMP/server.log" &
	SERVER=$!
	trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$TMP"' EXIT
	i=0
	while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	URL="https://127.0.0.1:$(cat "$TMP/port" 2>/dev/null)"
	export PROXMOX_VE_API_TOKEN="root@pam!vmnetlint=hostile-$$"
	fault() {
		curl -sS --cacert "$TMP/cert/cert.pem" -o /dev/null -X POST \
			--data "{\"faults\": [{\"path\": \"^/nodes/pve1/qemu/101/config\$\", $1}]}" \
			"$URL/__control"
	}
	fault '"action": "huge", "bytes": 1073741824'
	hrun scan --no-config --pve "$URL" --cacert "$TMP/cert/cert.pem" --no-agent
	is_rc 3 "a 1 GiB API answer: exit 3"
	one_error 'VM 101.*larger than 32 MiB' "a 1 GiB API answer is cut off at 32 MiB"
	has out 'in 4 VMs' "a 1 GiB API answer: the other VMs are scanned"
	rss_ok "a 1 GiB API answer"
	fault '"action": "garbage"'
	hrun scan --no-config --pve "$URL" --cacert "$TMP/cert/cert.pem" --no-agent
	is_rc 3 "an HTML page instead of JSON: exit 3"
	one_error 'VM 101.*not valid JSON' "an HTML page instead of JSON"
	has out 'in 4 VMs' "an HTML page instead of JSON: the other VMs are scanned"
	unset PROXMOX_VE_API_TOKEN
else
	echo "ok $((T + 1)) # SKIP python3, openssl and curl are needed for the test API server"
	T=$((T + 1))
fi

# ---- what the fuzzers found ----------------------------------------------------------
for f in "$SRCDIR"/tests/fuzz/corpus/pve_conf/regress-* "$SRCDIR"/tests/fuzz/corpus/libvirt_xml/regress-* \
	"$SRCDIR"/tests/fuzz/corpus/report/regress-*; do
	[ -f "$f" ] || continue
	hrun scan --no-config "$f"
	[ "$RC" -le 3 ]
	ok $? "fuzz finding $(basename "$(dirname "$f")")/$(basename "$f"): scanned (exit $RC)"
	[ "$RC" -le 3 ] || tail -5 "$TMP/err" | sed 's/^/#   /'
done

# ---- nothing was written ------------------------------------------------------------
[ ! -s "$TMP/written" ]
ok $? "no scan wrote, changed or removed anything next to its inputs"
[ -s "$TMP/written" ] && sed 's/^/#   /' "$TMP/written" | head -10
done_testing
