#!/bin/sh
# The CI examples (examples/ci/, .pre-commit-hooks.yaml): valid YAML with
# the keys each CI system needs, and the vmnetlint commands they hold,
# taken from the YAML itself, really run against examples/ with the
# expected exit codes and write the files the jobs upload.
. "$SRCDIR/tests/cli/lib.sh"
PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || skip_all "no python3"
"$PY" -c 'import yaml' 2>/dev/null || skip_all "python3-yaml is missing (./bootstrap installs it)"

# ---- read the YAML: checks as "STATUS<TAB>description", commands to files --------
cat >"$TMP/extract.py" <<'PY'
import os, re, shlex, sys
import yaml

src, out = sys.argv[1], sys.argv[2]

def check(cond, what):
    print("%d\t%s" % (0 if cond else 1, what))

def load(rel):
    with open(os.path.join(src, rel)) as f:
        return yaml.safe_load(f)

def vmnetlint_lines(text):
    """Lines of a shell script that run vmnetlint (continuations joined)."""
    text = re.sub(r"\\\n\s*", " ", text or "")
    return [l.strip() for l in text.splitlines() if l.strip().startswith("vmnetlint ")]

def write(name, lines):
    with open(os.path.join(out, name), "w") as f:
        f.write("".join(l + "\n" for l in lines))

# GitHub Actions
gha = load("examples/ci/github-actions.yml")
on = gha.get("on", gha.get(True))  # YAML 1.1 reads a bare `on` as true
check(isinstance(on, dict) and "pull_request" in on, "github: runs on pull requests")
check(gha.get("permissions", {}).get("security-events") == "write",
      "github: security-events: write, which upload-sarif needs")
steps = [s for job in gha["jobs"].values() for s in job["steps"]]
check(any("./bootstrap" in s.get("run", "") for s in steps), "github: builds with ./bootstrap")
upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
check(len(upload) == 1, "github: one upload-sarif step")
sarif = upload[0]["with"]["sarif_file"] if upload else "?"
check(upload and upload[0].get("if") == "always()", "github: the upload runs even when the scan fails")
cmds = [l for s in steps for l in vmnetlint_lines(s.get("run"))]
check(len(cmds) == 1 and "--format sarif:" + sarif in cmds[0] and "--format text" in cmds[0],
      "github: the scan writes the SARIF file that is uploaded, and text")
write("gha.sh", cmds)
write("gha.files", [sarif])

# GitLab CI
gl = load("examples/ci/gitlab-ci.yml")
job = gl["vmnetlint"]
reports = job["artifacts"]["reports"]
check(any("./bootstrap" in l for l in job.get("before_script", [])), "gitlab: builds with ./bootstrap")
check(job["artifacts"].get("when") == "always", "gitlab: artifacts: when: always keeps the reports of a failed job")
cmds = [l for entry in job["script"] for l in vmnetlint_lines(entry)]
check(len(cmds) == 1 and "junit:" + reports["junit"] in cmds[0]
      and "gitlab:" + reports["codequality"] in cmds[0],
      "gitlab: the scan writes the junit and codequality reports")
write("gl.sh", cmds)
write("gl.files", [reports["junit"], reports["codequality"]])

# pre-commit: the hook definition, and a repository that uses it
hooks = load(".pre-commit-hooks.yaml")
check(isinstance(hooks, list) and all({"id", "name", "entry", "language"} <= set(h) for h in hooks),
      "pre-commit: every hook has id, name, entry, language")
byid = {h["id"]: h for h in hooks}
cfg = load("examples/ci/.pre-commit-config.yaml")
used = [h for r in cfg["repos"] for h in r["hooks"]]
check(all(h["id"] in byid for h in used), "pre-commit: the example uses hooks that are defined")
for name, top in (("pc.sh", "examples"), ("pc-clean.sh", "tests/fixtures/pve/clean")):
    lines = []
    for h in used:
        d = dict(byid[h["id"]], **h)
        files = []
        for dirpath, _, names in os.walk(os.path.join(src, top)):
            for n in names:
                rel = os.path.relpath(os.path.join(dirpath, n), src)
                if re.search(d.get("files", ""), rel) and not (
                        d.get("exclude") and re.search(d["exclude"], rel)):
                    files.append(rel)
        check(files and not any("/lxc/" in f for f in files),
              "pre-commit: '%s' selects the VM files under %s, no containers" % (d["files"], top))
        lines.append(" ".join([d["entry"]] + [shlex.quote(a) for a in d.get("args", [])]
                              + [shlex.quote(f) for f in sorted(files)]))
    write(name, lines)
