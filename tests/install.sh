#!/bin/sh
# `make install` and `make uninstall` into a scratch DESTDIR: the binary,
# vmnetlint(1), vmnetlint-rules(7) (generated from the rule table), bash
# and zsh completion; the pages render without groff warnings; the
# completions offer commands, options and rule ids; uninstall leaves no
# file behind.
. "$SRCDIR/tests/cli/lib.sh"

command -v make >/dev/null 2>&1 || skip_all "make is needed"
[ -f "$BUILDDIR/Makefile" ] || skip_all "no Makefile in $BUILDDIR"
DEST="$TMP/root"
make -s -C "$BUILDDIR" install DESTDIR="$DEST" >"$TMP/install.log" 2>&1
ok $? "make install DESTDIR=..."
[ $? -eq 0 ] || sed 's/^/#   /' "$TMP/install.log" | tail -20

prefix=$(sed -n 's/^prefix = //p' "$BUILDDIR/Makefile")
root="$DEST$prefix"
for f in bin/vmnetlint share/man/man1/vmnetlint.1 share/man/man7/vmnetlint-rules.7 \
	share/bash-completion/completions/vmnetlint share/zsh/vendor-completions/_vmnetlint; do
	[ -f "$root/$f" ]
	ok $? "installs $f"
done

"$root/bin/vmnetlint" --version >"$TMP/out" 2>&1
ok $? "the installed binary runs"
has out '^vmnetlint [0-9]' "--version: its own version"
for lib in libvirt libxml2 libcurl jansson; do
	has out "^  $lib +[0-9]+\.[0-9]+" "--version: the $lib it runs on"
done

# every rule reachable from explain has its section in vmnetlint-rules(7)
"$root/bin/vmnetlint" rules --no-config | awk '$1 ~ /^VNL/ { print $1 }' >"$TMP/ids"
[ -s "$TMP/ids" ]
ok $? "rules lists the rules"
missing=""
while read -r id; do
	grep -q "^\.SS \"$id " "$root/share/man/man7/vmnetlint-rules.7" || missing="$missing $id"
done <"$TMP/ids"
[ -z "$missing" ]
ok $? "vmnetlint-rules(7) has a section per rule${missing:+ (missing:$missing)}"

if command -v groff >/dev/null 2>&1; then
	for page in man1/vmnetlint.1 man7/vmnetlint-rules.7; do
		LC_ALL=C.UTF-8 groff -man -ww -z -Tutf8 "$root/share/man/$page" >"$TMP/groff" 2>&1
		[ $? -eq 0 ] && [ ! -s "$TMP/groff" ]
		ok $? "$page renders without groff warnings"
		[ -s "$TMP/groff" ] && sed 's/^/#   /' "$TMP/groff" | head -10
	done
	LC_ALL=C.UTF-8 MANWIDTH=80 groff -man -Tutf8 "$root/share/man/man1/vmnetlint.1" 2>/dev/null |
		sed 's/.\x08//g' >"$TMP/page"
	# every long option of --help is documented in vmnetlint(1)
	"$root/bin/vmnetlint" --help 2>&1 | grep -oE -- '--[a-z][a-z-]*' | sort -u >"$TMP/opts"
	undoc=""
	while read -r o; do
		grep -qF -- "$o" "$TMP/page" || undoc="$undoc $o"
	done <"$TMP/opts"
	[ -z "$undoc" ]
	ok $? "vmnetlint(1) documents every option of --help${undoc:+ (missing:$undoc)}"
else
	echo "ok $((T + 1)) # SKIP groff is not installed"
	T=$((T + 1))
fi

comp_bash=/usr/share/bash-completion/bash_completion
if [ -f "$comp_bash" ] && command -v bash >/dev/null 2>&1; then
	complete_bash() { # complete_bash WORD...: what bash offers for the last word
		PATH="$root/bin:$PATH" bash -c '. "$1"; . "$2"; shift 2
			COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
			COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
			_vmnetlint vmnetlint "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
			printf "%s\n" "${COMPREPLY[@]}"' sh "$comp_bash" \
			"$root/share/bash-completion/completions/vmnetlint" "$@" >"$TMP/out" 2>&1
	}
	complete_bash vmnetlint ""
	has out '^scan$' "bash: completes commands"
	complete_bash vmnetlint scan --fail
	has out '^--fail-on$' "bash: completes options after the command"
	complete_bash vmnetlint explain VNL00
	has out '^VNL001$' "bash: completes rule ids for explain"
	complete_bash vmnetlint scan --select VNL001,pfsync-mu
	has out '^VNL001,pfsync-multiqueue$' "bash: completes rule names in a --select list"
	complete_bash vmnetlint scan --format sa
	has out '^sarif$' "bash: completes formats"
else
	echo "ok $((T + 1)) # SKIP bash-completion is not installed"
	T=$((T + 1))
fi

if command -v zsh >/dev/null 2>&1; then
	zsh -n "$root/share/zsh/vendor-completions/_vmnetlint" 2>"$TMP/err"
	ok $? "zsh: the completion function parses"
else
	echo "ok $((T + 1)) # SKIP zsh is not installed"
	T=$((T + 1))
fi

make -s -C "$BUILDDIR" uninstall DESTDIR="$DEST" >"$TMP/uninstall.log" 2>&1
ok $? "make uninstall DESTDIR=..."
find "$DEST" -type f >"$TMP/left"
[ ! -s "$TMP/left" ]
ok $? "uninstall leaves no file behind"
[ -s "$TMP/left" ] && sed 's/^/#   left: /' "$TMP/left" | head
done_testing
