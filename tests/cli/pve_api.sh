#!/bin/sh
# `scan --pve`: a whole cluster through the Proxmox VE API, against the test
# API server (tests/pveapi) on 127.0.0.1 with a certificate made here. Each
# server this script starts is stopped when it exits.
. "$SRCDIR/tests/cli/lib.sh"

PY=${PYTHON3:-python3}
HERE="$SRCDIR/tests/pveapi"
SERVER="$HERE/pveapi_server.py"
BASIC="$HERE/fixtures/basic"
command -v "$PY" >/dev/null 2>&1 || skip_all "python3 is needed for the test API server"
command -v openssl >/dev/null 2>&1 || skip_all "openssl is needed for a test certificate"
command -v curl >/dev/null 2>&1 || skip_all "curl is needed to steer the test API server"

PIDS=""
stop_servers() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	PIDS=""
}
trap 'stop_servers; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM

"$PY" "$SERVER" --make-cert "$TMP/cert" >"$TMP/fingerprint" 2>/dev/null ||
	skip_all "cannot make a test certificate"
CERT="$TMP/cert/cert.pem"
FP=$(cat "$TMP/fingerprint")
# Secrets unique to this run: no output may ever contain them.
SECRET="s3cret-$$-never-shown"
BAD_SECRET="wrong-$$-never-shown"
cat >"$TMP/tokens.json" <<EOF
{"root@pam!vmnetlint": {"secret": "$SECRET", "privs": ["*"]},
 "netadmin@pve!fix": {"secret": "$SECRET", "privs": ["VM.Audit"],
   "acl": {"/vms": ["VM.Config.Network"], "/sdn/zones/localnetwork": ["SDN.Use"]}}}
EOF
TOKEN="root@pam!vmnetlint=$SECRET"
export PROXMOX_VE_API_TOKEN="$TOKEN"
unset PROXMOX_VE_ENDPOINT LIBVIRT_DEFAULT_URI

