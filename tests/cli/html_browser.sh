#!/bin/sh
# The HTML map in a real browser: Debian's chromium, headless, driven by
# puppeteer-core (tests/browser/check_map.js), on the map of examples/, of
# a generated 200-VM cluster and of hostile inputs: every VM, bridge and
# finding of the JSON report is in the DOM, no console errors, nothing
# fetched, no input script runs, the summary table filters. The page also
# passes html-validate. puppeteer-core (it downloads no browser) and
# html-validate come from npm into a cache in the build tree; without
# chromium or npm, or offline, the test is skipped.
. "$SRCDIR/tests/cli/lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
[ -x "$CHROMIUM" ] || skip_all "chromium not found ($CHROMIUM)"
command -v node >/dev/null 2>&1 || skip_all "node not found"
command -v npm >/dev/null 2>&1 || skip_all "npm not found"
[ -n "${PYTHON3:-}" ] && command -v "$PYTHON3" >/dev/null 2>&1 || skip_all "python3 not found"

CACHE="${BUILDDIR:-$TMP}/.html-tools"
if [ ! -d "$CACHE/node_modules/puppeteer-core" ] || [ ! -d "$CACHE/node_modules/html-validate" ]; then
	mkdir -p "$CACHE"
	PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix "$CACHE" --no-audit --no-fund \
		puppeteer-core html-validate >"$CACHE/install.log" 2>&1 ||
		skip_all "could not install puppeteer-core and html-validate from npm (see $CACHE/install.log)"
fi
NODE_PATH="$CACHE/node_modules"
export NODE_PATH

# expect NAME DIR...: the map of DIR in $TMP/NAME.html and what it must hold
# (from the JSON report of the same scan, and the bridges the configs name)
expect() {
	name=$1
	shift
	"$VMNETLINT" map --fail-on never "$@" >"$TMP/$name.html" 2>/dev/null
	"$VMNETLINT" scan --fail-on never --format json "$@" >"$TMP/$name.json" 2>/dev/null
	"$PYTHON3" - "$TMP/$name.json" "$@" >"$TMP/$name.expect" <<'PY'
import json, os, re, sys
rep = json.load(open(sys.argv[1]))
bridges = set()
for top in sys.argv[2:]:
    for d, _, files in os.walk(top):
        for f in files:
            if f.endswith(".conf"):
                bridges.update(re.findall(r"bridge=([^,\s]+)", open(os.path.join(d, f)).read()))
print(json.dumps({
    "vms": [v["label"] for v in rep["vms"]],
    "bridges": sorted(b for b in bridges if re.fullmatch(r"[A-Za-z0-9_.-]+", b)),
    "findings": len(rep["findings"]),
    "rules": sorted({f["rule"]["id"] for f in rep["findings"]}),
    "messages": [f["message"] for f in rep["findings"]],
    "full_page": os.environ.get("FULL_PAGE") == "1",
}))
PY
}

# browse NAME [SCREENSHOT]: the checks of check_map.js as TAP lines
browse() {
	node "$SRCDIR/tests/browser/check_map.js" "$TMP/$1.html" "$TMP/$1.expect" ${2:+"$2"} \
		>"$TMP/$1.result" 2>&1
	grep -q '^PASS \|^FAIL ' "$TMP/$1.result" || { ok 1 "$1: check_map.js ran"; sed 's/^/#   /' "$TMP/$1.result" | head -20; return; }
	while IFS= read -r line; do
		case $line in
		"PASS "*) ok 0 "$1: ${line#PASS }" ;;
		"FAIL "*) ok 1 "$1: ${line#FAIL }" ;;
		esac
	done <"$TMP/$1.result"
}

validate() { # validate NAME
	if (cd "$TMP" && "$CACHE/node_modules/.bin/html-validate" --config "$TMP/htmlvalidate.json" \
		"$1.html" >"$TMP/$1.validate" 2>&1); then
		ok 0 "$1: the page passes html-validate (recommended rules)"
	else
		ok 1 "$1: the page passes html-validate (recommended rules)"
		sed 's/^/#   /' "$TMP/$1.validate" | head -30
	fi
}
printf '{ "extends": ["html-validate:recommended"] }\n' >"$TMP/htmlvalidate.json"

cd "$SRCDIR"
expect examples examples/
browse examples "$TMP/examples.png"
[ -s "$TMP/examples.png" ]
ok $? "examples: a screenshot was taken"
validate examples

"$PYTHON3" bench/gen_pve.py 200 "$TMP/gen200" >/dev/null
expect gen200 "$TMP/gen200"
browse gen200 "$TMP/gen200.png"
validate gen200

# hostile names, notes and bridges: shown as text, never run
expect hostile tests/fixtures/html
"$PYTHON3" - "$TMP/hostile.expect" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
e["literal"] = ["fw-<script>window.__pwned=1</script>\"'&",
                "br<script>window.__pwned=4</script>\"x",
                "eno1\"><script>window.__pwned=7</script>"]
json.dump(e, open(sys.argv[1], "w"))
PY
browse hostile
validate hostile

# VNL_MAP_PNG=FILE keeps the screenshot of examples/ (doc/map.png)
[ -z "${VNL_MAP_PNG:-}" ] || cp "$TMP/examples.png" "$VNL_MAP_PNG"

done_testing
