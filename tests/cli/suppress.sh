#!/bin/sh
# Suppressions from the CLI: Proxmox VM notes, libvirt metadata,
# vmnetlint.conf [suppress] by vm and by path; VNL090 and VNL091 (must fire,
# must not fire); --no-suppress; exit codes; the summary and the JSON count;
# --statistics, --exit-zero and --baseline with suppressions.
. "$SRCDIR/tests/cli/lib.sh"
FX="$SRCDIR/tests/fixtures/suppress"
EX="$SRCDIR/examples"
cd "$FX" || exit 1

# ---- Proxmox: `vmnetlint: ignore RULE -- reason` in the VM's notes ----------------
run scan --fail-on info pve/110.conf
is_rc 0 "PVE notes: both VNL021 findings are suppressed, nothing left at info"
lines out '\[VNL021' 0 "the suppressed findings are not reported"
has out '^0 errors, 0 warnings, 0 info in 1 VM$' "nor counted"
has out '^2 findings suppressed \(--no-suppress shows them\)$' "the summary says how many"
lines out '\[VNL09[01]' 0 "VNL091 does not fire on a suppression that was used"

run scan --fail-on info --no-suppress pve/110.conf
is_rc 1 "--no-suppress: the findings are back, and count for the exit code"
lines out '\[VNL021' 2 "both of them"
hasnt out 'suppressed' "no suppressed line"

run scan pve/113.conf
has out '^1 finding suppressed' "a CRLF config is read the same"

run scan pve/111.conf
is_rc 1 "a suppression without a reason: VNL090 is a warning (exit 1)"
has out '^pve/111.conf:2:22: warning: VM 111 \(wg-gateway-2\): suppression of router-single-queue without a reason is not applied; write the reason after .* \[VNL090 suppression-invalid\]' \
	"VNL090 fires at the rule's line and column"
lines out '\[VNL021' 1 "and the finding is not suppressed"
run scan --ignore VNL090 pve/111.conf
lines out '\[VNL090' 0 "--ignore VNL090 turns it off"

run scan pve/112.conf
is_rc 0 "the VNL001 errors of a lab firewall are suppressed (exit 0)"
lines out '\[VNL001' 0 "by name (pfsync-multiqueue)"
has out "^pve/112.conf:2:40: info: VM 112 \\(fw-lab-a\\): 'vmnetlint: ignore VNL022' matched no finding; remove it from the VM's notes \\[VNL091 unused-suppression\\]" \
	"VNL091 fires on the unused VNL022, at its column"
lines out '\[VNL090' 0 "VNL090 does not fire on valid suppressions"
run scan --ignore VNL022 pve/112.conf
lines out '\[VNL091' 0 "no VNL091 for a rule that does not run in this scan"
run scan --ignore VNL091 pve/112.conf
lines out '\[VNL091' 0 "--ignore VNL091 turns it off"
printf '[rules]\nunused-suppression = off\n' >"$TMP/quiet.conf"
run scan --config "$TMP/quiet.conf" pve/112.conf
lines out '\[VNL091' 0 "so does [rules] unused-suppression = off"
run scan --no-suppress pve/112.conf
is_rc 1 "--no-suppress: the errors count again"
lines out '\[VNL09[01]' 0 "and no suppression is checked"

# ---- libvirt metadata ------------------------------------------------------------
run scan libvirt/fw-lab.xml
is_rc 1 "libvirt: VNL001 suppressed; the reason-less VNL004 suppression is a warning"
lines out '\[VNL001' 0 "<vmnetlint:suppress rule='VNL001' reason=...> suppresses"
has out "^libvirt/fw-lab.xml:10:27: info: VM fw-lab: <vmnetlint:suppress rule='VNL020'> matched no finding" \
	"VNL091 at the unused element's rule attribute"
has out "^libvirt/fw-lab.xml:11:27: warning: .*suppression of VNL004 without a reason is not applied; add reason=" \
	"VNL090 for the element without a reason"
