#!/bin/sh
# Machine-readable output: --format json|sarif|junit|github|gitlab, --output,
# several --format F:FILE in one run, fingerprints, baselines, --exit-zero,
# --statistics, GitHub annotations under GITHUB_ACTIONS.
. "$SRCDIR/tests/cli/lib.sh"

[ -n "${PYTHON3:-}" ] && command -v "$PYTHON3" >/dev/null 2>&1 || skip_all "python3 not found"
command -v xmllint >/dev/null 2>&1 || skip_all "xmllint not found (libxml2-utils)"

cd "$SRCDIR"
F="$SRCDIR/tests/fixtures/pve"
EX=examples/cluster/nodes/pve1/qemu-server

# pyok DESCRIPTION ARGS... <<'EOF' (python on stdin; sys.argv[1:] = ARGS)
pyok() {
	desc=$1
	shift
	if "$PYTHON3" - "$@" >"$TMP/py.out" 2>&1; then
		ok 0 "$desc"
	else
		ok 1 "$desc"
		sed 's/^/#   py: /' "$TMP/py.out" | head -20
	fi
}

# the findings of the text report, one line each
run scan -q --fail-on never examples/
NFIND=$(grep -c '\[VNL[0-9]' "$TMP/out")

# ---- JSON -----------------------------------------------------------------------------
run scan --format json examples/
is_rc 1 "--format json keeps the exit code"
cp "$TMP/out" "$TMP/report.json"
pyok "the JSON report has the documented fields" "$TMP/report.json" "$NFIND" <<'EOF'
import json, re, sys
d = json.load(open(sys.argv[1])); n = int(sys.argv[2])
assert d["schema_version"] == 1 and d["tool"]["name"] == "vmnetlint"
s = d["summary"]
assert s["vms"] == 6 and s["files"] == 6 and s["unreadable"] == 0 and s["baselined"] == 0, s
assert len(d["findings"]) == n == s["findings"] == sum(s["by_severity"].values()), (len(d["findings"]), n, s)
keys = {"rule", "severity", "message", "vm", "nic", "location", "evidence", "value", "edits", "fingerprint", "pending"}
for f in d["findings"]:
    assert keys <= set(f), set(f) ^ keys
    assert set(f["vm"]) >= {"id", "name", "label", "source_kind"}
    assert set(f["location"]) == {"origin", "line", "column"}
    assert re.fullmatch("[0-9a-f]{64}", f["fingerprint"])
    for e in f["edits"]:
        assert set(e) >= {"op", "property", "nic", "value", "description"}
assert len({f["fingerprint"] for f in d["findings"]}) == n, "fingerprints are unique"
assert len(d["vms"]) == 6 and len(d["inputs"]) == 6 and all(i["read"] for i in d["inputs"])
f = [f for f in d["findings"] if f["rule"]["id"] == "VNL001" and f["vm"]["id"] == "101" and f["nic"] == "net0"][0]
assert f["rule"]["name"] == "pfsync-multiqueue" and f["severity"] == "error"
assert f["location"] == {"origin": "examples/cluster/nodes/pve1/qemu-server/101.conf", "line": 10, "column": 45}
assert f["vm"] == {"id": "101", "name": "fw-opnsense-a", "label": "VM 101 (fw-opnsense-a)", "source_kind": "pve-file"}
assert f["value"] == "queues=4" and f["pending"] is False and "carp" in f["evidence"]
assert f["edits"][0] == {"op": "remove", "property": "queues", "offload": None, "nic": "net0",
                         "value": None, "description": "remove queues from net0"}, f["edits"]
EOF
if "$PYTHON3" -c 'import jsonschema' 2>/dev/null; then
	pyok "the JSON report validates against doc/vmnetlint-report.schema.json" \
		"$TMP/report.json" "$SRCDIR/doc/vmnetlint-report.schema.json" <<'EOF'
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))
EOF
else
	T=$((T + 1))
	echo "ok $T # SKIP python jsonschema not installed"
