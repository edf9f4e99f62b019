/* The drawing of the NIC map (src/report/html.c): one section per node,
 * and one per HA pair (its two members side by side, usually on two
 * nodes). In a section the bridges are vertical buses in the middle
 * column, VMs sit left and right of them, and each NIC is a wire from its
 * row in the VM box to its bridge's bus. Every row is its own small SVG
 * whose bus lines run its full height, so the buses join from row to row
 * while the boxes (HTML) wrap their findings freely. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "report/html.h"
#include "rule.h"

#define SIDE_W 380 /* px of a VM column */
#define BUS_GAP 22 /* px between buses */
#define HEAD_H 26  /* .vh 24px + the box's 2px border */
#define NIC_H 36   /* .nic */
#define LABEL_H 18 /* a bus label line in the header */

struct bus {
	const struct vnl_bridge *br; /* NULL: the inputs do not describe it */
	const char *name;
	const char *node; /* the node it was looked up on */
};

struct group {
	const size_t *vms; /* inventory indexes, shown two to a row */
	size_t nvms;
	bool pair;
	struct bus *buses;
	size_t nbuses, cap;
};

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* ---- buses -------------------------------------------------------------------------- */

static const struct vnl_bridge *nic_bridge(const struct html_page *p, const struct vnl_inv_nic *n)
{
	return vnl_netenv_find(p->net, n->bridge, p->inv->vms[n->vm_index].node);
}

static size_t find_bus(const struct group *g, const struct vnl_bridge *br, const char *name)
{
	size_t i;

	for (i = 0; i < g->nbuses; i++)
		if (br ? g->buses[i].br == br : !g->buses[i].br && same(g->buses[i].name, name))
			return i;
	return (size_t)-1;
}

static void add_bus(struct group *g, const struct vnl_bridge *br, const char *name,
		    const char *node)
{
	if (find_bus(g, br, name) != (size_t)-1)
		return;
	vnl_grow(&g->buses, &g->cap, g->nbuses + 1, sizeof(*g->buses));
	g->buses[g->nbuses].br = br;
	g->buses[g->nbuses].name = br ? br->name : name;
	g->buses[g->nbuses].node = node;
	g->nbuses++;
}

/* What the VMs' NICs attach to. */
static void collect_buses(const struct html_page *p, struct group *g)
{
	size_t i, k;

	for (i = 0; i < g->nvms; i++) {
		const struct vnl_inv_vm *vm = &p->inv->vms[g->vms[i]];
		for (k = vm->first_nic; k < vm->first_nic + vm->nnics; k++) {
			const struct vnl_inv_nic *n = &p->inv->nics[k];
			if (n->bridge)
				add_bus(g, nic_bridge(p, n), n->bridge, vm->node);
		}
	}
}

static int bus_x(size_t i)
{
	return 16 + BUS_GAP * (int)i;
}

static int mid_w(const struct group *g)
{
	return 32 + BUS_GAP * (int)g->nbuses;
}

/* ---- the bridges' table and labels ------------------------------------------------- */

/* in_svg: no HTML elements there (a <span> would end the SVG). */
static void mtu_text(struct html_page *p, const struct vnl_bridge *br, bool in_svg)
{
	if (br && VNL_SET(br->mtu))
		html_printf(p, "%lld", br->mtu.value);
	else if (br && br->mtu_default)
		html_printf(p, "%d (default)", br->mtu_default);
	else if (in_svg)
		html_puts(p, "unknown");
	else
		html_text(p, NULL);
}

static void overlay_text(struct html_page *p, const struct vnl_bridge *br)
{
	if (!br) {
		html_text(p, NULL);
		return;
	}
	if (br->overlay == VNL_OVERLAY_NONE) {
		html_puts(p, "none");
		return;
	}
	html_printf(p, "%s, &minus;%d bytes, underlay MTU ", vnl_overlay_name(br->overlay),
		    vnl_overlay_overhead(br->overlay, br->underlay_family));
	if (br->underlay_mtu)
		html_printf(p, "%d", br->underlay_mtu);
	else
		html_text(p, NULL);
}

