#!/bin/sh
# scan --fix through the Proxmox VE API, against the test API server
# (tests/pveapi): one PUT per VM with every changed netN in full (MAC kept)
# and the scan's digest; live, pending or refused per VM; a checksum
# mismatch is reported, never retried; backups restore through PUT.
. "$SRCDIR/tests/cli/lib.sh"

PY=${PYTHON3:-python3}
HERE="$SRCDIR/tests/pveapi"
command -v "$PY" >/dev/null 2>&1 || skip_all "python3 is needed for the test API server"
command -v openssl >/dev/null 2>&1 || skip_all "openssl is needed for a test certificate"
command -v curl >/dev/null 2>&1 || skip_all "curl is needed to steer the test API server"

SPID=""
trap '[ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$TMP"' EXIT
"$PY" "$HERE/pveapi_server.py" --make-cert "$TMP/cert" >/dev/null 2>&1 ||
	skip_all "cannot make a test certificate"
CERT="$TMP/cert/cert.pem"
SECRET="fix-$$-never-shown"
printf '{"root@pam!vmnetlint": {"secret": "%s", "privs": ["*"]}}\n' "$SECRET" >"$TMP/tokens.json"
export PROXMOX_VE_API_TOKEN="root@pam!vmnetlint=$SECRET"
unset PROXMOX_VE_ENDPOINT LIBVIRT_DEFAULT_URI

# the fixture tree is copied: the server keeps its state in memory only
cp -R "$SRCDIR/tests/fixtures/fix/pveapi" "$TMP/cluster"
"$PY" "$HERE/pveapi_server.py" --fixtures "$TMP/cluster" --cert "$CERT" --key "$TMP/cert/key.pem" \
	--tokens "$TMP/tokens.json" --port 0 --port-file "$TMP/port" --max-seconds 300 --quiet \
	2>"$TMP/server.log" &
SPID=$!
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -s "$TMP/port" ] || skip_all "the test API server did not start"
URL="https://127.0.0.1:$(cat "$TMP/port")"
ORIGIN="pve://127.0.0.1:$(cat "$TMP/port")"
ARGS="--no-config --no-agent --pve $URL --cacert $CERT --backup-dir $TMP/bk"
raw() { curl -sS --cacert "$CERT" "$URL/__control/raw/$1"; }
control() { curl -sS --cacert "$CERT" -o "$TMP/control.json" -X POST --data "$1" "$URL/__control"; }
puts() { # puts VMID: PUTs the server saw for that VM's config
	curl -sS --cacert "$CERT" "$URL/__control" |
		"$PY" -c 'import json, sys; d = json.load(sys.stdin)["data"]["per_path"]; print(d.get("PUT /nodes/pve1/qemu/%s/config" % sys.argv[1], 0))' "$1"
}
for id in 301 302 303 304 305; do raw $id >"$TMP/before.$id"; done

# ---- --diff ---------------------------------------------------------------------
run scan $ARGS --diff
is_rc 1 "--diff through the API exits as the scan"
has out "^--- $ORIGIN/nodes/pve1/qemu/301/config$" "a diff per VM config"
has out "^-net0: virtio=BC:24:11:03:01:01,bridge=vmbr0,firewall=1,queues=4$" "the old netN line"
has out "^\+net0: virtio=BC:24:11:03:01:01,bridge=vmbr0,firewall=1$" "the new one, MAC kept"
has err "304/config: error: .*locked" "the locked VM is named"
[ "$(puts 301)" = 0 ]
ok $? "--diff sends no PUT"