# start NAME ARGS...: a server on a free port; sets $URL and $PORT
start() {
	name=$1
	shift
	rm -f "$TMP/$name.port"
	# The server leaves Nagle on: each answer on a kept-alive connection then
	# waits ~40 ms for a delayed ACK. Turned off here, without touching it.
	"$PY" -c 'import sys; sys.dont_write_bytecode = True; sys.path.insert(0, sys.argv[1])
import pveapi_server as s
s.ApiRequestHandler.disable_nagle_algorithm = True
sys.exit(s.main(sys.argv[2:]))' "$HERE" --cert "$CERT" --key "$TMP/cert/key.pem" \
		--tokens "$TMP/tokens.json" --port 0 --port-file "$TMP/$name.port" \
		--max-seconds 300 --quiet "$@" 2>"$TMP/$name.log" &
	PIDS="$PIDS $!"
	i=0
	while [ ! -s "$TMP/$name.port" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	PORT=$(cat "$TMP/$name.port" 2>/dev/null)
	[ -n "$PORT" ] || { cat "$TMP/$name.log" >&2; skip_all "the test API server did not start"; }
	URL="https://127.0.0.1:$PORT"
	ORIGIN="pve://127.0.0.1:$PORT"
}

# control JSON: POST /__control (faults, counters, runtime state)
control() {
	curl -sS --cacert "$CERT" -o "$TMP/control.json" -X POST --data "$1" "$URL/__control"
}
counters() { # counters PYTHON-EXPR-ON-d: print it
	curl -sS --cacert "$CERT" -o "$TMP/control.json" "$URL/__control"
	"$PY" -c 'import json, sys; d = json.load(open(sys.argv[1]))["data"]; print(eval(sys.argv[2]))' \
		"$TMP/control.json" "$1"
}

# every output of every run is kept, to look for the secret at the end
ALL="$TMP/all-output"
: >"$ALL"
api() { # api ARGS...: vmnetlint scan --no-config ARGS, outputs kept
	run scan --no-config "$@"
	cat "$TMP/out" "$TMP/err" >>"$ALL"
}
# one line per finding with its because/fix notes, without its place, sorted
# (files are walked by path, the API goes by vmid)
records() {
	sed -E 's/^[^ ].*: (error|warning|info): /\1: /' "$1" |
		awk '/^ / { r = r " |" $0; next } { if (r != "") print r; r = $0 } END { if (r != "") print r }' |
		sort
}

# ---- the fixture cluster: the same findings as scanning its files --------------------------
start basic --fixtures "$BASIC"
run scan --no-config "$BASIC"
cp "$TMP/out" "$TMP/file.out"
FILE_RC=$RC
api --pve "$URL" --cacert "$CERT" --no-agent
cp "$TMP/out" "$TMP/api.out"
[ "$RC" -eq "$FILE_RC" ]
ok $? "the API scan exits like the file scan ($RC, want $FILE_RC)"
records "$TMP/file.out" >"$TMP/file.cmp"
records "$TMP/api.out" >"$TMP/api.cmp"
cmp -s "$TMP/file.cmp" "$TMP/api.cmp"
ok $? "the same findings, evidence, fixes and summary as the file scan (modulo places)"
[ $? -eq 0 ] || diff "$TMP/file.cmp" "$TMP/api.cmp" | sed 's/^/#   /' | head -20
has api.out "^$ORIGIN/nodes/pve1/qemu/101/config#net0: error: .*VNL001" \
	"a NIC finding is placed at pve://host/nodes/<node>/qemu/<vmid>/config#net0"
has api.out 'in 5 VMs$' "five qemu VMs (the container is skipped)"
hasnt err . "nothing on stderr"

api --pve "$URL" --cacert "$CERT" --no-agent --format json
"$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["rule"]["id"] == "VNL001"] if isinstance(d, dict) and "findings" in d else []
sys.exit(0 if f and all("#net" in json.dumps(x) for x in f) else 1)' "$TMP/out" 2>/dev/null
ok $? "the JSON report carries the same places"

# the NIC map of the API scan: the same boxes and findings as of the files
run map --no-config --fail-on never "$BASIC"
cp "$TMP/out" "$TMP/file-map.html"
run map --no-config --fail-on never --pve "$URL" --cacert "$CERT" --no-agent
cp "$TMP/out" "$TMP/api-map.html"
grep -o '<b>VM [^<]*</b> <span class="k">pve-api' "$TMP/api-map.html" | wc -l | grep -qx 5 &&
	[ "$(grep -c '<li class="f ' "$TMP/api-map.html")" -eq "$(grep -c '<li class="f ' "$TMP/file-map.html")" ]
ok $? "map --pve draws the five VMs (pve-api) with as many findings as the files' map"

# ---- the network around the VMs: a generated cluster, files vs API -------------------------
"$PY" - "$HERE" "$TMP/gen" <<'EOF'
import os, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
import pveapi_server
for path, text in pveapi_server.generate_tree(150, 5).items():
    full = os.path.join(sys.argv[2], path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, 'w', encoding='utf-8', errors='surrogateescape') as handle:
        handle.write(text)
EOF
start gen --generate 150 --seed 5
run scan --no-config "$TMP/gen"
cp "$TMP/out" "$TMP/genfile.out"
GEN_RC=$RC
api --pve "$URL" --fingerprint "$FP" --no-agent
cp "$TMP/out" "$TMP/genapi.out"
records "$TMP/genfile.out" >"$TMP/genfile.cmp"
records "$TMP/genapi.out" >"$TMP/genapi.cmp"
cmp -s "$TMP/genfile.cmp" "$TMP/genapi.cmp" && [ "$RC" -eq "$GEN_RC" ]
ok $? "150 generated VMs with SDN vnets and jumbo bridges: same as the file scan (exit $RC)"
[ $? -eq 0 ] || diff "$TMP/genfile.cmp" "$TMP/genapi.cmp" | sed 's/^/#   /' | head -20
has genapi.out 'in 150 VMs' "all 150 VMs"

# ---- numbers as strings ---------------------------------------------------------------------
start strings --fixtures "$BASIC" --numbers-as-strings
api --pve "$URL" --cacert "$CERT" --no-agent
records "$TMP/out" >"$TMP/strings.cmp"
cmp -s "$TMP/file.cmp" "$TMP/strings.cmp"
ok $? "numbers sent as JSON strings: the same findings"
stop_servers

# ---- the guest agent ------------------------------------------------------------------------
start agent --fixtures "$BASIC"
api --pve "$URL" --cacert "$CERT"
is_rc 1 "running VMs with an agent that does not answer: no error (exit 1 for findings)"
hasnt err . "agent failures are silent"
control '{"agent": {"104": {"id": "opnsense", "name": "OPNsense"}}}'
api --pve "$URL" --cacert "$CERT"
has out "104/config#net0: warning: \\[PENDING\\] VM 104.*queues=2" \
	"the agent's OS id makes VM 104 a firewall: its pending queues=2 is reported"
has out 'because firewall: OS opnsense' "the evidence names the agent's OS"
api --pve "$URL" --cacert "$CERT" --no-agent
hasnt out 'VM 104.*VNL001' "--no-agent: the agent is not asked"

# ---- authentication and permissions ------------------------------------------------------------
PROXMOX_VE_API_TOKEN="root@pam!vmnetlint=$BAD_SECRET" api --pve "$URL" --cacert "$CERT"
is_rc 3 "a refused token exits 3"
lines err 'error:' 1 "one error line"
has err 'authentication failure \(HTTP 401\).*root@pam!vmnetlint' "401 names the token id"
PROXMOX_VE_API_TOKEN="netadmin@pve!fix=$SECRET" api --pve "$URL" --cacert "$CERT" --no-agent
is_rc 1 "a token without Sys.Audit: the findings decide the exit status, not the context"
has err 'cluster/firewall/options: note: .*HTTP 403.*lacks Sys.Audit on /.*read with Sys.Audit on /' \
	"403 on the firewall options names the missing privilege and its path"
hasnt err 'error:' "and it is not an error"
has out 'in 5 VMs' "and the VMs are still scanned"

# ---- optional context: forbidden or missing, one note each, the exit follows the findings --------
# endpoint regex | what the note says | the privilege it names
for spec in "^/cluster/firewall/options\$|firewall options|Sys.Audit on /" \
	"^/cluster/sdn/zones\$|SDN|SDN.Audit on /sdn" \
	"^/cluster/sdn/vnets\$|SDN|SDN.Audit on /sdn" \
	"^/cluster/sdn/controllers\$|SDN|SDN.Audit on /sdn" \
	"^/nodes/pve1/network\$|node network|Sys.Audit on /" \
	"^/nodes/pve2/qemu/[0-9]+/firewall/options\$|VM firewall options|VM.Audit on /vms"; do
	path=${spec%%|*}
	rest=${spec#*|}
	what=${rest%%|*}
	priv=${rest#*|}
	for action in forbid missing missing404; do
		case $action in
		forbid) fault="{\"path\": \"$path\", \"action\": \"forbid\"}"; code=403 ;;
		missing) fault="{\"path\": \"$path\", \"action\": \"missing\"}"; code=501 ;;
		missing404) fault="{\"path\": \"$path\", \"action\": \"missing\", \"status\": 404}"; code=404 ;;
		esac
		control "[$fault]"
		api --pve "$URL" --cacert "$CERT" --no-agent
		is_rc 1 "$code on $path: exit 1 (the findings), not 3"
		lines err "HTTP $code.*scanned without the $what \\(context, read with $priv\\)" 1 \
			"$code on $path: one note naming the privilege"
		hasnt err 'error:' "$code on $path: no error"
		has out 'in 5 VMs' "$code on $path: every VM scanned"
	done