fi

run scan --format json "$F/clean" "$TMP/does-not-exist"
is_rc 3 "an unreadable input still exits 3 with --format json"
has err 'does-not-exist: error: ' "and stderr names it"
pyok "the JSON report lists the unreadable input" "$TMP/out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["summary"]["unreadable"] == 1 and d["summary"]["vms"] == 2
bad = [i for i in d["inputs"] if not i["read"]]
assert len(bad) == 1 and bad[0]["origin"].endswith("does-not-exist") and bad[0]["error"], bad
assert len(d["vms"]) == 2
EOF

# ---- SARIF ------------------------------------------------------------------------------
run scan --format sarif examples/
is_rc 1 "--format sarif keeps the exit code"
cp "$TMP/out" "$TMP/report.sarif"
"$VMNETLINT" rules | grep -c '^VNL[0-9]' >"$TMP/nrules" || true
pyok "SARIF 2.1.0 has the structure GitHub code scanning reads" \
	"$TMP/report.sarif" "$NFIND" "$(cat "$TMP/nrules")" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1])); n = int(sys.argv[2]); nrules = int(sys.argv[3])
assert d["version"] == "2.1.0" and "sarif" in d["$schema"]
run = d["runs"][0]; drv = run["tool"]["driver"]
assert drv["name"] == "vmnetlint" and drv["version"] and drv["informationUri"].startswith("https://")
assert len(drv["rules"]) == nrules, (len(drv["rules"]), nrules)
for r in drv["rules"]:
    assert r["id"].startswith("VNL") and r["name"] and r["helpUri"]
    assert r["shortDescription"]["text"] and r["fullDescription"]["text"] and r["help"]["text"]
    assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