has out '^1 finding suppressed' "one finding suppressed"
run scan --no-suppress libvirt/fw-lab.xml
lines out '\[VNL001' 1 "--no-suppress shows it"

# ---- rules that compare VMs (checked once every VM is in) --------------------------
run scan dupmac
is_rc 0 "a duplicate MAC (VNL032, a whole-scan rule) is suppressed by the VM it is reported on"
lines out '\[VNL032' 0 "not reported"
has out '^1 finding suppressed' "and counted"
has out "^dupmac/301.conf:2:22: info: VM 301 \\(lab-app\\): 'vmnetlint: ignore VNL032' matched no finding" \
	"the other VM's suppression covered nothing: VNL091 once the whole scan is checked"
lines out "302.conf.*\\[VNL091" 0 "the used one is not reported"
run scan --no-suppress dupmac
is_rc 1 "--no-suppress: the duplicate MAC is back"
printf '[suppress "duplicate-mac"]\npath = dupmac/302.conf\nreason = cold clone\n' >"$TMP/dup.conf"
run scan --ignore VNL091 --config "$TMP/dup.conf" dupmac
has out '^1 finding suppressed' "[suppress] by path covers whole-scan findings too"
hasnt err 'note:' "and counts as used"

# ---- vmnetlint.conf [suppress] ---------------------------------------------------------
cat >"$TMP/byvm.conf" <<'CONF'
[suppress "VNL021"]
vm = wg-*
reason = WireGuard gateways run one queue on purpose (CHG-1042)
CONF
run scan --fail-on info --config "$TMP/byvm.conf" "$EX"
lines out '\[VNL021' 0 "config: [suppress] by vm pattern suppresses VNL021 on wg-gateway"
has out '^2 findings suppressed' "and counts them"
lines out '\[VNL001' 8 "other findings stay"