done
# the same as JSON: a note, never a finding
control '[{"path": "^/cluster/firewall/options$", "action": "forbid"}]'
api --pve "$URL" --cacert "$CERT" --no-agent --format json
"$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
notes = [n["message"] for n in d["notes"] if "cluster/firewall/options" in n["origin"]]
found = [f for f in d["findings"] if "firewall/options" in json.dumps(f)]
sys.exit(0 if len(notes) == 1 and "HTTP 403" in notes[0] and not found else 1)' "$TMP/out"
ok $? "JSON: the forbidden firewall options are one note, not a finding"
api --pve "$URL" --cacert "$CERT" --no-agent --format sarif
"$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
run = d["runs"][0]
notes = [n for inv in run.get("invocations", []) for n in inv.get("toolExecutionNotifications", [])
         if "HTTP 403" in n["message"]["text"]]
sys.exit(0 if len(notes) == 1 and not any("firewall/options" in json.dumps(r) for r in run["results"]) else 1)' "$TMP/out"
ok $? "SARIF: a toolExecutionNotification, not a result"
# VM 101 (CARP, firewall=1) on pve1: without its firewall options VNL030 cannot decide
control '[{"path": "^/nodes/pve1/qemu/[0-9]+/firewall/options$", "action": "forbid", "acl_path": "/vms/101", "privilege": "VM.Audit"}]'
api --pve "$URL" --cacert "$CERT" --no-agent
lines err 'VM firewall options.*VM.Audit on /vms' 1 "one note for node pve1, not one per VM"
lines err 'VNL030 carp-macfilter: not checked: VM firewall options of node pve1 unavailable \(403 on /nodes/pve1/qemu/10[12]/firewall/options\)' 1 \
	"VNL030 says once that it could not check, and why"