static void bridge_row(struct html_page *p, const struct bus *b)
{
	const struct vnl_bridge *br = b->br;

	html_puts(p, "<tr class=\"br\"><td>");
	html_text(p, b->name);
	html_puts(p, "</td><td>");
	html_text(p, br ? (br->node ? br->node : "every node") : b->node);
	html_puts(p, "</td><td>");
	mtu_text(p, br, false);
	html_printf(p, "</td><td>%s</td><td>", br ? (br->vlan_aware ? "yes" : "no") : "unknown");
	if (br && br->ports)
		html_text(p, br->ports);
	else if (br)
		html_puts(p, "none");
	else
		html_text(p, NULL);
	html_puts(p, "</td><td>");
	overlay_text(p, br);
	html_puts(p, "</td><td>");
	if (br) {
		html_text(p, br->zone ? br->zone : "");
		html_puts(p, "</td><td class=\"pl\">");
		html_text(p, br->loc.origin);
		if (br->loc.line)
			html_printf(p, ":%u", br->loc.line);
	} else {
		html_puts(p, "</td><td>not described in the inputs");
	}
	html_puts(p, "</td></tr>\n");
}

static void bridge_table(struct html_page *p, const struct group *g, const char *node)
{
	size_t i;

	if (!g->nbuses && !node)
		return;
	html_puts(p, "<table class=\"bridges\"><thead><tr><th>Bridge</th><th>Node</th><th>MTU</th>"
		  "<th>VLAN-aware</th><th>Ports / bonds</th><th>Overlay</th><th>Zone / mode</th>"
		  "<th>Defined at</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < g->nbuses; i++)
		bridge_row(p, &g->buses[i]);
	/* the node's other interfaces: ports, bonds, bridges no VM uses */
	for (i = 0; node && p->net && i < p->net->n; i++) {
		const struct vnl_bridge *br = &p->net->bridges[i];
		struct bus other = { br, br->name, node };
		if (same(br->node, node) && find_bus(g, br, br->name) == (size_t)-1)
			bridge_row(p, &other);
	}
	html_puts(p, "</tbody></table>\n");
}

/* The buses start in a staircase of labels above the rows. */
static void bus_header(struct html_page *p, const struct group *g)
{
	int h = LABEL_H * (int)g->nbuses + 6, w = 2 * SIDE_W + mid_w(g);
	size_t i;

	html_printf(p, "<svg class=\"bh\" width=\"%d\" height=\"%d\" role=\"img\" "
		    "aria-label=\"bridges\">", w, h);
	for (i = 0; i < g->nbuses; i++) {
		const struct bus *b = &g->buses[i];
		int x = SIDE_W + bus_x(i), y = LABEL_H * (int)i + 13;
		html_printf(p, "<path class=\"bus%s\" d=\"M%d %dV%d\"/><circle class=\"dot\" "
			    "cx=\"%d\" cy=\"%d\" r=\"4\"/><text class=\"bl\" x=\"%d\" y=\"%d\">"
			    "<tspan class=\"k\">", b->br ? "" : " u", x, y - 4, h, x, y - 4, x + 8, y);
		html_text(p, b->name);
		html_puts(p, "</tspan>");
		if (g->pair && b->node) {
			html_puts(p, " @");
			html_text(p, b->node);
		}
		html_puts(p, " &#183; MTU ");
		mtu_text(p, b->br, true);
		if (b->br && b->br->vlan_aware)
			html_puts(p, " &#183; VLAN-aware");
		if (b->br && b->br->overlay != VNL_OVERLAY_NONE)
			html_printf(p, " &#183; %s", vnl_overlay_name(b->br->overlay));
		if (!b->br)
			html_puts(p, " &#183; not in the inputs");
		html_puts(p, "</text>");
	}
	html_puts(p, "</svg>\n");
}

/* ---- a NIC ---------------------------------------------------------------------------- */

/* The smallest MTU along the NIC's path: the guest's, the bridge's, and
 * the overlay's underlay less its overhead. 0 when no hop is known;
 * *partial when some hop is not. */
static int path_mtu(const struct vnl_inv_nic *n, const struct vnl_bridge *br, bool *partial)
{
	int best = 0, hop;

	*partial = false;
#define HOP(v) do { hop = (v); if (hop <= 0) *partial = true; \
		     else if (!best || hop < best) best = hop; } while (0)
	HOP(n->mtu_known ? n->mtu : 0);
	HOP(vnl_bridge_mtu(br));
	if (br && vnl_overlay_overhead(br->overlay, br->underlay_family) > 0)
		HOP(br->underlay_mtu ? br->underlay_mtu -
			vnl_overlay_overhead(br->overlay, br->underlay_family) : 0);
#undef HOP
	return best;
}