assert len(run["results"]) == n
for res in run["results"]:
    assert drv["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
    assert res["level"] in ("error", "warning", "note") and res["message"]["text"]
    pl = res["locations"][0]["physicalLocation"]
    uri = pl["artifactLocation"]["uri"]
    assert uri.startswith("examples/cluster/nodes/") and pl["artifactLocation"]["uriBaseId"] == "%SRCROOT%", uri
    assert pl["region"]["startLine"] >= 1
    fp = res["partialFingerprints"]
    assert len(fp["vmnetlint/v1"]) == 64 and fp["primaryLocationLineHash"] == fp["vmnetlint/v1"]
assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")
r = [r for r in run["results"] if r["ruleId"] == "VNL001"][0]
assert r["level"] == "error" and r["locations"][0]["physicalLocation"]["region"] == {"startLine": 10, "startColumn": 45}
EOF
run scan --format sarif "$SRCDIR/examples"
pyok "an absolute path (with ..) under the working directory becomes a relative URI" "$TMP/out" <<'EOF'
import json, sys
for res in json.load(open(sys.argv[1]))["runs"][0]["results"]:
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("examples/")
EOF
mkdir -p "$TMP/elsewhere"
(cd "$TMP/elsewhere" && "$VMNETLINT" scan --format sarif "$SRCDIR/$EX/101.conf" >"$TMP/out" 2>/dev/null) || true
pyok "a path outside the working directory is a file:// URI" "$TMP/out" <<'EOF'
import json, sys
for res in json.load(open(sys.argv[1]))["runs"][0]["results"]:
    al = res["locations"][0]["physicalLocation"]["artifactLocation"]
    assert al["uri"].startswith("file:///") and al["uri"].endswith("/101.conf") and "uriBaseId" not in al, al
EOF

# ---- JUnit ------------------------------------------------------------------------------
run scan --format junit examples/
is_rc 1 "--format junit keeps the exit code"
cp "$TMP/out" "$TMP/junit.xml"
if xmllint --noout "$TMP/junit.xml" 2>"$TMP/xmllint.err"; then ok 0 "JUnit XML is well-formed"
else ok 1 "JUnit XML is well-formed"; sed 's/^/#   /' "$TMP/xmllint.err"; fi
pyok "JUnit: one testcase per VM, one failure per finding, clean VMs pass" "$TMP/junit.xml" "$NFIND" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot(); n = int(sys.argv[2])
suites = root.findall("testsuite")
assert root.tag == "testsuites" and len(suites) == 1
cases = suites[0].findall("testcase")
assert len(cases) == 6 and suites[0].get("tests") == "6", len(cases)
assert len({c.get("name") for c in cases}) == 6, "testcase names are unique"
fails = [f for c in cases for f in c.findall("failure")]
assert len(fails) == n, (len(fails), n)
failed = [c for c in cases if c.findall("failure")]
assert suites[0].get("failures") == str(len(failed))
for f in fails:
    assert f.get("type").startswith("VNL") and f.get("message") and f.text.startswith("examples/")
c = [c for c in cases if c.get("name") == "VM 101 (fw-opnsense-a)"][0]
assert c.get("classname") == "examples/cluster/nodes/pve1/qemu-server/101.conf"
f = [f for f in c.findall("failure") if "net0" in f.get("message") and f.get("type") == "VNL001"][0]
assert f.text.startswith("examples/cluster/nodes/pve1/qemu-server/101.conf:10:45") and "because " in f.text
assert [c for c in cases if c.get("name") == "VM 120 (web01)" and not list(c)], "VM 120 passes"
EOF
printf 'name: ctl\001x\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0,bogus=\377\n' >"$TMP/ctl.conf"
run scan --format junit "$TMP/ctl.conf"
if xmllint --noout "$TMP/out" 2>/dev/null; then ok 0 "control bytes and invalid UTF-8 still give well-formed XML"
else ok 1 "control bytes and invalid UTF-8 still give well-formed XML"; fi
run scan --format json "$TMP/ctl.conf"
pyok "... and valid JSON" "$TMP/out" <<'EOF'
import json, sys
json.load(open(sys.argv[1], encoding="utf-8"))
EOF

# ---- GitHub annotations -----------------------------------------------------------------
GH1="::error file=$EX/101.conf,line=10,col=45,title=VNL001 pfsync-multiqueue::VM 101 (fw-opnsense-a) net0: virtio queues=4 on a pf firewall with pfsync/CARP; inbound TCP flows stall and pf counts state-mismatch%0Abecause firewall: tag 'opnsense', name word 'opnsense', description word 'OPNsense'; pfsync: tag 'carp', description word 'CARP', description word 'pfsync'%0Afix: remove queues from net0"
run scan --format github examples/
is_rc 1 "--format github keeps the exit code"
grep -qxF -- "$GH1" "$TMP/out"
ok $? "a finding is one ::error line with file, line, col and title"
lines out '^::(error|warning|notice) ' "$NFIND" "one annotation per finding and nothing else"
lines out '^::' "$NFIND" "no other lines"
has out "^::error file=$EX/130.conf,line=7,col=45,title=VNL000 config-parse::" "VNL000 is an error annotation"
mkdir -p "$TMP/a,b%c"
cp "$F/warning-only/102.conf" "$TMP/a,b%c/102.conf"
(cd "$TMP" && "$VMNETLINT" scan --format github "a,b%c/102.conf" >"$TMP/out" 2>"$TMP/err") || true
has out '^::warning file=a%2Cb%25c/102\.conf,line=[0-9]+,' "warning -> ::warning; , and % are escaped in file="
run scan --format github "$F/clean" "$TMP/does-not-exist"
has out "^::error file=.*does-not-exist,title=unreadable input::" "an unreadable input is an ::error annotation"

GITHUB_ACTIONS=true run scan examples/
lines out '^::(error|warning|notice) ' "$NFIND" "GITHUB_ACTIONS=true: the text report also annotates"
has out "^$EX/101.conf:10:45: error: " "... next to the text report"
has out '^[0-9]+ errors?, ' "... with its summary"
GITHUB_ACTIONS=true run scan --no-github-annotations examples/
lines out '^::' 0 "--no-github-annotations turns them off"
GITHUB_ACTIONS=true run scan --format json examples/
lines out '^::' 0 "no annotations when stdout carries another format"
run scan examples/
lines out '^::' 0 "no annotations outside GitHub Actions"

# ---- GitLab Code Quality ------------------------------------------------------------------
run scan --format gitlab examples/
is_rc 1 "--format gitlab keeps the exit code"
pyok "GitLab Code Quality has its fields, unique fingerprints and the severity mapping" \
	"$TMP/out" "$NFIND" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1])); n = int(sys.argv[2])
