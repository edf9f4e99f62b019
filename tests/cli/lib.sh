# TAP helpers for the CLI tests (sourced). Each test script runs the real
# binary ($VMNETLINT) on fixtures and checks output and exit codes.
set -u
: "${VMNETLINT:?run through make check}"
: "${SRCDIR:?run through make check}"
export NO_COLOR=
unset GITHUB_ACTIONS
T=0
FAILED=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vnl-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

ok() { # ok COND-EXIT-STATUS DESCRIPTION
	T=$((T + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $T - $2"
	else
		echo "not ok $T - $2"
		FAILED=$((FAILED + 1))
	fi
}

# run ARGS...: run vmnetlint, keep stdout in $TMP/out, stderr in $TMP/err, code in $RC
run() {
	"$VMNETLINT" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
}

is_rc() { # is_rc WANT DESCRIPTION
	[ "$RC" -eq "$1" ]
	r=$?
	ok $r "$2 (exit $RC, want $1)"
	[ $r -eq 0 ] || { sed 's/^/#   out: /' "$TMP/out" | head -20; sed 's/^/#   err: /' "$TMP/err" | head -20; }
}

has() { # has FILE PATTERN DESCRIPTION  (grep -E)
	grep -qE -- "$2" "$TMP/$1"
	r=$?
	ok $r "$3"
	[ $r -eq 0 ] || sed "s/^/#   $1: /" "$TMP/$1" | head -20
}

hasnt() { # hasnt FILE PATTERN DESCRIPTION
	if grep -qE -- "$2" "$TMP/$1"; then
		ok 1 "$3"
		grep -E -- "$2" "$TMP/$1" | sed "s/^/#   unexpected: /" | head -10
	else
		ok 0 "$3"
	fi
}

lines() { # lines FILE PATTERN WANT DESCRIPTION
	n=$(grep -cE -- "$2" "$TMP/$1" || true)
	[ "$n" -eq "$3" ]
	ok $? "$4 ($n, want $3)"
}

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

done_testing() {
	echo "1..$T"
	[ "$FAILED" -eq 0 ]
}