static void path_text(struct html_page *p, const struct vnl_inv_vm *vm,
		      const struct vnl_inv_nic *n, const struct vnl_bridge *br)
{
	bool partial;
	int path = path_mtu(n, br, &partial);

	html_puts(p, "MTU ");
	if (n->mtu_known)
		html_printf(p, "%d", n->mtu);
	else
		html_text(p, NULL);
	html_puts(p, " &#183; path ");
	if (!path)
		html_text(p, NULL);
	else
		html_printf(p, "%s%d", partial ? "&#8804;" : "", path);
	if (br && vnl_overlay_overhead(br->overlay, br->underlay_family) > 0)
		html_printf(p, " (%s &minus;%d)", vnl_overlay_name(br->overlay),
			    vnl_overlay_overhead(br->overlay, br->underlay_family));
	if (vm->overlay && (!vm->overlay_nic || !strcmp(vm->overlay_nic, n->key))) {
		enum vnl_overlay o = vnl_overlay_from_name(vm->overlay);
		enum vnl_ip_family fam = same(vm->overlay_family, "ipv4") ? VNL_FAMILY_IPV4
					 : same(vm->overlay_family, "ipv6") ? VNL_FAMILY_IPV6
									    : VNL_FAMILY_UNKNOWN;
		int oh = o < VNL_OVERLAY__COUNT ? vnl_overlay_overhead(o, fam) : 0;
		html_puts(p, " &#183; guest ");
		html_text(p, vm->overlay);
		if (oh && path && !partial)
			html_printf(p, " inside %d", path - oh);
		else if (oh)
			html_printf(p, " &minus;%d", oh);
	}
}

static void nic_marks(struct html_page *p, size_t v, const char *key)
{
	size_t i;

	for (i = p->vm_first[v]; i < p->vm_first[v + 1]; i++)
		if (p->f[i].nic_key && !strcmp(p->f[i].nic_key, key))
			html_printf(p, "<span class=\"mk %s\">%s %s</span>",
				    html_sev_class(p->f[i].severity),
				    html_sev_mark(p->f[i].severity), p->f[i].rule->id);
}

static void nic_row(struct html_page *p, size_t v, const struct vnl_inv_nic *n)
{
	int worst = html_worst(p, p->vm_first[v], p->vm_first[v + 1], n->key);

	html_printf(p, "<div class=\"nic %s\"><b>", worst < 0 ? "" : html_sev_class(worst));
	html_text(p, n->label);
	html_puts(p, "</b> ");
	html_text(p, n->model);
	html_printf(p, " &#183; %d queue%s", n->queues, n->queues == 1 ? "" : "s");
	if (n->vlan >= 0)
		html_printf(p, " &#183; tag %d", n->vlan);
	html_puts(p, " &#8594; ");
	if (n->bridge)
		html_text(p, n->bridge);
	else
		html_puts(p, "no bridge");
	nic_marks(p, v, n->key);
	html_puts(p, "<br>");
	path_text(p, &p->inv->vms[v], n, n->bridge ? nic_bridge(p, n) : NULL);
	html_puts(p, "</div>\n");
}

/* ---- a VM ------------------------------------------------------------------------------- */

static void vm_rules(struct html_page *p, size_t v)
{
	size_t i;

	for (i = p->vm_first[v]; i < p->vm_first[v + 1]; i++)
		html_printf(p, "%s%s", i == p->vm_first[v] ? "" : " ", p->f[i].rule->id);
}

