#!/bin/sh
# Exit codes 0/1/2/3 and --fail-on.
. "$SRCDIR/tests/cli/lib.sh"

F="$SRCDIR/tests/fixtures/pve"

run scan "$F/clean"
is_rc 0 "clean configs exit 0"
# the one info is VNL002's note on the OPNsense VM (offloads: guest side only)
has out '^0 errors, 0 warnings, 1 info in 2 VMs$' "the summary of a clean scan"

run scan "$F/warning-only"
is_rc 1 "a warning fails at the default --fail-on warning"
run scan --fail-on error "$F/warning-only"
is_rc 0 "a warning passes --fail-on error"
run scan --fail-on never "$SRCDIR/examples"
is_rc 0 "--fail-on never always passes"
run scan --fail-on info "$F/clean/100.conf"
is_rc 0 "--fail-on info with nothing found"

run scan "$F/clean" "$TMP/does-not-exist"
is_rc 3 "a missing input exits 3"
has err "does-not-exist: error: No such file or directory" "and names the input"
has out 'in 2 VMs; 1 input could not be read' "the rest is still scanned"

run scan "$SRCDIR/examples" "$TMP/does-not-exist"
is_rc 3 "an unreadable input wins over findings (exit 3, not 1)"

# nothing to scan unless this is a Proxmox node or a libvirt host
if [ ! -d /etc/pve/nodes ] && [ ! -e /var/run/libvirt/libvirt-sock-ro ] &&
	[ ! -e /run/libvirt/virtqemud-sock-ro ]; then
	(unset LIBVIRT_DEFAULT_URI; run scan; echo "$RC" >"$TMP/rc")
	RC=$(cat "$TMP/rc")
	is_rc 2 "no PATH and no /etc/pve: nothing to scan"
	has err 'nothing to scan' "says there is nothing to scan"
fi

done_testing