assert isinstance(d, list) and len(d) == n
for i in d:
    assert set(i) == {"description", "check_name", "fingerprint", "severity", "location"}, set(i)
    assert i["severity"] in ("info", "minor", "major", "critical", "blocker")
    assert i["location"]["path"].startswith("examples/") and i["location"]["lines"]["begin"] >= 1
assert len({i["fingerprint"] for i in d}) == n
i = [i for i in d if i["check_name"] == "VNL001 pfsync-multiqueue"][0]
assert i["severity"] == "critical" and i["location"]["lines"]["begin"] == 10
EOF

# ---- URI origins (libvirt connections) ------------------------------------------------------
NODE="$SRCDIR/tests/fixtures/libvirt/node/node.xml"
if [ -f "$NODE" ]; then
	run scan --format sarif --connect "test://$NODE"
	pyok "SARIF names a URI origin as a logical location" "$TMP/out" "test://$NODE" <<'EOF'
import json, sys
res = json.load(open(sys.argv[1]))["runs"][0]["results"]
assert res
for r in res:
    loc = r["locations"][0]
    assert "physicalLocation" not in loc
    ll = loc["logicalLocations"][0]
    assert ll["fullyQualifiedName"].startswith(sys.argv[2] + "#") and ll["kind"] == "resource" and ll["name"]
EOF
	run scan --format github --connect "test://$NODE"
	lines out '^::[a-z]+ file=' 0 "a GitHub annotation for a URI origin has no file="
	has out "^::error title=VNL001 pfsync-multiqueue::test://$NODE#" "... and names the URI in its message"
	run scan --format junit --connect "test://$NODE"
	pyok "JUnit: a VM from a connection has its URI as classname and no file" "$TMP/out" <<'EOF'
import sys, xml.etree.ElementTree as ET
cases = ET.parse(sys.argv[1]).getroot().findall(".//testcase")
assert cases and all(c.get("classname").startswith("test://") and c.get("file") is None for c in cases)
EOF
fi

# ---- fingerprints ---------------------------------------------------------------------------
mkdir -p "$TMP/fw"
cp "$EX/101.conf" "$TMP/fw/101.conf"
fingerprints() { # fingerprints OUT: "nic rule fingerprint" lines, sorted
	"$VMNETLINT" scan --format json "$TMP/fw" 2>/dev/null |
		"$PYTHON3" -c 'import json,sys
for f in json.load(sys.stdin)["findings"]: print(f["nic"], f["rule"]["id"], f["fingerprint"])' |
		sort >"$1"
}
fingerprints "$TMP/fp1"
awk '/^net0:/ { print ""; print "# moved down"; print "" } { print }' "$TMP/fw/101.conf" >"$TMP/shifted"
cp "$TMP/shifted" "$TMP/fw/101.conf"
fingerprints "$TMP/fp2"
cmp -s "$TMP/fp1" "$TMP/fp2"
ok $? "fingerprints do not change when lines shift"
grep '^net3:' "$TMP/fw/101.conf" >"$TMP/reordered"
grep -v '^net3:' "$TMP/fw/101.conf" >>"$TMP/reordered"
cp "$TMP/reordered" "$TMP/fw/101.conf"
fingerprints "$TMP/fp3"
cmp -s "$TMP/fp1" "$TMP/fp3"
ok $? "fingerprints do not change when lines are reordered"
[ "$(wc -l <"$TMP/fp1")" -ge 4 ]
ok $? "the fixture has findings to compare ($(wc -l <"$TMP/fp1"))"
sed 's/^net0:/net7:/' "$EX/101.conf" >"$TMP/fw/101.conf"
fingerprints "$TMP/fp4"
n0=$(grep '^net0 VNL001' "$TMP/fp1" | awk '{ print $3 }')
n7=$(grep '^net7 VNL001' "$TMP/fp4" | awk '{ print $3 }')
[ -n "$n0" ] && [ -n "$n7" ] && [ "$n0" != "$n7" ]
ok $? "a different NIC has a different fingerprint"
grep -q "^net1 VNL001 $(grep '^net1 VNL001' "$TMP/fp1" | awk '{ print $3 }')\$" "$TMP/fp4"
ok $? "... and the other NICs keep theirs"