# ---- --fix ------------------------------------------------------------------------
control '{"faults": [{"path": "qemu/305/config$", "method": "PUT", "action": "status", "status": 500, "message": "checksum mismatch (file change by other user?)"}]}'
run scan $ARGS --fix --yes
is_rc 4 "--fix: exit 4 (the locked VM and the conflict)"
has out "^VM 301 \(fw301\): changed $ORIGIN/nodes/pve1/qemu/301/config" "VM 301 changed"
has out "in force now \(PVE hot-plugged the NIC\)" "running with network hotplug: live"
has out "^VM 302 \(fw302\): changed" "VM 302 changed"
has out "the VM is stopped and its next start uses it" "stopped: applied for its next start"
has out "^VM 303 \(fw303\): changed" "VM 303 changed"
has out "^    fixed \(pending\): VNL001 net0" "... but only in [PENDING]"
has out "waits in \[PENDING\] until the next cold start" "running without network hotplug: pending"
has out "^VM 304 \(fw304\): NOT changed .*locked" "the locked VM is refused"
has out "^VM 305 \(fw305\): NOT changed .*checksum mismatch.*not retried" "a checksum mismatch is reported"
[ "$(puts 305)" = 1 ]
ok $? "and never retried (one PUT)"
[ "$(puts 301)" = 1 ] && [ "$(puts 303)" = 1 ]
ok $? "one PUT per VM"
has out "^restart: 1 VM needs a cold start" "one VM needs a restart (303)"
raw 301 | grep -q '^net0: virtio=BC:24:11:03:01:01,bridge=vmbr0,firewall=1$'
ok $? "301: the new net0 is in the config, its MAC kept"
raw 303 | sed -n '/^\[PENDING\]/,$p' | grep -q '^net0: virtio=BC:24:11:03:03:01,bridge=vmbr0,firewall=1$'
ok $? "303: the new net0 waits in [PENDING]"
raw 304 | cmp -s - "$TMP/before.304"
ok $? "304 (locked) is unchanged"
ls "$TMP/bk"/pve-api_301_*.json >/dev/null 2>&1
ok $? "a backup of the API's config JSON"
cat "$TMP/out" "$TMP/err" "$TMP/bk"/* | grep -q "$SECRET"
[ $? -ne 0 ]
ok $? "the token secret is in no output and no backup"
control '{"faults": []}'

# the journal of the run (src/write/journal.h): through the API no local
# file changes, but which VMs changed, and how, is journaled all the same
J=$(ls "$TMP/bk"/run-*.journal)
grep -c '"event":"changed".*"effect":"\(live\|next-start\|restart\)"' "$J" | grep -qx 3
ok $? "the journal names the three VMs changed through the API, with their effect"
grep '"event":"begin"' "$J" | grep -q '"source":"pve-api".*qemu/305/config'
ok $? "and the one whose PUT failed as begun, not changed"
grep -v '"event":"finished"' "$J" >"$TMP/j" && cp "$TMP/j" "$J"
run backups --backup-dir "$TMP/bk"
has out "was interrupted: 3 VMs changed, 0 not, 1 in doubt" \
	"interrupted: a VM without its record is in doubt (the API tells no local file)"
has out "these need a cold start \(shut down, then start\): VM 303 \(fw303\)$" \
	"only the VM whose change waits in [PENDING] needs a cold start"
run scan $ARGS --fix --yes
has out "^the interrupted --fix run .* is acknowledged by this run" "the next --fix acknowledges it"

# ---- restore -----------------------------------------------------------------------
run restore --backup-dir "$TMP/bk" --cacert "$CERT" "$TMP/bk"/pve-api_301_*.meta.json \
	"$TMP/bk"/pve-api_302_*.meta.json "$TMP/bk"/pve-api_303_*.meta.json
is_rc 0 "restore through the API"
for id in 301 302 303; do
	raw $id | cmp -s - "$TMP/before.$id"
	ok $? "$id: its config is byte-identical to before the fix (the pending change is gone too)"
done
run restore --backup-dir "$TMP/bk" --cacert "$CERT" "$TMP/bk"/pve-api_301_*.meta.json
is_rc 0 "a second restore"
has out "already holds" "has nothing to do"

# a config changed after the fix: refused, then --force
run scan $ARGS --fix --yes --vm 302
curl -sS --cacert "$CERT" -X PUT -H "Authorization: PVEAPIToken=$PROXMOX_VE_API_TOKEN" \
	--data 'onboot=1' "$URL/api2/json/nodes/pve1/qemu/302/config" >/dev/null
b=$(ls -t "$TMP/bk"/pve-api_302_*.meta.json | head -n1)
run restore --backup-dir "$TMP/bk" --cacert "$CERT" "$b"
is_rc 4 "restore refuses a config changed since the fix"
has err "changed since the fix; not restored \(--force" "and says how to override"
run restore --backup-dir "$TMP/bk" --cacert "$CERT" --force "$b"
is_rc 0 "--force restores it"
has out "the config it replaced is saved as" "keeping what it replaced"
raw 302 | grep -q 'queues=4' && raw 302 | grep -q '^onboot: 1'
ok $? "net0 is back; the other change (onboot) stays"

done_testing