hasnt out 'VNL030' "instead of a guess"
control '[{"path": "^/nodes/pve1/network$", "action": "forbid", "acl_path": "/nodes/pve1"}]'
api --pve "$URL" --cacert "$CERT" --no-agent
has err 'VNL013 pfsync-mtu: not checked: node network of node pve1 unavailable \(403 on /nodes/pve1/network\)' \
	"VNL013: the bridge MTU of pve1 could not be read: not checked"
hasnt out 'VNL013' "and no finding built on a guessed MTU"
is_rc 1 "still exit 1"

# ---- the fatal cases ---------------------------------------------------------------------------
control '[{"path": "^/nodes/pve1/qemu/102/config$", "action": "forbid", "acl_path": "/vms/102", "privilege": "VM.Audit"}]'
api --pve "$URL" --cacert "$CERT" --no-agent
is_rc 3 "403 on a VM's own config: exit 3"
has err "nodes/pve1/qemu/102/config: error: VM 102 on node pve1: .*HTTP 403.*lacks VM.Audit on /vms/102" \
	"it is that VM's error, naming the privilege"
has out 'in 4 VMs' "the other VMs are scanned"
control '[{"path": "^/nodes/pve2/qemu/104/pending$", "action": "forbid", "acl_path": "/vms/104", "privilege": "VM.Audit"}]'
api --pve "$URL" --cacert "$CERT" --no-agent
is_rc 3 "403 on a VM's pending list (required): exit 3"
control '[{"path": "^/cluster/firewall/options$", "action": "status", "status": 401, "message": "authentication failure"}]'
api --pve "$URL" --cacert "$CERT" --no-agent
is_rc 3 "401 on optional context stays fatal (exit 3)"
has err 'cluster/firewall/options: error: .*HTTP 401' "as an error"
control '[{"path": "^/cluster/resources$", "action": "forbid"}]'
api --pve "$URL" --cacert "$CERT" --no-agent
is_rc 3 "403 on the VM list: exit 3"
control '[]'

run scan --pve "$URL" --token "root@pam!vmnetlint=$SECRET"
is_rc 2 "--token on the command line is refused"
has err 'process list' "saying why"
cat "$TMP/out" "$TMP/err" >>"$ALL"
env -u PROXMOX_VE_API_TOKEN "$VMNETLINT" scan --pve "$URL" --cacert "$CERT" >"$TMP/out" 2>"$TMP/err"
RC=$?
is_rc 2 "no token at all: exit 2"
has err 'PROXMOX_VE_API_TOKEN' "says where the token comes from"
printf '%s\n' "$TOKEN" >"$TMP/token"
chmod 644 "$TMP/token"
env -u PROXMOX_VE_API_TOKEN "$VMNETLINT" scan --no-config --pve "$URL" --cacert "$CERT" \
	--token-file "$TMP/token" >"$TMP/out" 2>"$TMP/err"
