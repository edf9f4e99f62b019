#!/bin/sh
# The HTML map (--format html, `map`) without a browser: one self-contained
# page, the same with either spelling, every VM and finding of the text
# report on it, escaping of hostile names, linear size. The browser checks
# are tests/cli/html_browser.sh.
. "$SRCDIR/tests/cli/lib.sh"

cd "$SRCDIR"
H=tests/fixtures/html

run scan -q --fail-on never examples/
NFIND=$(grep -c '\[VNL[0-9]' "$TMP/out")

run map --fail-on never examples/
is_rc 0 "map of examples/ exits like scan (--fail-on never)"
cp "$TMP/out" "$TMP/map.html"
head -1 "$TMP/map.html" | grep -q '^<!DOCTYPE html>$'
ok $? "the page starts with the HTML doctype"
tail -1 "$TMP/map.html" | grep -q '^</html>$'
ok $? "and ends with </html>"
hasnt map.html '<link|<iframe|<img| src=|@import|url\(|https?://' \
	"self-contained: no links, images, imports or URLs"
lines map.html '<script>' 1 "one inline script, the filter"
lines map.html '<li class="f ' "$NFIND" "every finding of the text report is on it"
for label in 'VM 101 (fw-opnsense-a)' 'VM 102 (fw-opnsense-b)' 'VM 110 (wg-gateway)' \
	'VM 120 (web01)' 'VM 121 (db01)' 'VM 130 (monitor01)'; do
	grep -qF "<b>$label</b>" "$TMP/map.html"
	ok $? "$label has its box"
done
has map.html '<h2>Node pve1</h2>' "a section per node"
has map.html '<td>vmbr1</td><td>pve1</td><td>1500 \(default\)</td><td>yes</td><td>bond0</td>' \
	"bridges with MTU, VLAN awareness and ports, from the node's interfaces file"
has map.html 'tag 20 &#8594; vmbr1' "a NIC shows its VLAN tag and bridge"
has map.html 'MTU 1500 &#183; path 1500' "and its MTU and path MTU"
has map.html 'guest wireguard inside 1420' "a guest tunnel shows the MTU left inside it"
has map.html 'class="sev">&#10006; error</span>' "severity in text beside the colour"
has map.html '<div class="fx">fix: remove queues from net0</div>' "the proposed fix"
has map.html '<div class="ev">because firewall: ' "the evidence"
has map.html 'data-filter="rule:VNL001"' "the summary table filters by rule"

run scan --fail-on never --format html examples/
cmp -s "$TMP/out" "$TMP/map.html"
ok $? "scan --format html writes the same page as map"
run map --fail-on never --format "html:$TMP/file.html" examples/
cmp -s "$TMP/file.html" "$TMP/map.html" && [ ! -s "$TMP/out" ]
ok $? "map --format html:FILE writes it to FILE"
run map --format json examples/
is_rc 2 "map refuses other formats"
run map --diff examples/
is_rc 2 "map refuses --diff"

# an HA pair: one section, its two members side by side
printf '[pair "carp-fw"]\nmembers = fw-opnsense-a, fw-opnsense-b\n' >"$TMP/pair.conf"
run map --config "$TMP/pair.conf" --fail-on never examples/
has out '<h2>HA pair carp-fw: side by side</h2>' "an HA pair has its own section"
tr '\n' ' ' <"$TMP/out" | grep -q 'HA pair carp-fw.*class="vm side-l [a-z]*" id="vm-[0-9]*" data-vm="[0-9]*" data-rules="[^"]*"><div class="vh" title="[^"]*"><b>VM 101 (fw-opnsense-a)</b>.*class="vm side-r [a-z]*" id="vm-[0-9]*" data-vm="[0-9]*" data-rules="[^"]*"><div class="vh" title="[^"]*"><b>VM 102 (fw-opnsense-b)</b>.*<h2>Node pve1</h2>'
ok $? "with the two members left and right of the bridges, before the nodes"

# unknown stays unknown: no interfaces file, no bridge MTU invented
run map --fail-on never tests/fixtures/pve
has out 'MTU <span class="unk">unknown</span>' "a NIC MTU the inputs do not establish is unknown"
has out 'not described in the inputs' "a bridge the inputs do not describe says so"

run map --fail-on never tests/fixtures/libvirt/domains tests/fixtures/libvirt/networks
is_rc 0 "libvirt domains and networks map too"
has out '<h2>VMs on no named node</h2>' "libvirt VMs have no node"

# SDN: overlays and their overhead on the path
run map --fail-on never tests/fixtures/pve-net
has out 'vxlan, &minus;[0-9]+ bytes, underlay MTU [0-9]+' "a VXLAN vnet shows its overhead and underlay"
has out 'path [0-9]+ \(vxlan &minus;[0-9]+\)' "the path MTU of a NIC on it takes the overhead"

# hostile names, notes and bridges are text
run map --fail-on never "$H"
cp "$TMP/out" "$TMP/hostile.html"
lines hostile.html '<script' 1 "no <script> from the inputs"
hasnt hostile.html '<img|<svg onload|<b onmouseover|"x"|window.__pwned=[0-9]"' \
	"no element or attribute from the inputs"
has hostile.html 'fw-&lt;script&gt;window.__pwned=1&lt;/script&gt;&quot;&#39;&amp;' \
	"a VM name is escaped, quotes too"
has hostile.html 'br&lt;script&gt;window.__pwned=4&lt;/script&gt;&quot;x' "a bridge name is escaped"
has hostile.html 'eno1&quot;&gt;&lt;script&gt;window.__pwned=7' "bridge ports are escaped"

# size grows linearly: 2,000 VMs under 5 MiB
if [ -n "${PYTHON3:-}" ] && command -v "$PYTHON3" >/dev/null 2>&1; then
	"$PYTHON3" "$SRCDIR/bench/gen_pve.py" 2000 "$TMP/gen" >/dev/null
	"$VMNETLINT" map --fail-on never "$TMP/gen" >"$TMP/gen.html" 2>/dev/null
	size=$(wc -c <"$TMP/gen.html")
	[ "$size" -lt 5242880 ] && grep -c '<div class="vm ' "$TMP/gen.html" | grep -qx 2000
	ok $? "2,000 generated VMs: all drawn, in $size bytes (under 5 MiB)"
fi

done_testing