cat >"$TMP/bypath.conf" <<'CONF'
[suppress "router-single-queue"]
path = templates/*
reason = templates get their queues at deployment
[suppress "VNL001, VNL002"]
vm = id:200
reason = never fires on a router
CONF
run scan --fail-on info --config "$TMP/bypath.conf" templates pve/111.conf
lines out '^templates/.*\[VNL021' 0 "config: [suppress] by path glob suppresses under templates/"
lines out '^pve/111.conf:.*\[VNL021' 1 "and nowhere else"
has err "bypath.conf:4: note: \\[suppress \"VNL001, VNL002\"\\] covered VMs of this scan but none of their findings" \
	"a section that covered a VM but no finding gets a note naming its line"
lines err 'bypath.conf:1: note' 0 "a section that suppressed something does not"
run scan -q --config "$TMP/bypath.conf" templates
lines err 'note:' 0 "-q hides the note"
run scan --config "$TMP/bypath.conf" pve/110.conf
lines err 'note:' 0 "a section whose VMs were not scanned says nothing"

run scan --config "$TMP/bypath.conf" --show-config
is_rc 0 "--show-config"
has out "^suppress \"router-single-queue\" from $TMP/bypath.conf:1: path=templates/\\* reason=\"templates get their queues at deployment\"" \
	"lists each [suppress] section with its place"

printf '[suppress "VNL021"]\nvm = wg-*\n' >"$TMP/noreason.conf"
run scan --config "$TMP/noreason.conf" "$EX"
is_rc 2 "config: [suppress] without a reason is a configuration error"
has err 'noreason.conf:1: \[suppress "VNL021"\] needs reason' "naming the file and the section's line"
printf '[suppress "VNL999"]\nvm = a\nreason = r\n' >"$TMP/norule.conf"
run scan --config "$TMP/norule.conf" "$EX"
is_rc 2 "config: [suppress] of no rule is a configuration error"
printf '[suppress "VNL021"]\nreason = r\n' >"$TMP/nowhere.conf"
run scan --config "$TMP/nowhere.conf" "$EX"
is_rc 2 "config: [suppress] without vm or path is a configuration error"
has err 'use \[rules\] RULE = off' "pointing at [rules]"

# ---- JSON, --statistics, --exit-zero, --baseline ------------------------------------------
run scan --format json pve/110.conf pve/112.conf
has out '"suppressed": 4' "JSON: summary.suppressed counts them"
has out '"findings": 2,' "JSON: findings counts what was reported"
run scan --format json --no-suppress pve/110.conf
has out '"suppressed": 0' "JSON: 0 with --no-suppress"

run scan --statistics pve/110.conf pve/112.conf
hasnt out 'VNL021 +router-single-queue' "--statistics: suppressed findings are not counted"
has out '^ +1 +VNL091 +unused-suppression' "unused suppressions are"
run scan --statistics --no-suppress pve/110.conf
has out '^ +2 +VNL021 +router-single-queue' "--statistics --no-suppress counts them"

run scan --exit-zero pve/111.conf
is_rc 0 "--exit-zero: 0 even with VNL090"

run scan --write-baseline "$TMP/base.json" pve/110.conf pve/111.conf
hasnt base.json '"VM 110 ' "--write-baseline leaves suppressed findings out"
has base.json '"VM 111 ' "and records the others"
run scan --baseline "$TMP/base.json" pve/110.conf pve/111.conf
is_rc 0 "--baseline: the remaining findings are baselined"
has out '^2 findings suppressed' "suppressed and baselined are counted apart"
has out '^2 findings in the baseline' "baselined"
run scan --no-suppress --baseline "$TMP/base.json" pve/110.conf pve/111.conf
is_rc 0 "--no-suppress --baseline: the suppressed findings are new, but info"
lines out '^pve/110.conf:.*\[VNL021' 2 "and reported"

# ---- SARIF shows suppressed findings as suppressed results ------------------------------
sarif_supp() { # sarif_supp FILE: "RULE KIND JUSTIFICATION" per suppressed result, "RULE -" else
	"$PYTHON3" -c '
import json, sys
for r in json.load(open(sys.argv[1]))["runs"][0]["results"]:
    s = r.get("suppressions")
    if s:
        print(r["ruleId"], s[0]["kind"], s[0].get("justification", ""))
    else:
        print(r["ruleId"], "-" if s is None else "[]")
' "$1"
}
if [ -n "${PYTHON3:-}" ] && command -v "$PYTHON3" >/dev/null 2>&1; then
	run scan --format sarif pve/110.conf
	is_rc 0 "SARIF: suppressed findings do not count for the exit code"
	sarif_supp "$TMP/out" >"$TMP/supp"
	lines supp '^VNL021 inSource 100 Mbit/s uplink, one queue is plenty \(CHG-1042\)$' 2 \
		"SARIF: both VNL021 results are there, suppressed inSource with the notes' reason"
	run scan --format sarif --no-suppress pve/110.conf
	sarif_supp "$TMP/out" >"$TMP/nosupp"
	lines nosupp '^VNL021 -$' 2 "SARIF --no-suppress: plain results, no suppressions property"
	run scan --format sarif pve/110.conf pve/111.conf
	sarif_supp "$TMP/out" >"$TMP/mixed"
	lines mixed '^VNL021 \[\]$' 1 "SARIF: next to suppressed results, the others carry an empty list"
	run scan --format sarif --config "$TMP/byvm.conf" "$EX"
	sarif_supp "$TMP/out" >"$TMP/ext"
	lines ext '^VNL021 external WireGuard gateways run one queue on purpose \(CHG-1042\)$' 2 \
		"SARIF: a vmnetlint.conf [suppress] is an external suppression with its reason"
	run scan --format sarif --ignore VNL091 --config "$TMP/dup.conf" dupmac
	sarif_supp "$TMP/out" >"$TMP/dup"
	lines dup '^VNL032 inSource cold clone of 301, never started \(CHG-2001\)$' 1 \
		"SARIF: a suppressed whole-scan finding is kept too; the VM's own suppression gives the reason"
	run scan --format sarif --format json:"$TMP/j.json" pve/110.conf
	hasnt j.json 'VNL021' "JSON (next to SARIF) still leaves suppressed findings out"
fi

done_testing