RC=$?
is_rc 2 "a token file every user can read is refused"
has err 'chmod o-r' "with the fix"
chmod 600 "$TMP/token"
env -u PROXMOX_VE_API_TOKEN "$VMNETLINT" scan --no-config --pve "$URL" --cacert "$CERT" \
	--token-file "$TMP/token" --no-agent >"$TMP/out" 2>"$TMP/err"
RC=$?
is_rc 1 "--token-file FILE (mode 600)"
cat "$TMP/out" "$TMP/err" >>"$ALL"
PROXMOX_VE_API_TOKEN="$SECRET" api --pve "$URL" --cacert "$CERT"
is_rc 2 "a secret without USER@REALM!TOKENID is refused"
api --pve "http://127.0.0.1:$PORT" --cacert "$CERT"
is_rc 2 "plain http is refused (the token would travel in clear)"
PROXMOX_VE_ENDPOINT="$URL" api --cacert "$CERT" --no-agent
has out 'in 5 VMs' "PROXMOX_VE_ENDPOINT is scanned when nothing else is given"

# ---- TLS ---------------------------------------------------------------------------------------------
control '{"reset_counters": true}'
api --pve "$URL" --no-agent
is_rc 3 "an untrusted certificate exits 3"
has err "TLS: cannot verify the certificate of 127.0.0.1:$PORT \\(.*self-signed" \
	"names the host and the reason"
lines err 'error:' 1 "one error, nothing else tried"
api --pve "$URL" --fingerprint "$FP" --no-agent
is_rc 1 "--fingerprint with the right pin (PVE's format)"
LOWER=$(printf '%s' "$FP" | tr 'A-F' 'a-f')
api --pve "https://localhost:$PORT" --fingerprint "$LOWER" --no-agent
is_rc 1 "the pin in lower case; host name checks are off with a pin"
control '{"reset_counters": true}'
WRONG="00:$(printf '%s' "$FP" | cut -c4-)"
[ "$WRONG" != "$FP" ] || WRONG="11:$(printf '%s' "$FP" | cut -c4-)"
api --pve "$URL" --fingerprint "$WRONG" --no-agent
is_rc 3 "a wrong pin exits 3"
has err "fingerprint $FP, not the one given with --fingerprint" "shows the fingerprint it saw"
[ "$(counters 'd["requests_total"]')" = 0 ]
ok $? "with a wrong pin no request (and no token) reached the server"
api --pve "$URL" --fingerprint "AA:BB" --no-agent
is_rc 2 "a malformed fingerprint is a usage error"
api --pve "$URL" --insecure --no-agent
is_rc 1 "--insecure scans"
has err 'WARNING: --insecure' "with a loud warning"
api --pve "$URL" --insecure --fingerprint "$FP"
is_rc 2 "--insecure and --fingerprint together are refused"

# ---- retries -------------------------------------------------------------------------------------------
control '{"reset_counters": true, "faults": [{"path": "^/nodes/pve1/qemu/101/config$", "action": "status", "status": 503, "times": 2}]}'
api --pve "$URL" --cacert "$CERT" --no-agent
is_rc 1 "503 twice, then 200: retried and scanned"
hasnt err . "nothing on stderr"
[ "$(counters 'd["per_path"]["GET /nodes/pve1/qemu/101/config"]')" = 3 ]
ok $? "three requests for that config (two retries)"
control '{"reset_counters": true, "faults": [{"path": "^/cluster/resources$", "action": "status", "status": 429, "retry_after": 1, "times": 1}]}'
START=$(date +%s.%N)
api --pve "$URL" --cacert "$CERT" --no-agent
END=$(date +%s.%N)
is_rc 1 "429 with Retry-After, then 200"
"$PY" -c "import sys; sys.exit(0 if $END - $START >= 1.0 else 1)"
ok $? "Retry-After: 1 was honoured"
control '{"faults": [{"path": "^/nodes/pve2/qemu/103/pending$", "action": "status", "status": 502}]}'
api --pve "$URL" --cacert "$CERT" --no-agent
is_rc 3 "a VM's pending list failing every time: exit 3"
has err "VM 103 on node pve2: GET /nodes/pve2/qemu/103/pending: HTTP 502.*after 3 tries" \
	"one error naming the VM, its node, the path and the tries"