# ---- baselines -------------------------------------------------------------------------------
cp "$EX/101.conf" "$TMP/fw/101.conf"
run scan --write-baseline "$TMP/baseline.json" "$TMP/fw"
is_rc 1 "--write-baseline still reports and fails on the findings"
pyok "the baseline file has schema_version, fingerprints and context" "$TMP/baseline.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema_version"] == 1 and len(d["findings"]) >= 4
for f in d["findings"]:
    assert len(f["fingerprint"]) == 64 and f["rule"] and f["vm"] == "VM 101 (fw-opnsense-a)" and f["message"]
    assert "nic" in f
EOF
run scan --baseline "$TMP/baseline.json" "$TMP/fw"
is_rc 0 "scanning with its own baseline: exit 0"
lines out '\[VNL[0-9]' 0 "... and no finding is reported"
has out '^0 errors, 0 warnings, 0 info in 1 VM$' "... the summary counts what was reported"
has out "^[0-9]+ findings in the baseline .*baseline.json not reported$" "... and says how many were baselined"
run scan --baseline "$TMP/baseline.json" --format json "$TMP/fw"
pyok "the JSON summary counts the baselined findings" "$TMP/out" "$TMP/baseline.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
assert d["findings"] == [] and d["summary"]["baselined"] == len(b["findings"]), d["summary"]
EOF
awk '{ print } /^net3:/ { print "net4: virtio=BC:24:11:5A:10:05,bridge=vmbr3,queues=4" }' \
	"$EX/101.conf" >"$TMP/fw/101.conf"
run scan --baseline "$TMP/baseline.json" -q "$TMP/fw"
is_rc 1 "a new problem fails the gate"
has out '101.conf:14:[0-9]+: error: VM 101 \(fw-opnsense-a\) net4: virtio queues=4 .*\[VNL001' \
	"... and it is reported"
lines out 'net[0-3]' 0 "... but none of the baselined ones"

echo '{"findings": []}' >"$TMP/bad-baseline.json"
run scan --baseline "$TMP/bad-baseline.json" examples/
is_rc 2 "a baseline without schema_version is a usage error"
lines err . 1 "... of one line"
has err "bad-baseline.json: not a vmnetlint baseline" "... naming the file"
echo 'not json' >"$TMP/bad-baseline.json"
run scan --baseline "$TMP/bad-baseline.json" examples/
is_rc 2 "a baseline that is not JSON is a usage error"
has err "bad-baseline.json:1: not valid JSON" "... with the line"
echo '{"schema_version": 1, "findings": [{"fingerprint": "abc"}]}' >"$TMP/bad-baseline.json"
run scan --baseline "$TMP/bad-baseline.json" examples/
is_rc 2 "a malformed fingerprint is a usage error"
run scan --baseline "$TMP/no-such-baseline.json" examples/
is_rc 2 "a missing baseline is a usage error"

