# Helpers for the --fix tests (sourced after lib.sh).

# changed_ok KIND ORIG NEW: a line diff of ORIG and NEW shows only what a fix
# may change. KIND pve: only netN lines of the main section, changed in
# place (no line added or removed), each keeping its key, its MAC and its
# CR; KIND xml: only lines inside <interface> elements. Either way the end
# of the file (newline or not) is the same. Prints the offending hunk.
changed_ok() {
	diff "$2" "$3" >"$TMP/linediff" && return 0
	[ "$(tail -c1 "$2" | od -An -c)" = "$(tail -c1 "$3" | od -An -c)" ] || {
		echo "# the end of the file changed"
		return 1
	}
	awk -v kind="$1" -v orig="$2" -v new="$3" '
	function mark(side, line, text) {
		if (kind == "pve") {
			if (text ~ /^\[.*\][ \t\r]*$/)
				sec[side] = 1
			ok[side, line] = !sec[side] && text ~ /^net[0-9]+:/
		} else {
			if (text ~ /<interface([ \t\r>\/]|$)/)
				inif[side] = 1
			ok[side, line] = inif[side]
			if (text ~ /<\/interface>/ || text ~ /<interface[^>]*\/>/)
				inif[side] = 0
		}
		txt[side, line] = text
	}
	function mac(s) { return match(s, /[0-9A-Fa-f][0-9A-Fa-f](:[0-9A-Fa-f][0-9A-Fa-f])(:[0-9A-Fa-f][0-9A-Fa-f])(:[0-9A-Fa-f][0-9A-Fa-f])(:[0-9A-Fa-f][0-9A-Fa-f])(:[0-9A-Fa-f][0-9A-Fa-f])/) ? substr(s, RSTART, RLENGTH) : "" }
	function key(s) { return substr(s, 1, index(s, ":")) }
	function fail(why) { print "# " why ": " hunk; bad = 1 }
	FILENAME == orig { mark(1, FNR, $0); next }
	FILENAME == new { mark(2, FNR, $0); next }
	/^[0-9]/ {
		hunk = $0
		split($0, lr, /[acd]/)
		op = substr($0, length(lr[1]) + 1, 1)
		n1 = split(lr[1], l, ","); n2 = split(lr[2], r, ",")
		if (n1 == 1) l[2] = l[1]
		if (n2 == 1) r[2] = r[1]
		if (kind == "pve" && (op != "c" || l[2] - l[1] != r[2] - r[1])) { fail("lines added or removed"); next }
		if (op == "a") { if (!ok[1, l[1]]) fail("inserted outside an <interface>") }
		else for (i = l[1]; i <= l[2]; i++) if (!ok[1, i]) fail("old line " i " may not change")
		if (op == "d") { if (!ok[2, r[1]]) fail("removed outside an <interface>") }
		else for (i = r[1]; i <= r[2]; i++) if (!ok[2, i]) fail("new line " i " may not change")
		if (kind == "pve")
			for (i = 0; i <= l[2] - l[1]; i++) {
				a = txt[1, l[1] + i]; b = txt[2, r[1] + i]
				if (key(a) != key(b) || mac(a) != mac(b) || (a ~ /\r$/) != (b ~ /\r$/))
					fail("key, MAC or CR lost on line " l[1] + i)
			}
	}
	END { exit bad }
	' "$2" "$3" "$TMP/linediff"
}

# tree_sums DIR: a checksum of every file under DIR, for "nothing changed"
tree_sums() {
	(cd "$1" && find . -type f ! -name '.*' | LC_ALL=C sort | xargs -r cksum)
}

# kind_of FILE: pve or xml
kind_of() {
	case "$1" in
	*.xml) echo xml ;;
	*) echo pve ;;
	esac
}

# all_changed_ok ORIG_DIR NEW_DIR: changed_ok for every file; counts in $CHECKED
all_changed_ok() {
	CHECKED=0
	: >"$TMP/badfiles"
	(cd "$1" && find . -type f ! -name '.*' \( -name '*.conf' -o -name '*.xml' \)) >"$TMP/files"
	while read -r f; do
		CHECKED=$((CHECKED + 1))
		changed_ok "$(kind_of "$f")" "$1/$f" "$2/$f" >>"$TMP/badfiles" 2>&1 || echo "# $f" >>"$TMP/badfiles"
	done <"$TMP/files"
	[ ! -s "$TMP/badfiles" ]
}