has out 'in 5 VMs' "the VM is still checked from its config, the others too"

# ---- broken answers: one clear error, the rest of the cluster scanned -------------------------------
for fault in reset truncate garbage huge; do
	control "{\"faults\": [{\"path\": \"^/nodes/pve1/qemu/102/config$\", \"action\": \"$fault\"}]}"
	api --pve "$URL" --cacert "$CERT" --no-agent
	is_rc 3 "$fault: exit 3"
	lines err 'error:' 1 "$fault: one error line"
	has err "^$ORIGIN/nodes/pve1/qemu/102/config: error: VM 102 on node pve1: GET /nodes/pve1/qemu/102/config\\?current=1: " \
		"$fault: names VM, node and path"
	has out 'in 4 VMs' "$fault: the other four VMs are scanned"
	case $fault in
	reset) has err 'connection to .* broken' "reset: says the connection broke" ;;
	truncate) has err 'cut off' "truncate: says the answer was cut off" ;;
	garbage) has err 'not valid JSON' "garbage: says it is not JSON" ;;
	huge) has err 'larger than 32 MiB' "huge: refused at the cap" ;;
	esac
done
control '{"faults": [{"path": "^/nodes/pve3/qemu/105/firewall/options$", "action": "hang"}]}'
api --pve "$URL" --cacert "$CERT" --no-agent --timeout 1
is_rc 3 "an answer that never comes: exit 3 after --timeout (3 tries)"
has err "VM 105 on node pve3: GET /nodes/pve3/qemu/105/firewall/options: no complete answer within the timeout.*after 3 tries" \
	"names the VM, the path and the timeout"
has out 'in 5 VMs' "the VM is still checked without its firewall options"
control '{"faults": [{"path": "^/nodes/pve2/network$", "action": "garbage"}]}'
api --pve "$URL" --cacert "$CERT" --no-agent
is_rc 3 "a node's network that is not JSON: exit 3"
has err "nodes/pve2/network: error: GET /nodes/pve2/network: answer is not valid JSON" \
	"names the node's path"
control '[]'

# ---- SDN not installed --------------------------------------------------------------------------------
stop_servers
mkdir -p "$TMP/nosdn"
cp -R "$BASIC/." "$TMP/nosdn/"
rm -rf "$TMP/nosdn/sdn"
start nosdn --fixtures "$TMP/nosdn"
api --pve "$URL" --cacert "$CERT" --no-agent
is_rc 1 "a cluster without SDN (501) scans without an error"
lines err 'note: GET /cluster/sdn/(zones|vnets|controllers): HTTP 501' 3 "one note per SDN endpoint"
hasnt err 'error:' "and no error"

# ---- many requests in flight over few connections ------------------------------------------------------
stop_servers
start jobs --generate 40
control '{"reset_counters": true, "faults": [{"action": "latency", "ms": 40}]}'
api --pve "$URL" --cacert "$CERT" --jobs 8
has out 'in 40 VMs' "40 VMs with 40 ms latency"
MAX=$(counters 'd["max_in_flight"]')
CONNS=$(counters 'd["connections"]')
REQS=$(counters 'd["requests_total"]')
[ "$MAX" -gt 1 ] && [ "$MAX" -le 8 ]
ok $? "--jobs 8: requests in flight together ($MAX), never more than 8"
[ "$CONNS" -le 8 ] && [ "$REQS" -ge $((CONNS * 5)) ]
ok $? "connections are reused ($REQS requests over $CONNS connections)"
control '{"reset_counters": true, "faults": []}'
api --pve "$URL" --cacert "$CERT" --jobs 1 --no-agent
[ "$(counters 'd["max_in_flight"]')" = 1 ] && [ "$(counters 'd["connections"]')" = 1 ]
ok $? "--jobs 1: one request at a time over one connection"
api --pve "$URL" --cacert "$CERT" --jobs 0
is_rc 2 "--jobs 0 is refused"

