#!/bin/sh
# Exit codes 0/1/2/3 and --fail-on.
. "$SRCDIR/tests/cli/lib.sh"

F="$SRCDIR/tests/fixtures/pve"

run scan "$F/clean"
is_rc 0 "clean configs exit 0"
has out '^0 errors, 0 warnings, 0 info in 2 VMs$' "the summary of a clean scan"

run scan "$F/warning-only"
is_rc 1 "a warning fails at the default --fail-on warning"
run scan --fail-on error "$F/warning-only"
is_rc 0 "a warning passes --fail-on error"
run scan --fail-on never "$SRCDIR/examples"
is_rc 0 "--fail-on never always passes"
run scan --fail-on info "$F/clean"
is_rc 0 "--fail-on info with nothing found"

run scan "$F/clean" "$TMP/does-not-exist"
is_rc 3 "a missing input exits 3"
has err "does-not-exist: error: No such file or directory" "and names the input"
has out 'in 2 VMs; 1 input could not be read' "the rest is still scanned"

run scan "$SRCDIR/examples" "$TMP/does-not-exist"
is_rc 3 "an unreadable input wins over findings (exit 3, not 1)"

if [ ! -d /etc/pve/nodes ]; then
	run scan
	is_rc 2 "no PATH and no /etc/pve: nothing to scan"
	has err 'nothing to scan' "says there is nothing to scan"
fi

done_testing