static void vm_box(struct html_page *p, size_t v, const char *side)
{
	const struct vnl_inv_vm *vm = &p->inv->vms[v];
	int worst = html_worst(p, p->vm_first[v], p->vm_first[v + 1], NULL);
	size_t i;

	html_printf(p, "<div class=\"vm side-%s %s\" id=\"vm-%zu\" data-vm=\"%zu\" data-rules=\"",
		    side, worst < 0 ? "" : html_sev_class(worst), v, v);
	vm_rules(p, v);
	html_puts(p, "\"><div class=\"vh\" title=\"");
	html_text(p, vm->origin);
	html_puts(p, "\"><b>");
	html_text(p, vm->label);
	html_printf(p, "</b> <span class=\"k\">%s", vnl_source_kind_name(vm->kind));
	if (vm->node) {
		html_puts(p, " &#183; ");
		html_text(p, vm->node);
	}
	if (vm->pair) {
		html_puts(p, " &#183; pair ");
		html_text(p, vm->pair);
	}
	html_puts(p, vm->is_template ? " &#183; template</span></div>\n" : "</span></div>\n");
	for (i = 0; i < vm->nnics; i++)
		nic_row(p, v, &p->inv->nics[vm->first_nic + i]);
	if (p->vm_first[v] < p->vm_first[v + 1]) {
		html_puts(p, "<ul class=\"fl\">\n");
		for (i = p->vm_first[v]; i < p->vm_first[v + 1]; i++)
			html_puts(p, p->f[i].body);
		html_puts(p, "</ul>\n");
	}
	html_puts(p, "</div>\n");
}

/* The wires of one VM's NICs; the right-hand VM's sit 8px lower so that
 * two wires of one row never overlap. */
static void wires(struct html_page *p, const struct group *g, size_t v, bool right)
{
	const struct vnl_inv_vm *vm = &p->inv->vms[v];
	int w = mid_w(g);
	size_t i;

	for (i = 0; i < vm->nnics; i++) {
		const struct vnl_inv_nic *n = &p->inv->nics[vm->first_nic + i];
		int y = HEAD_H + NIC_H * (int)i + (right ? 22 : 14);
		int worst = html_worst(p, p->vm_first[v], p->vm_first[v + 1], n->key);
		size_t b;
		if (!n->bridge)
			continue;
		b = find_bus(g, nic_bridge(p, n), n->bridge);
		html_printf(p, "<path class=\"wire %s %s\" d=\"M%d %dH%d\"/><circle class=\"dot %s\" "
			    "cx=\"%d\" cy=\"%d\" r=\"3\"/>", right ? "r" : "l",
			    worst < 0 ? "" : html_sev_class(worst), right ? w : 0, y, bus_x(b),
			    right ? "r" : "l", bus_x(b), y);
		if (n->vlan >= 0)
			html_printf(p, "<text class=\"tag %s\" x=\"%d\" y=\"%d\"%s>%d</text>",
				    right ? "r" : "l", right ? w - 3 : 3, y - 3,
				    right ? " text-anchor=\"end\"" : "", n->vlan);
	}
}

static void row(struct html_page *p, const struct group *g, size_t left, size_t right)
{
	size_t i;

	html_puts(p, "<div class=\"row\">\n");
	vm_box(p, left, "l");
	html_printf(p, "<svg class=\"w\" width=\"%d\" aria-hidden=\"true\"><path class=\"bus\" d=\"",
		    mid_w(g));
	for (i = 0; i < g->nbuses; i++)
		if (g->buses[i].br)
			html_printf(p, "M%d 0V100000", bus_x(i));
	html_puts(p, "\"/><path class=\"bus u\" d=\"");
	for (i = 0; i < g->nbuses; i++)
		if (!g->buses[i].br)
			html_printf(p, "M%d 0V100000", bus_x(i));
	html_puts(p, "\"/>");
	wires(p, g, left, false);
	if (right != HTML_NO_VM)
		wires(p, g, right, true);
	html_puts(p, "</svg>\n");
	if (right != HTML_NO_VM)
		vm_box(p, right, "r");
	else
		html_puts(p, "<div class=\"empty\"></div>\n");
	html_puts(p, "</div>\n");
}