# ---- --verbose: a trace, the token redacted --------------------------------------------------------------
api --pve "$URL" --cacert "$CERT" --no-agent --verbose --jobs 2
has err '^> GET /api2/json/cluster/resources\?type=vm' "--verbose traces requests"
has err '^> Authorization: <redacted>' "the Authorization header is redacted"
stop_servers

# ---- the write primitive (for --fix) ----------------------------------------------------------------------
start write --fixtures "$BASIC"
control '{"hotplug_fail": [104]}'
"$BUILDDIR/tests/unit/test_pve_api" --write "$URL" "$CERT" >"$TMP/write.tap" 2>&1
while IFS= read -r line; do
	case $line in
	"ok "*) ok 0 "write: ${line#ok * - }" ;;
	"not ok "*) ok 1 "write: ${line#not ok * - }" ;;
	esac
done <"$TMP/write.tap"
grep -q '^1\.\.' "$TMP/write.tap"
ok $? "the write tests ran to the end"
cat "$TMP/write.tap" >>"$ALL"
stop_servers

# ---- doctor: the token's privileges -----------------------------------------------------------------------
start doctor --fixtures "$BASIC"
api_doctor() { # api_doctor ARGS...: vmnetlint doctor ARGS, outputs kept
	run doctor "$@"
	cat "$TMP/out" "$TMP/err" >>"$ALL"
}
api_doctor --pve "$URL" --cacert "$CERT"
is_rc 0 "doctor: an all-privileged token: exit 0"
lines out '^  ok ' 6 "every privilege vmnetlint uses is there"
has out "^token root@pam!vmnetlint on $ORIGIN:" "names the token (never its secret) and the cluster"
PROXMOX_VE_API_TOKEN="netadmin@pve!fix=$SECRET" api_doctor --pve "$URL" --cacert "$CERT"
is_rc 1 "doctor: a token that lacks scan privileges: exit 1"
has out '^  MISSING  Sys.Audit on /: ' "Sys.Audit on / is missing"
has out 'without it: VNL030 cannot tell whether the MAC filter is on' "and what a scan loses without it"
has out '^  MISSING  SDN.Audit on /sdn: ' "SDN.Audit on /sdn is missing"
has out '^  ok       VM.Config.Network on /vms \(--fix\)' "VM.Config.Network (for --fix) is there"
has out '^  partly   SDN.Use on /sdn/zones' "SDN.Use only on a part of /sdn/zones"
has out 'only on /sdn/zones/localnetwork' "naming where"
has out "pveum acl modify / --tokens 'netadmin@pve!fix' --roles PVEAuditor" "and the pveum command"
control '[{"path": "^/access/permissions$", "action": "forbid", "acl_path": "/access", "privilege": "Sys.Audit"}]'
api_doctor --pve "$URL" --cacert "$CERT"
is_rc 3 "doctor: the permissions cannot be read: exit 3"
has err 'GET /access/permissions: permission denied \(HTTP 403\)' "saying why"
control '[]'
PROXMOX_VE_API_TOKEN="root@pam!vmnetlint=$BAD_SECRET" api_doctor --pve "$URL" --cacert "$CERT"
is_rc 3 "doctor: a refused token: exit 3"
has err 'HTTP 401' "401"
api_doctor --cacert "$CERT"
is_rc 2 "doctor without --pve: usage error"
stop_servers

# ---- the secret ----------------------------------------------------------------------------------------------
if grep -q -e "$SECRET" -e "$BAD_SECRET" "$ALL"; then
	ok 1 "no output, error or trace ever contains a token secret"
	grep -n -e "$SECRET" -e "$BAD_SECRET" "$ALL" | head -3 | sed 's/^/#   /'
else
	ok 0 "no output, error or trace ever contains a token secret"
fi
[ -s "$ALL" ]
ok $? "(and there was output to look at)"
if grep -q -e 'Sanitizer' -e 'runtime error:' "$ALL"; then
	ok 1 "no sanitizer report in any run"
	grep -m 3 -e 'Sanitizer' -e 'runtime error:' "$ALL" | sed 's/^/#   /'
else
	ok 0 "no sanitizer report in any run"
fi

done_testing
