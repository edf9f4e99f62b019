#!/bin/sh
# vmnetlint.conf from the CLI: discovery, --config, --no-config,
# --show-config, rule states, strict errors.
. "$SRCDIR/tests/cli/lib.sh"
EX="$SRCDIR/examples"

cat >"$TMP/down.conf" <<'CONF'
[rules]
VNL001 = info
config-parse = off
CONF
run scan --config "$TMP/down.conf" "$EX"
is_rc 0 "VNL001 downgraded to info and VNL000 off: nothing at warning or above"
lines out 'info: .*\[VNL001' 8 "every VNL001 finding is reported as info"
lines out '\[VNL000' 0 "config-parse is off"

run rules --config "$TMP/down.conf"
has out '^VNL001 +pfsync-multiqueue +info +on ' "rules shows the state after the config"
has out '^VNL000 +config-parse +error +off ' "and disabled rules"

run scan --config "$TMP/down.conf" --show-config
is_rc 0 "--show-config exits 0"
has out "rules.VNL001 +info +from $TMP/down.conf:2" "--show-config names the line of each setting"
has out 'network.underlay-mtu +1500 +default' "and the defaults"

# discovery in the current directory, and --no-config
mkdir -p "$TMP/cwd"
cp "$TMP/down.conf" "$TMP/cwd/vmnetlint.conf"
(cd "$TMP/cwd" && "$VMNETLINT" scan -q "$EX" >"$TMP/out" 2>"$TMP/err")
lines out 'info: .*\[VNL001' 8 "./vmnetlint.conf is read when present"
(cd "$TMP/cwd" && "$VMNETLINT" scan -q --no-config "$EX" >"$TMP/out" 2>"$TMP/err")
lines out 'error: .*\[VNL001' 8 "--no-config ignores it"

run scan --select VNL001 --config "$TMP/down.conf" "$EX"
lines out '\[VNL001' 8 "--select works on top of the config"
run scan --ignore VNL001 --config "$TMP/down.conf" "$EX"
lines out '\[VNL001' 0 "--ignore too"

printf '[rules]\nVNL001 = sometimes\n' >"$TMP/bad.conf"
run scan --config "$TMP/bad.conf" "$EX"
is_rc 2 "a bad config is a usage error"
has err "bad.conf:2: VNL001 = sometimes: expected on, off" "naming file, line and the problem"
run scan --config "$TMP/missing.conf" "$EX"
is_rc 2 "a missing --config file is a usage error"

# roles from the config
mkdir -p "$TMP/vms"
printf 'name: edge1\ncores: 2\nostype: other\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=2\n' >"$TMP/vms/300.conf"
run scan "$TMP/vms"
is_rc 0 "an unnamed firewall is not recognised without evidence"
printf '[vm "edge*"]\nrole = firewall, pfsync\n' >"$TMP/roles.conf"
run scan --config "$TMP/roles.conf" "$TMP/vms"
has out "error: VM 300 \\(edge1\\) net0: virtio queues=2 .*VNL001" "roles declared in the config make the rule apply"
has out "because firewall: config $TMP/roles.conf:1 \\[vm \"edge\\*\"\\]" "and are cited as evidence"

done_testing
