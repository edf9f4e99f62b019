#!/bin/sh
# Sweep: real-world libvirt XML in ../shared/corpus/libvirt (virt-install's
# output tests and virt-manager's test-driver nodes). Every domain file
# scans without a crash or sanitizer report and without VNL000: libvirt
# wrote or accepts them, so a VNL000 there would be a false parse error.
# Some of virt-install's expected-output files are not one XML document
# (two phases of an install one after the other, a cloud-init prefix, a
# diff): those must be refused cleanly, one "file:line: error" line, never
# read as a qm config. The test-driver nodes are opened through test:///.
# Skipped when the corpus is absent.
. "$SRCDIR/tests/cli/lib.sh"

C="$SRCDIR/../shared/corpus/libvirt"
[ -d "$C" ] || skip_all "no corpus at $C"
C=$(cd "$C" && pwd)
unset LIBVIRT_DEFAULT_URI

crashed() { # crashed NAME: the last run crashed or a sanitizer spoke
	if [ "$RC" -gt 3 ] || grep -q 'Sanitizer\|runtime error' "$TMP/err"; then
		ok 1 "$1: no crash (exit $RC)"
		sed 's/^/#   /' "$TMP/err" | head -5
		return 0
	fi
	return 1
}

no_vnl000() { # no_vnl000 NAME
	if grep -q 'VNL000' "$TMP/out"; then
		ok 1 "$1: no VNL000"
		grep VNL000 "$TMP/out" | sed 's/^/#   /' | head -5
	else
		ok 0 "$1: no VNL000"
	fi
}

# One XML document: starts with '<', one root element, no diff lines.
one_document() {
	[ "$(sed -n '/[^[:space:]]/{p;q;}' "$1" | cut -c1)" = "<" ] &&
		[ "$(grep -c '^<domain' "$1")" -eq 1 ] && ! grep -q '^[-+]' "$1"
}

for f in "$C"/*/*.xml; do
	[ -f "$f" ] || continue
	name=${f#"$C"/}
	run scan --select VNL000 "$f"
	crashed "$name" && continue
	if grep -q '^<node' "$f"; then
		grep -q 'note: a libvirt test-driver node file' "$TMP/err"
		ok $? "$name: a node file is skipped with a note"
		continue
	fi
	if ! one_document "$f"; then
		[ "$RC" -eq 3 ] && [ "$(grep -c ': error: ' "$TMP/err")" -eq 1 ] &&
			grep -q "^$f:[0-9][0-9]*: error: not well-formed XML" "$TMP/err"
		ok $? "$name: not one XML document; refused with one file:line error"
		no_vnl000 "$name"
		continue
	fi
	[ "$RC" -le 1 ] && grep -q 'in 1 VM$' "$TMP/out"
	ok $? "$name: read as a domain (exit $RC)"
	no_vnl000 "$name"
done

# Node files through the test driver. A node this libvirt cannot load (the
# corpus follows newer libvirt) must fail cleanly: one line naming the URI.
for f in "$C"/virt-manager-testdriver/*.xml; do
	[ -f "$f" ] || continue
	name="test:///.../${f##*/}"
	run scan --select VNL000 --connect "test://$f"
	crashed "$name" && continue
	if grep -q ': error: cannot connect' "$TMP/err"; then
		[ "$(grep -c ': error: ' "$TMP/err")" -eq 1 ] && grep -q "^test://$f: error: " "$TMP/err"
		ok $? "$name: this libvirt refuses the node; one clean line naming the URI"
		sed 's/^/#   /' "$TMP/err" | head -2
	else
		[ "$RC" -le 1 ]
		ok $? "$name: every domain read (exit $RC)"
		no_vnl000 "$name"
		has out 'in [1-9][0-9]* VMs?$' "$name: domains were listed"
	fi
	hasnt err '^libvirt:|I/O warning' "$name: libvirt and libxml2 print nothing"
done

# The domains inside the node files, as files: what this libvirt cannot
# load through test:/// is still read by vmnetlint's own parser.
if [ -n "${PYTHON3:-}" ]; then
	for f in "$C"/virt-manager-testdriver/*.xml; do
		[ -f "$f" ] || continue
		d="$TMP/split-${f##*/}"
		mkdir -p "$d"
		"$PYTHON3" -c 'import sys, xml.etree.ElementTree as ET
for i, e in enumerate(ET.parse(sys.argv[1]).getroot().findall("domain")):
    open("%s/%03d.xml" % (sys.argv[2], i), "wb").write(ET.tostring(e))' "$f" "$d"
		run scan --select VNL000 "$d"
		crashed "${f##*/} split" && continue
		[ "$RC" -le 1 ] && grep -q 'in [1-9][0-9]* VMs*$' "$TMP/out"
		ok $? "${f##*/}: its domains as files are read (exit $RC)"
		no_vnl000 "${f##*/} split"
	done
fi

run scan "$C"
[ "$RC" -le 3 ] && grep -q 'VMs; [0-9]* inputs could not be read$' "$TMP/out"
ok $? "a scan of the whole corpus completes (exit $RC)"
hasnt err 'Sanitizer|runtime error' "no sanitizer report on the whole corpus"

done_testing
