#!/bin/sh
# The SARIF output passes the Microsoft SARIF Multitool's `validate` with
# its SARIF rules and its GitHub code scanning rules (GH*). The multitool
# comes from npm (@microsoft/sarif-multitool) and is installed once into a
# cache in the build tree; without npm, or when the install fails (offline),
# the test is skipped.
. "$SRCDIR/tests/cli/lib.sh"

command -v npm >/dev/null 2>&1 || skip_all "npm not found"
command -v npx >/dev/null 2>&1 || skip_all "npx not found"
[ -n "${PYTHON3:-}" ] && command -v "$PYTHON3" >/dev/null 2>&1 || skip_all "python3 not found"

CACHE="${BUILDDIR:-$TMP}/.sarif-multitool"
# The multitool is a .NET program; without ICU it needs invariant mode.
DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT

if [ ! -e "$CACHE/node_modules/.bin/sarif-multitool" ]; then
	mkdir -p "$CACHE"
	if ! npm install --prefix "$CACHE" --no-audit --no-fund @microsoft/sarif-multitool \
		>"$CACHE/install.log" 2>&1; then
		skip_all "could not install @microsoft/sarif-multitool from npm (see $CACHE/install.log)"
	fi
fi
# npm may skip the platform package's install script (chmod u+x)
for bin in "$CACHE"/node_modules/@microsoft/sarif-multitool-*/Sarif.Multitool; do
	[ -f "$bin" ] && chmod u+x "$bin"
done

multitool() {
	npx --no-install --prefix "$CACHE" sarif-multitool "$@"
}
multitool --version >"$TMP/version" 2>&1 || skip_all "sarif-multitool does not run here"

# check FILE: no error or warning from the SARIF and GitHub rule sets;
# what was found is left in $TMP/py.out. The multitool exits 0 even when a
# file is invalid, so its own SARIF log is read. bin.js runs it through a
# shell: the ';' list must reach that shell quoted.
check() {
	rm -f "$TMP/validation.sarif"
	multitool validate --rule-kind '"Sarif;Gh"' --output "$TMP/validation.sarif" \
		"$1" >"$TMP/validate.out" 2>&1
	"$PYTHON3" - "$TMP/validation.sarif" >"$TMP/py.out" 2>&1 <<'EOF'
import json, sys
res = json.load(open(sys.argv[1]))["runs"][0].get("results", [])
bad = [r for r in res if r.get("level", "warning") in ("error", "warning")]
for r in bad:
    print(r["ruleId"], r.get("level", "warning"), r["message"].get("text", r["message"]))
sys.exit(1 if bad else 0)
EOF
}

validate() { # validate DESCRIPTION FILE
	if check "$2"; then
		ok 0 "$1"
	else
		ok 1 "$1"
		sed 's/^/#   /' "$TMP/py.out" "$TMP/validate.out" | head -30
	fi
}

cd "$SRCDIR"
run scan --format sarif examples/
cp "$TMP/out" "$TMP/examples.sarif"
validate "the SARIF of examples/ passes sarif-multitool validate (SARIF + GitHub rules)" \
	"$TMP/examples.sarif"

run scan --format sarif --fail-on never tests/fixtures "$TMP/does-not-exist"
cp "$TMP/out" "$TMP/fixtures.sarif"
validate "the SARIF of every fixture and an unreadable input passes too" "$TMP/fixtures.sarif"

# suppressed results: inSource (VM notes), external (vmnetlint.conf), and
# unsuppressed ones beside them with an empty list
printf '[suppress "VNL001"]\nvm = fw-opnsense-b\nreason = lab pair, single flows only\n' >"$TMP/supp.conf"
run scan --format sarif --config "$TMP/supp.conf" tests/fixtures/suppress/pve examples/
cp "$TMP/out" "$TMP/suppressed.sarif"
grep -q '"inSource"' "$TMP/suppressed.sarif" && grep -q '"external"' "$TMP/suppressed.sarif"
ok $? "the SARIF with suppressed results has both kinds of suppression"
validate "SARIF with suppressed results passes too" "$TMP/suppressed.sarif"

NODE="$SRCDIR/tests/fixtures/libvirt/node/node.xml"
if [ -f "$NODE" ]; then
	run scan --format sarif --connect "test://$NODE"
	cp "$TMP/out" "$TMP/live.sarif"
	validate "SARIF with logical locations (libvirt URIs) passes too" "$TMP/live.sarif"
fi

# The validator itself must catch broken files, or the checks above prove
# nothing: a result without a message breaks the schema, one without
# locations breaks a GitHub rule.
# broken KEY: the SARIF of examples/ without results[0].KEY, checked
broken() {
	"$PYTHON3" - "$TMP/examples.sarif" "$TMP/broken.sarif" "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
del d["runs"][0]["results"][0][sys.argv[3]]
json.dump(d, open(sys.argv[2], "w"))
EOF
	if check "$TMP/broken.sarif"; then r=1; else r=0; fi
	grep -q "$2" "$TMP/py.out" || r=1
	ok $r "the multitool catches a result without $1 ($2)"
	[ $r -eq 0 ] || sed 's/^/#   /' "$TMP/py.out" "$TMP/validate.out" | head -30
}
broken message JSON1002
broken locations GH1015

done_testing