# ---- --exit-zero, --statistics ----------------------------------------------------------------
run scan --exit-zero examples/
is_rc 0 "--exit-zero exits 0 with findings"
has out '^examples/.*error: ' "... after reporting them"
run scan --exit-zero "$F/clean" "$TMP/does-not-exist"
is_rc 0 "--exit-zero exits 0 with an unreadable input"
run scan --statistics examples/
has out '^statistics:$' "--statistics prints a table after the report"
has out '^ +8  VNL001  pfsync-multiqueue$' "... with the count per rule"
has out '^ +1  VNL000  config-parse$' "... for every rule that fired"
run scan --statistics --format json examples/
pyok "--statistics goes to stderr when stdout carries JSON" "$TMP/out" <<'EOF'
import json, sys
json.load(open(sys.argv[1]))
EOF
has err '^ +8  VNL001  pfsync-multiqueue$' "... where it is printed"

# ---- several formats in one run ------------------------------------------------------------------
run scan --format text --format "sarif:$TMP/m.sarif" --format "junit:$TMP/m.xml" \
	--format "json:$TMP/m.json" --format "gitlab:$TMP/m-gl.json" --format "github:$TMP/m-gh.txt" \
	examples/
is_rc 1 "several --format F:FILE in one run"
has out '^[0-9]+ errors?, [0-9]+ warnings?, [0-9]+ info in 6 VMs$' "text still goes to stdout"
pyok "every file is written, with the same findings" "$TMP" "$NFIND" <<'EOF'
import json, os, sys, xml.etree.ElementTree as ET
t = sys.argv[1]; n = int(sys.argv[2])
assert len(json.load(open(os.path.join(t, "m.sarif")))["runs"][0]["results"]) == n
assert len(ET.parse(os.path.join(t, "m.xml")).getroot().findall(".//failure")) == n
j = json.load(open(os.path.join(t, "m.json")))
gl = json.load(open(os.path.join(t, "m-gl.json")))
assert len(j["findings"]) == len(gl) == n
assert [f["fingerprint"] for f in j["findings"]] == [i["fingerprint"] for i in gl]
assert len(open(os.path.join(t, "m-gh.txt")).read().splitlines()) == n
EOF
run scan --format json --output "$TMP/o.json" examples/
lines out . 0 "--output FILE: nothing on stdout"
pyok "... the report is in FILE" "$TMP/o.json" <<'EOF'
import json, sys
assert json.load(open(sys.argv[1]))["schema_version"] == 1
EOF
run scan -o "$TMP/o.txt" examples/
has o.txt '^[0-9]+ errors?, ' "-o FILE without --format writes the text report to FILE"
run scan --format "text:$TMP/t.txt" --format json examples/
has t.txt "^$EX/101.conf:10:45: error: " "text can go to a file while JSON takes stdout"

run scan --format json --format sarif examples/
is_rc 2 "two formats on stdout is a usage error"
has err 'only one format can go to stdout' "... that says so"
run scan --format "json:$TMP/x" --format "sarif:$TMP/x" examples/
is_rc 2 "one file for two formats is a usage error"
run scan --format "json:$TMP/x" --output "$TMP/y" examples/
is_rc 2 "--output with no format left to take it is a usage error"
run scan --format yaml examples/
is_rc 2 "an unknown format is a usage error"
has err "not 'yaml'" "... naming it"
run scan --format json: examples/
is_rc 2 "an empty file name is a usage error"
run scan --format "json:$TMP/no/such/dir/r.json" examples/
is_rc 2 "an output file that cannot be created is a usage error"
has err 'cannot write .*r\.json' "... naming the file"
if [ -w /dev/full ]; then
	run scan --format json:/dev/full examples/
	is_rc 2 "a report that cannot be written fails (exit 2)"
	has err 'writing /dev/full failed' "... and says so"
fi

done_testing