static void write_group(struct html_page *p, struct group *g, const char *node, size_t id)
{
	const struct vnl_inventory *inv = p->inv;
	size_t i;

	collect_buses(p, g);
	html_printf(p, "<section class=\"node%s\" id=\"g-%zu\"><h2>", g->pair ? " hapair" : "", id);
	if (g->pair) {
		html_puts(p, "HA pair ");
		html_text(p, inv->vms[g->vms[0]].pair);
		html_puts(p, ": side by side</h2>\n");
	} else {
		html_puts(p, node ? "Node " : "VMs on no named node");
		if (node)
			html_text(p, node);
		html_puts(p, "</h2>\n");
	}
	bridge_table(p, g, node);
	html_puts(p, "<div class=\"map\">\n");
	bus_header(p, g);
	for (i = 0; i < g->nvms; i += 2)
		row(p, g, g->vms[i], i + 1 < g->nvms ? g->vms[i + 1] : HTML_NO_VM);
	html_puts(p, "</div></section>\n");
	free(g->buses);
}

/* ---- grouping --------------------------------------------------------------------------- */

static const struct vnl_inventory *sort_inv; /* qsort has no context argument */

static int by_node(const void *a, const void *b)
{
	const struct vnl_inv_vm *x = &sort_inv->vms[*(const size_t *)a];
	const struct vnl_inv_vm *y = &sort_inv->vms[*(const size_t *)b];
	int c;

	if (!x->node != !y->node)
		return x->node ? -1 : 1; /* no node last */
	if (x->node && (c = strcmp(x->node, y->node)))
		return c;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int by_pair(const void *a, const void *b)
{
	int c = strcmp(sort_inv->vms[*(const size_t *)a].pair, sort_inv->vms[*(const size_t *)b].pair);

	if (c)
		return c;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* The first two VMs of each pair name make a pair section; *paired marks
 * them so their nodes leave them out. */
static size_t write_pairs(struct html_page *p, bool *paired)
{
	const struct vnl_inventory *inv = p->inv;
	size_t *idx = xmalloc((inv->nvms + 1) * sizeof(*idx)), n = 0, i, groups = 0;

	for (i = 0; i < inv->nvms; i++)
		if (inv->vms[i].pair)
			idx[n++] = i;
	sort_inv = inv;
	qsort(idx, n, sizeof(*idx), by_pair);
	for (i = 0; i + 1 < n; i++) {
		struct group g = { &idx[i], 2, true, NULL, 0, 0 };
		if (strcmp(inv->vms[idx[i]].pair, inv->vms[idx[i + 1]].pair) ||
		    (i && !strcmp(inv->vms[idx[i]].pair, inv->vms[idx[i - 1]].pair)))
			continue;
		paired[idx[i]] = paired[idx[i + 1]] = true;
		write_group(p, &g, NULL, groups++);
	}
	free(idx);
	return groups;
}

void html_write_map(struct html_page *p)
{
	const struct vnl_inventory *inv = p->inv;
	bool *paired = xcalloc(inv->nvms + 1, sizeof(*paired));
	size_t *idx = xmalloc((inv->nvms + 1) * sizeof(*idx)), n = 0, i, start, id;

	id = write_pairs(p, paired);
	for (i = 0; i < inv->nvms; i++)
		if (!paired[i])
			idx[n++] = i;
	sort_inv = inv;
	qsort(idx, n, sizeof(*idx), by_node);
	for (start = 0; start < n; start = i) {
		const char *node = inv->vms[idx[start]].node;
		struct group g = { &idx[start], 0, false, NULL, 0, 0 };
		for (i = start; i < n && same(inv->vms[idx[i]].node, node); i++)
			;
		g.nvms = i - start;
		write_group(p, &g, node, id++);
	}
	free(idx);
	free(paired);
}