PY

"$PY" "$TMP/extract.py" "$SRCDIR" "$TMP" >"$TMP/checks" 2>"$TMP/err"
ok $? "the YAML files load and hold what the checks read"
[ -s "$TMP/err" ] && sed 's/^/#   /' "$TMP/err"
while IFS='	' read -r status what; do
	ok "$status" "$what"
done <"$TMP/checks"

# ---- run the commands as the CI job would, in a checkout -------------------------------
mkdir -p "$TMP/bin" "$TMP/w"
ln -s "$VMNETLINT" "$TMP/bin/vmnetlint"
ln -s "$SRCDIR/examples" "$TMP/w/examples"
ln -s "$SRCDIR/tests" "$TMP/w/tests"
PATH="$TMP/bin:$PATH"
export PATH

# run_job NAME WANT-EXIT [ENV=VALUE...]: the extracted commands of NAME
run_job() {
	name=$1 want=$2
	shift 2
	[ -s "$TMP/$name.sh" ] || { ok 1 "$name: no vmnetlint command found"; return; }
	(cd "$TMP/w" && env "$@" sh -e "$TMP/$name.sh" >"$TMP/out" 2>"$TMP/err")
	RC=$?
	is_rc "$want" "$name: '$(head -c 120 "$TMP/$name.sh" | head -n 1)'"
}

run_job gha 1 GITHUB_ACTIONS=true
has out '^examples/cluster/nodes/pve1/qemu-server/101.conf:10:45: error: ' "github: the text report"
has out '^::error file=examples/cluster/nodes/pve1/qemu-server/101.conf,line=10,col=45,' \
	"github: with annotations on the runner"
run_job gl 1
has out '^[1-9][0-9]* errors?, [0-9]+ warnings?, ' "gitlab: the text report in the job log"
run_job pc 1
has out 'error: .*\[VNL001 pfsync-multiqueue\]' "pre-commit: blocks a commit of the examples (errors)"
run_job pc-clean 0
has out '^0 errors, 0 warnings' "pre-commit: passes clean configs"

# ---- the files the jobs upload ------------------------------------------------------------
cat >"$TMP/reports.py" <<'PY'
import json, sys
import xml.etree.ElementTree as ET

work, sarif, junit, cq = sys.argv[1:5]

def check(cond, what):
    print("%d\t%s" % (0 if cond else 1, what))

def jload(path):
    with open(work + "/" + path) as f:
        return json.load(f)

s = jload(sarif)
results = s["runs"][0]["results"]
check(s["version"] == "2.1.0" and len(results) > 0, "github: %s is SARIF 2.1.0 with results" % sarif)
uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
check(all(u.startswith("examples/") for u in uris), "github: SARIF locations relative to the checkout")
suite = ET.parse(work + "/" + junit).getroot().find("testsuite")
check(suite is not None and int(suite.get("tests")) == 6 and int(suite.get("failures")) > 0,
      "gitlab: %s is JUnit with one testcase per VM and failures" % junit)
q = jload(cq)
check(isinstance(q, list) and q and all({"description", "check_name", "fingerprint", "severity",
                                           "location"} <= set(e) for e in q),
      "gitlab: %s is a Code Quality report" % cq)
PY
set -- $(cat "$TMP/gha.files" "$TMP/gl.files")
"$PY" "$TMP/reports.py" "$TMP/w" "$@" >"$TMP/checks" 2>"$TMP/err"
ok $? "the uploaded files exist and parse"
[ -s "$TMP/err" ] && sed 's/^/#   /' "$TMP/err"
while IFS='	' read -r status what; do
	ok "$status" "$what"
done <"$TMP/checks"

done_testing
