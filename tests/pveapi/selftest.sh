#!/usr/bin/env bash
# Self-test of the Proxmox VE API test server (pveapi_server.py).
#
# Starts the server on 127.0.0.1 with a throw-away certificate, exercises it with curl and
# Python, and prints TAP ("1..N", then "ok N - ..." / "not ok N - ..."). Exit status 0 only
# if every test passed. Needs python3, curl and openssl. Usage: tests/pveapi/selftest.sh
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
SERVER="$HERE/pveapi_server.py"
FIXTURES="$HERE/fixtures/basic"
PY=${PYTHON:-python3}
export PYTHONDONTWRITEBYTECODE=1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pveapi-selftest.XXXXXX")
SERVER_PIDS=""

cleanup() {
    for pid in $SERVER_PIDS; do
        kill "$pid" 2>/dev/null
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

# ---- TAP bookkeeping -------------------------------------------------------------------
COUNT=0
FAILED=0
REPORT=""

# check DESCRIPTION SHELL-CONDITION [DIAGNOSTIC-FILE...]
check() {
    local description=$1 condition=$2
    shift 2
    COUNT=$((COUNT + 1))
    if (eval "$condition") >/dev/null 2>&1; then
        REPORT+="ok $COUNT - $description"$'\n'
    else
        FAILED=$((FAILED + 1))
        REPORT+="not ok $COUNT - $description"$'\n'
        local file
        for file in "$@"; do
            [ -f "$file" ] && REPORT+=$(head -c 600 "$file" | sed 's/^/# /')$'\n'
        done
    fi
}

# ---- helpers ---------------------------------------------------------------------------
# start_server NAME ARGS...: run in the background, wait for its port file
start_server() {
    local name=$1
    shift
    rm -f "$WORK/$name.port"
    "$PY" "$SERVER" --port 0 --port-file "$WORK/$name.port" --max-seconds 120 "$@" \
        2>"$WORK/$name.log" &
    echo $! >"$WORK/$name.pid"
    SERVER_PIDS="$SERVER_PIDS $!"
    local i
    for i in $(seq 1 100); do
        [ -s "$WORK/$name.port" ] && return 0
        sleep 0.1
    done
    return 1
}

port_of() { tr -d '\n' <"$WORK/$1.port"; }

# call NAME METHOD PATH [CURL-ARGS...]: against $BASE with $AUTH; results in
# $WORK/NAME.{body,head,code,rc,time}
call() {
    local name=$1 method=$2 path=$3
    shift 3
    local auth_args=()
    [ -n "${AUTH:-}" ] && auth_args=(-H "Authorization: $AUTH")
    curl -sS --cacert "$CERT" -X "$method" "${auth_args[@]}" -D "$WORK/$name.head" \
        -o "$WORK/$name.body" -w '%{http_code} %{time_total}' "$@" "$BASE$path" \
        >"$WORK/$name.out" 2>"$WORK/$name.err"
    echo $? >"$WORK/$name.rc"
    cut -d' ' -f1 <"$WORK/$name.out" >"$WORK/$name.code"
    cut -d' ' -f2 <"$WORK/$name.out" >"$WORK/$name.time"
}

code() { cat "$WORK/$1.code"; }
rc() { cat "$WORK/$1.rc"; }

# json NAME PYTHON-EXPR: evaluate EXPR with d = parsed body of NAME
json() {
    "$PY" -c 'import json, sys, re
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$WORK/$1.body" "$2"
}

# control [JSON]: POST JSON to /__control (or GET), answer in $WORK/control.body
control() {
    if [ $# -gt 0 ]; then
        curl -sS --cacert "$CERT" -H 'Content-Type: application/json' --data "$1" \
            -o "$WORK/control.body" "$ROOT/__control"
    else
        curl -sS --cacert "$CERT" -o "$WORK/control.body" "$ROOT/__control"
    fi
}

raw_config() {
    curl -sS --cacert "$CERT" -o "$WORK/raw$1.conf" "$ROOT/__control/raw/$1"
}

sha1_of() { "$PY" -c 'import hashlib, sys; print(hashlib.sha1(open(sys.argv[1], "rb").read()).hexdigest())' "$1"; }

elapsed_at_least() { "$PY" -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)' "$(cat "$WORK/$1.time")" "$2"; }

ROOT_AUTH='PVEAPIToken=root@pam!vmnetlint=test-secret'
AUDITOR_AUTH='PVEAPIToken=auditor@pve!scan=scan-secret'
NETADMIN_AUTH='PVEAPIToken=netadmin@pve!fix=fix-secret'

# ======================================================================================
# certificate
"$PY" "$SERVER" --make-cert "$WORK/certs" >"$WORK/fingerprint" 2>"$WORK/make-cert.err"
CERT="$WORK/certs/cert.pem"
FINGERPRINT=$(cat "$WORK/fingerprint")
OPENSSL_FP=$(openssl x509 -in "$CERT" -noout -fingerprint -sha256 | sed 's/^.*=//')
check "--make-cert prints the SHA-256 fingerprint in PVE form (32 upper-case hex bytes)" \
    '[[ "$FINGERPRINT" =~ ^([0-9A-F]{2}:){31}[0-9A-F]{2}$ ]] && [ "$FINGERPRINT" = "$OPENSSL_FP" ]' \
    "$WORK/fingerprint" "$WORK/make-cert.err"
check "the certificate has SAN IP:127.0.0.1 and DNS:localhost" \
    'openssl x509 -in "$CERT" -noout -ext subjectAltName | grep -q "IP Address:127.0.0.1, DNS:localhost"'

# ======================================================================================
# main server: fixtures + tokens file, request log kept to prove secrets are never logged
start_server main --fixtures "$FIXTURES" --cert "$CERT" --key "$WORK/certs/key.pem" \
    --tokens "$HERE/fixtures/tokens.json"
check "server starts on 127.0.0.1 with --port 0 and writes --port-file" '[ -s "$WORK/main.port" ]' \
    "$WORK/main.log"
ROOT="https://127.0.0.1:$(port_of main)"
BASE="$ROOT/api2/json"
AUTH=$ROOT_AUTH

# ---- TLS --------------------------------------------------------------------------------
call version GET /version
check "TLS: curl --cacert verifies the cert for 127.0.0.1; GET /version envelope" \
    '[ "$(code version)" = 200 ] && json version "d[\"data\"][\"version\"] and set(d) == {\"data\"}"' \
    "$WORK/version.err" "$WORK/version.body"
curl -sS --cacert "$CERT" -H "Authorization: $AUTH" -o /dev/null \
    "https://localhost:$(port_of main)/api2/json/version" 2>"$WORK/localhost.err"
LOCALHOST_RC=$?
check "TLS: the cert is also valid for https://localhost" '[ $LOCALHOST_RC = 0 ]' "$WORK/localhost.err"
curl -sS -o /dev/null "$BASE/version" 2>/dev/null
UNTRUSTED_RC=$?
check "TLS: without --cacert curl refuses the self-signed cert (exit 60)" '[ $UNTRUSTED_RC = 60 ]'
call nodes GET /nodes
check "GET /nodes: 3 online nodes carrying the cert fingerprint" \
    'json nodes "len(d[\"data\"]) == 3 and all(n[\"status\"] == \"online\" and n[\"ssl_fingerprint\"] == \"$FINGERPRINT\" for n in d[\"data\"])"' \
    "$WORK/nodes.body"

# ---- authentication and privileges ---------------------------------------------------------
AUTH='' call noauth GET /version
check "no Authorization header: 401 authentication failure, data null" \
    '[ "$(code noauth)" = 401 ] && grep -q "^HTTP/1.1 401 authentication failure" "$WORK/noauth.head" && json noauth "d[\"data\"] is None"' \
    "$WORK/noauth.head" "$WORK/noauth.body"
AUTH='PVEAPIToken=root@pam!vmnetlint=wrong-secret-xyz' call badsecret GET /version
check "wrong secret: 401" '[ "$(code badsecret)" = 401 ]' "$WORK/badsecret.body"
AUTH='PVEAPIToken root%40pam%21vmnetlint=test-secret' call spaceform GET /version
check "token with a space instead of '=' and URI-escaped value is accepted" \
    '[ "$(code spaceform)" = 200 ]' "$WORK/spaceform.body"
AUTH=$AUDITOR_AUTH call forbidden GET /nodes/pve2/qemu/104/config
check "missing VM.Audit: 403 'Permission check failed (/vms/104, VM.Audit)'" \
    '[ "$(code forbidden)" = 403 ] && json forbidden "d[\"message\"] == \"Permission check failed (/vms/104, VM.Audit)\\n\""' \
    "$WORK/forbidden.body"
AUTH=$AUDITOR_AUTH call auditres GET '/cluster/resources?type=vm'
check "cluster/resources silently filters VMs without VM.Audit" \
    'json auditres "sorted(v[\"vmid\"] for v in d[\"data\"]) == [101, 102]"' "$WORK/auditres.body"
AUTH=$NETADMIN_AUTH call sdnuse PUT /nodes/pve1/qemu/102/config \
    --data-urlencode 'net1=e1000=BC:24:11:00:02:02,bridge=vxnet1,firewall=1'
check "netN on an SDN vnet without SDN.Use: 403 naming /sdn/zones/vxz1/vxnet1" \
    '[ "$(code sdnuse)" = 403 ] && json sdnuse "\"/sdn/zones/vxz1/vxnet1, SDN.Use\" in d[\"message\"]"' \
    "$WORK/sdnuse.body"

# ---- reading ---------------------------------------------------------------------------------
call resources GET '/cluster/resources?type=vm'
check "cluster/resources?type=vm: qemu and lxc entries with id/type/vmid/node/status/template" \
    'json resources "{v[\"id\"] for v in d[\"data\"]} == {\"qemu/101\", \"qemu/102\", \"qemu/103\", \"qemu/104\", \"qemu/105\", \"lxc/200\"} and all(k in v for v in d[\"data\"] for k in (\"type\", \"vmid\", \"node\", \"status\", \"name\", \"template\", \"maxcpu\", \"maxmem\"))"' \
    "$WORK/resources.body"
call allres GET /cluster/resources
check "cluster/resources without type adds node entries" \
    'json allres "sum(1 for v in d[\"data\"] if v[\"type\"] == \"node\") == 3"' "$WORK/allres.body"
call cfg101 GET /nodes/pve1/qemu/101/config
check "config: digest = SHA-1 of the raw file, description decoded, numbers as numbers" \
    'json cfg101 "d[\"data\"][\"digest\"] == \"$(sha1_of "$FIXTURES/nodes/pve1/qemu-server/101.conf")\" and d[\"data\"][\"description\"] == \"OPNsense primary: CARP master\\n\\n100% virtio\" and d[\"data\"][\"cores\"] == 2"' \
    "$WORK/cfg101.body"
call wrongnode GET /nodes/pve2/qemu/101/config
check "config of a VM on another node: 500 'Configuration file ... does not exist'" \
    '[ "$(code wrongnode)" = 500 ] && json wrongnode "d[\"message\"] == \"Configuration file '"'"'nodes/pve2/qemu-server/101.conf'"'"' does not exist\\n\""' \
    "$WORK/wrongnode.body"
call merged GET /nodes/pve2/qemu/104/config
call current GET '/nodes/pve2/qemu/104/config?current=1'
check "config merges [PENDING] by default (queues=2, net2 deleted); current=1 does not" \
    'json merged "\"queues=2\" in d[\"data\"][\"net0\"] and \"net2\" not in d[\"data\"]" && json current "\"queues\" not in d[\"data\"][\"net0\"] and \"net2\" in d[\"data\"]"' \
    "$WORK/merged.body" "$WORK/current.body"
call pending104 GET /nodes/pve2/qemu/104/pending
check "pending: {key, value, pending} and {key, value, delete: 1}" \
    'json pending104 "any(i[\"key\"] == \"net0\" and \"pending\" in i and \"value\" in i for i in d[\"data\"]) and any(i[\"key\"] == \"net2\" and i.get(\"delete\") == 1 for i in d[\"data\"])"' \
    "$WORK/pending104.body"
call bridges GET '/nodes/pve1/network?type=any_bridge'
check "network?type=any_bridge: bridges (mtu only if written, vlan-aware) plus SDN vnets" \
    'json bridges "[e[\"iface\"] for e in d[\"data\"]] == [\"vmbr0\", \"vmbr1\", \"vxnet1\", \"vlnet20\"] and \"mtu\" not in d[\"data\"][0] and d[\"data\"][0][\"bridge_vlan_aware\"] == 1 and d[\"data\"][1][\"mtu\"] == 9000"' \
    "$WORK/bridges.body"
call zones GET /cluster/sdn/zones
call vnets GET /cluster/sdn/vnets
check "SDN zones and vnets" \
    'json zones "{z[\"zone\"]: z[\"type\"] for z in d[\"data\"]} == {\"vxz1\": \"vxlan\", \"vlz1\": \"vlan\"}" && json vnets "{v[\"vnet\"]: v[\"zone\"] for v in d[\"data\"]} == {\"vxnet1\": \"vxz1\", \"vlnet20\": \"vlz1\"}"' \
    "$WORK/zones.body" "$WORK/vnets.body"
call osinfo GET /nodes/pve1/qemu/101/agent/get-osinfo
call noagent GET /nodes/pve1/qemu/102/agent/get-osinfo
call agentdown GET /nodes/pve2/qemu/104/agent/get-osinfo
check "agent/get-osinfo: result for 101; 'No QEMU guest agent configured'; 'QEMU guest agent is not running'" \
    'json osinfo "d[\"data\"][\"result\"][\"id\"] == \"freebsd\"" && json noagent "d[\"message\"] == \"No QEMU guest agent configured\\n\"" && json agentdown "d[\"message\"] == \"QEMU guest agent is not running\\n\""' \
    "$WORK/osinfo.body" "$WORK/noagent.body" "$WORK/agentdown.body"
call vmfw GET /nodes/pve1/qemu/101/firewall/options
call clusterfw GET /cluster/firewall/options
check "firewall options: VM enable 1 / macfilter 0, cluster enable 1" \
    'json vmfw "d[\"data\"][\"enable\"] == 1 and d[\"data\"][\"macfilter\"] == 0" && json clusterfw "d[\"data\"][\"enable\"] == 1"' \
    "$WORK/vmfw.body" "$WORK/clusterfw.body"
call unknown GET /nodes/pve1/storage
check "unknown path: 501 Method 'GET /nodes/pve1/storage' not implemented" \
    '[ "$(code unknown)" = 501 ] && json unknown "d[\"message\"] == \"Method '"'"'GET /nodes/pve1/storage'"'"' not implemented\\n\""' \
    "$WORK/unknown.body"

# ---- writing ---------------------------------------------------------------------------------
call cfg102 GET /nodes/pve1/qemu/102/config
DIGEST102=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["data"]["digest"])' "$WORK/cfg102.body")
call mismatch PUT /nodes/pve1/qemu/102/config --data 'cores=2&digest=0123456789abcdef0123456789abcdef01234567'
check "PUT with a stale digest: 500 checksum mismatch (file change by other user?)" \
    '[ "$(code mismatch)" = 500 ] && json mismatch "d[\"message\"] == \"checksum mismatch (file change by other user?)\\n\""' \
    "$WORK/mismatch.body"
call put102 PUT /nodes/pve1/qemu/102/config --data "digest=$DIGEST102" \
    --data-urlencode 'net0=tag=20,bridge=vmbr0,virtio=BC:24:11:00:02:01,queues=4,firewall=yes' \
    --data-urlencode 'net1=bridge=vmbr0,model=e1000'
raw_config 102
check "PUT on a stopped VM: returns null; netN re-printed canonically, given MAC kept" \
    '[ "$(code put102)" = 200 ] && json put102 "d == {\"data\": None}" && grep -qx "net0: virtio=BC:24:11:00:02:01,bridge=vmbr0,firewall=1,queues=4,tag=20" "$WORK/raw102.conf"' \
    "$WORK/put102.body" "$WORK/raw102.conf"
check "PUT without a MAC: a random BC:24:11 MAC is generated" \
    'grep -Eqx "net1: e1000=BC:24:11(:[0-9A-F]{2}){3},bridge=vmbr0" "$WORK/raw102.conf"' "$WORK/raw102.conf"
call cfg102b GET /nodes/pve1/qemu/102/config
check "after PUT the digest is the SHA-1 of the re-serialised file (keys sorted, no [PENDING])" \
    'json cfg102b "d[\"data\"][\"digest\"] == \"$(sha1_of "$WORK/raw102.conf")\"" && ! grep -q PENDING "$WORK/raw102.conf" && "$PY" -c "import sys; k = [l.split(\":\")[0] for l in open(sys.argv[1])]; sys.exit(k != sorted(k))" "$WORK/raw102.conf"' \
    "$WORK/cfg102b.body" "$WORK/raw102.conf"
call badnet PUT /nodes/pve1/qemu/102/config --data-urlencode 'net0=Virtio=BC:24:11:00:02:01,bridge=vmbr0'
call multicast PUT /nodes/pve1/qemu/102/config --data-urlencode 'net0=virtio=01:24:11:00:02:01,bridge=vmbr0'
check "invalid netN: 400 Parameter verification failed with errors.net0 (model, multicast MAC)" \
    '[ "$(code badnet)" = 400 ] && json badnet "\"net0\" in d[\"errors\"] and d[\"message\"] == \"Parameter verification failed.\\n\"" && [ "$(code multicast)" = 400 ]' \
    "$WORK/badnet.body" "$WORK/multicast.body"
call put101 PUT /nodes/pve1/qemu/101/config \
    --data-urlencode 'net0=virtio=BC:24:11:00:01:01,bridge=vmbr0,firewall=1' \
    --data-urlencode 'net2=virtio=BC:24:11:00:01:03,bridge=vmbr0,tag=200'
raw_config 101
call cfg101cur GET '/nodes/pve1/qemu/101/config?current=1'
call pending101 GET /nodes/pve1/qemu/101/pending
check "running VM, hotplug without network: queues change goes to [PENDING]" \
    '[ "$(code put101)" = 200 ] && grep -q "^\[PENDING\]$" "$WORK/raw101.conf" && json cfg101cur "\"queues=4\" in d[\"data\"][\"net0\"]" && json pending101 "any(i[\"key\"] == \"net0\" and i[\"pending\"] == \"virtio=BC:24:11:00:01:01,bridge=vmbr0,firewall=1\" for i in d[\"data\"])"' \
    "$WORK/put101.body" "$WORK/raw101.conf"
check "running VM: a tag change is applied live (not pending)" \
    'json cfg101cur "d[\"data\"][\"net2\"].endswith(\"tag=200\")" && ! sed -n "/PENDING/,\$p" "$WORK/raw101.conf" | grep -q net2' \
    "$WORK/raw101.conf"
call put104 PUT /nodes/pve2/qemu/104/config --data-urlencode 'net10=virtio=BC:24:11:00:04:0A,bridge=vmbr0,queues=2'
raw_config 104
check "running VM with default hotplug: pending entries and the new change are applied" \
    '[ "$(code put104)" = 200 ] && ! grep -q PENDING "$WORK/raw104.conf" && ! grep -q "^net2:" "$WORK/raw104.conf" && grep -qx "net10: virtio=BC:24:11:00:04:0A,bridge=vmbr0,queues=2" "$WORK/raw104.conf" && grep -q "^\[before-upgrade\]$" "$WORK/raw104.conf"' \
    "$WORK/put104.body" "$WORK/raw104.conf"
control '{"hotplug_fail": [104]}'
call hotfail PUT /nodes/pve2/qemu/104/config --data-urlencode 'net0=virtio=BC:24:11:00:04:01,bridge=vmbr0,mtu=1400'
raw_config 104
check "failed hotplug: 400 with errors.net0 'hotplug problem', change kept in [PENDING]" \
    '[ "$(code hotfail)" = 400 ] && json hotfail "d[\"errors\"][\"net0\"].startswith(\"hotplug problem\")" && sed -n "/PENDING/,\$p" "$WORK/raw104.conf" | grep -q "mtu=1400"' \
    "$WORK/hotfail.body" "$WORK/raw104.conf"
control '{"hotplug_fail": []}'
call locked PUT /nodes/pve2/qemu/103/config --data 'cores=2'
check "locked VM: 500 'VM is locked (backup)'" \
    '[ "$(code locked)" = 500 ] && json locked "d[\"message\"] == \"VM is locked (backup)\\n\""' "$WORK/locked.body"
call jsonput PUT /nodes/pve1/qemu/102/config -H 'Content-Type: application/json' \
    --data '{"cores": 2, "onboot": true, "tags": "Web;prod web"}'
call cfg102c GET /nodes/pve1/qemu/102/config
check "PUT with a JSON body; tags normalised (lower case, sorted, deduplicated)" \
    '[ "$(code jsonput)" = 200 ] && json cfg102c "d[\"data\"][\"cores\"] == 2 and d[\"data\"][\"onboot\"] == 1 and d[\"data\"][\"tags\"] == \"prod;web\""' \
    "$WORK/jsonput.body" "$WORK/cfg102c.body"
call post102 POST /nodes/pve1/qemu/102/config --data 'cores=4'
UPID=$("$PY" -c 'import json, sys, urllib.parse; print(urllib.parse.quote(json.load(open(sys.argv[1]))["data"], safe=""))' "$WORK/post102.body" 2>/dev/null)
call task GET "/nodes/pve1/tasks/$UPID/status"
check "POST config returns a qmconfig UPID; task status stopped / OK" \
    'json post102 "re.match(r\"^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmconfig:102:root@pam!vmnetlint:$\", d[\"data\"])" && json task "d[\"data\"][\"status\"] == \"stopped\" and d[\"data\"][\"exitstatus\"] == \"OK\""' \
    "$WORK/post102.body" "$WORK/task.body"

# ---- Python client: keep-alive, one connection -----------------------------------------------
control '{"reset_counters": true}'
"$PY" - "$CERT" "$(port_of main)" "$ROOT_AUTH" >"$WORK/python.out" 2>&1 <<'EOF'
import http.client, json, ssl, sys
cert, port, auth = sys.argv[1], int(sys.argv[2]), sys.argv[3]
conn = http.client.HTTPSConnection('127.0.0.1', port,
                                   context=ssl.create_default_context(cafile=cert))
headers = {'Authorization': auth}
for _ in range(10):
    conn.request('GET', '/api2/json/cluster/resources?type=vm', headers=headers)
    response = conn.getresponse()
    assert response.status == 200, response.status
    assert json.loads(response.read())['data']
conn.request('GET', '/__control')
counters = json.loads(conn.getresponse().read())['data']
assert counters['requests_total'] == 10 and counters['connections'] == 1, counters
print('python ok')
EOF
check "python http.client: 10 requests over one keep-alive connection (counters agree)" \
    'grep -q "python ok" "$WORK/python.out"' "$WORK/python.out"

# ---- /__control counters and concurrency -------------------------------------------------------
control '{"reset_counters": true}'
curl -sS --cacert "$CERT" -H "Authorization: $AUTH" -o /dev/null -o /dev/null -o /dev/null \
    -o /dev/null "$BASE/version" "$BASE/nodes" "$BASE/version" "$BASE/cluster/resources"
control
check "/__control counts requests per path and sees curl reuse one connection" \
    'json control "d[\"data\"][\"requests_total\"] == 4 and d[\"data\"][\"connections\"] == 1 and d[\"data\"][\"per_path\"][\"GET /version\"] == 2"' \
    "$WORK/control.body"
control '{"reset_counters": true, "faults": [{"path": "^/version$", "action": "latency", "ms": 600}]}'
CURL_PIDS=""
for i in 1 2 3 4 5 6; do
    curl -sS --cacert "$CERT" -H "Authorization: $AUTH" -o /dev/null "$BASE/version" &
    CURL_PIDS="$CURL_PIDS $!"
done
wait $CURL_PIDS
control
check "concurrent requests are served in parallel (max in-flight >= 4 of 6)" \
    'json control "d[\"data\"][\"max_in_flight\"] >= 4 and d[\"data\"][\"connections\"] == 6"' \
    "$WORK/control.body"

# ---- fault injection -----------------------------------------------------------------------------
control '[{"path": "^/version$", "action": "status", "status": 503, "message": "proxy busy", "times": 1}]'
call fault503 GET /version
call after503 GET /version
check "fault status 503 (times 1): 503 with the message, then 200 again" \
    '[ "$(code fault503)" = 503 ] && grep -q "^HTTP/1.1 503 proxy busy" "$WORK/fault503.head" && json fault503 "d[\"message\"] == \"proxy busy\\n\"" && [ "$(code after503)" = 200 ]' \
    "$WORK/fault503.head"
control '[{"path": "^/version$", "action": "status", "status": 429, "every": 2, "retry_after": 1}]'
call every1 GET /version
call every2 GET /version
call every3 GET /version
check "fault every 2: 200, 429 (with Retry-After), 200" \
    '[ "$(code every1)$(code every2)$(code every3)" = 200429200 ] && grep -qi "^Retry-After: 1" "$WORK/every2.head"'
control '[{"path": "^/nodes$", "action": "reset"}]'
call reset GET /nodes
check "fault reset: connection reset without a response (curl error, no HTTP status)" \
    '[ "$(rc reset)" != 0 ] && [ "$(code reset)" = 000 ]' "$WORK/reset.err"
control '[{"path": "^/cluster/resources$", "action": "truncate"}]'
call truncate GET '/cluster/resources?type=vm'
check "fault truncate: Content-Length promised, half the body sent, curl fails" \
    '[ "$(rc truncate)" != 0 ] && [ "$(wc -c <"$WORK/truncate.body")" -lt "$(grep -i "^Content-Length" "$WORK/truncate.head" | tr -dc 0-9)" ]' \
    "$WORK/truncate.err" "$WORK/truncate.head"
control '[{"path": "/qemu$", "action": "garbage"}]'
call garbage GET /nodes/pve1/qemu
check "fault garbage: 200 with an HTML body that is not JSON" \
    '[ "$(code garbage)" = 200 ] && grep -q "<html>" "$WORK/garbage.body" && ! json garbage "True"' \
    "$WORK/garbage.body"
control '[{"path": "^/cluster/resources$", "action": "huge"}]'
call huge GET /cluster/resources --max-filesize 1000000
check "fault huge (1 GiB): curl --max-filesize gives up (exit 63)" '[ "$(rc huge)" = 63 ]' \
    "$WORK/huge.err"
control '[{"path": "^/cluster/resources$", "action": "huge", "bytes": 300000}]'
call huge2 GET /cluster/resources
check "fault huge with bytes=300000: exactly that many bytes of valid JSON" \
    '[ "$(wc -c <"$WORK/huge2.body")" = 300000 ] && json huge2 "len(d[\"data\"]) > 1000"' \
    "$WORK/huge2.err"
control '[{"path": "^/version$", "action": "slow", "chunk": 8, "delay_ms": 40}]'
call slow GET /version
check "fault slow: the complete body arrives in small delayed chunks" \
    '[ "$(code slow)" = 200 ] && cmp -s "$WORK/slow.body" "$WORK/version.body" && elapsed_at_least slow 0.3' \
    "$WORK/slow.body"
control '[{"path": "^/version$", "action": "latency", "ms": 400}]'
call latency GET /version
check "fault latency: extra 400 ms" '[ "$(code latency)" = 200 ] && elapsed_at_least latency 0.4'
control '[{"path": "/network$", "action": "hang"}]'
call hang GET /nodes/pve1/network --max-time 1
check "fault hang: no answer until the client gives up (curl exit 28)" '[ "$(rc hang)" = 28 ]' \
    "$WORK/hang.err"
control '[]'
sleep 0.5
call healthy GET /version
control
check "after the faults the server is healthy and nothing is left in flight" \
    '[ "$(code healthy)" = 200 ] && json control "d[\"data\"][\"in_flight\"] == 0 and d[\"data\"][\"faults\"] == []"' \
    "$WORK/control.body"

# ---- shutdown of the main server ---------------------------------------------------------------
MAIN_PID=$(cat "$WORK/main.pid")
kill -TERM "$MAIN_PID"
STOPPED=no
for i in $(seq 1 30); do
    if ! kill -0 "$MAIN_PID" 2>/dev/null; then STOPPED=yes; break; fi
    sleep 0.1
done
check "SIGTERM stops the server within 3 s and removes the port file" \
    '[ $STOPPED = yes ] && [ ! -e "$WORK/main.port" ]'
check "the request log never contains a token secret" \
    '[ -s "$WORK/main.log" ] && ! grep -Eq "test-secret|scan-secret|fix-secret|wrong-secret" "$WORK/main.log"' \
    "$WORK/main.log"

# ======================================================================================
# second server: default token from PVEAPI_TEST_SECRET, numbers as strings, no SDN
mkdir -p "$WORK/nosdn"
cp -R "$FIXTURES/." "$WORK/nosdn/"
rm -rf "$WORK/nosdn/sdn"
printf '%s\n' '[{"path": "^/nodes$", "action": "status", "status": 502, "message": "from file"}]' \
    >"$WORK/faults.json"
PVEAPI_TEST_SECRET=env-secret start_server alt --fixtures "$WORK/nosdn" --cert "$CERT" \
    --key "$WORK/certs/key.pem" --numbers-as-strings --quiet --faults "$WORK/faults.json" \
    --auth-delay-ms 300
ROOT="https://127.0.0.1:$(port_of alt)"
BASE="$ROOT/api2/json"
AUTH='PVEAPIToken=root@pam!vmnetlint=env-secret'
call altcfg GET /nodes/pve1/qemu/101/config
check "default token root@pam!vmnetlint takes its secret from PVEAPI_TEST_SECRET" \
    '[ "$(code altcfg)" = 200 ]' "$WORK/altcfg.body" "$WORK/alt.log"
check "--numbers-as-strings: cores comes back as the string \"2\"" \
    'json altcfg "d[\"data\"][\"cores\"] == \"2\""' "$WORK/altcfg.body"
call nosdn GET /cluster/sdn/zones
check "without an sdn/ directory /cluster/sdn/zones is 501 (SDN not installed)" \
    '[ "$(code nosdn)" = 501 ]' "$WORK/nosdn.body"
call altfault GET /nodes
check "--faults FILE is applied from the start" \
    '[ "$(code altfault)" = 502 ] && json altfault "d[\"message\"] == \"from file\\n\""' \
    "$WORK/altfault.body"
AUTH='PVEAPIToken=root@pam!vmnetlint=test-secret' call altdelay GET /version
check "--auth-delay-ms 300 delays a failed authentication" \
    '[ "$(code altdelay)" = 401 ] && elapsed_at_least altdelay 0.3' "$WORK/altdelay.body"
kill -TERM "$(cat "$WORK/alt.pid")"

# ======================================================================================
# third server: --generate, and --max-seconds
start_server gen --generate 60 --seed 7 --cert "$CERT" --key "$WORK/certs/key.pem" --quiet \
    --max-seconds 3
ROOT="https://127.0.0.1:$(port_of gen)"
BASE="$ROOT/api2/json"
AUTH='PVEAPIToken=root@pam!vmnetlint=test-secret'
call genres GET '/cluster/resources?type=vm'
check "--generate 60: 60 VMs from 100 up on pve1..pve3, some tagged opnsense/carp" \
    'json genres "sorted(v[\"vmid\"] for v in d[\"data\"]) == list(range(100, 160)) and {v[\"node\"] for v in d[\"data\"]} == {\"pve1\", \"pve2\", \"pve3\"} and any(\"carp\" in v.get(\"tags\", \"\") for v in d[\"data\"])"' \
    "$WORK/genres.body"
"$PY" -c 'import sys; sys.path.insert(0, sys.argv[1]); import pveapi_server as s
a, b = s.generate_tree(60, 7), s.generate_tree(60, 7)
confs = "".join(v for k, v in a.items() if k.endswith(".conf"))
sys.exit(0 if a == b and "queues=" in confs and "virtio=BC:24:11:" in confs else 1)' "$HERE" 2>"$WORK/gen.err"
GEN_RC=$?
check "--generate is deterministic for a seed and mixes virtio NICs with and without queues" \
    '[ $GEN_RC = 0 ]' "$WORK/gen.err"
GEN_PID=$(cat "$WORK/gen.pid")
STOPPED=no
for i in $(seq 1 50); do
    if ! kill -0 "$GEN_PID" 2>/dev/null; then STOPPED=yes; break; fi
    sleep 0.1
done
check "--max-seconds 3 stops the server by itself" '[ $STOPPED = yes ]'

# ======================================================================================
echo "1..$COUNT"
printf '%s' "$REPORT"
[ "$FAILED" = 0 ]
