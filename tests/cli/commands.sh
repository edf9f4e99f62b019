#!/bin/sh
# rules, explain, version, help, and usage errors.
. "$SRCDIR/tests/cli/lib.sh"


run rules
is_rc 0 "rules exits 0"
has out '^VNL001 +pfsync-multiqueue +error' "rules lists VNL001 with its severity"
has out '^VNL000 +config-parse' "rules lists VNL000"

run explain VNL001
is_rc 0 "explain by id"
has out 'Why it matters' "explain prints the documentation"
has out 'state-mismatch' "the documentation tells the field incident"
run explain pfsync-multiqueue
is_rc 0 "explain by name"
run explain vnl001
is_rc 0 "explain is case-insensitive"
run explain VNL999
is_rc 2 "explain of an unknown rule is a usage error"
has err "no rule 'VNL999'" "and says which rule"
run explain
is_rc 2 "explain without a rule"

run --version
is_rc 0 "--version"
has out '^vmnetlint [0-9]+\.[0-9]+' "--version prints the version"
run --help
is_rc 0 "--help"
has out 'exit codes' "--help documents the exit codes"
has out '--fail-on' "--help documents --fail-on"

run frobnicate
is_rc 2 "an unknown command is a usage error"
has err "unknown command 'frobnicate'" "and names the command"
run scan --fail-on sometimes "$SRCDIR/examples"
is_rc 2 "a bad --fail-on value is a usage error"
run scan --color=sometimes "$SRCDIR/examples"
is_rc 2 "a bad --color value is a usage error"
run scan --bogus
is_rc 2 "an unknown option is a usage error"
run scan --select VNL999 "$SRCDIR/examples"
is_rc 2 "--select of an unknown rule is a usage error"
run
is_rc 2 "no command is a usage error"

done_testing
