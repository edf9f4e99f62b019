/* Edits on Proxmox text: a netN value, and a whole qm config. Pure
 * functions (no I/O), shared by the file writer, the API writer and --diff.
 *
 * A netN value keeps its key order and its MAC. Removing a key removes it
 * with one comma. Setting a key that is there replaces its value in place;
 * setting one that is not inserts it where PVE's print_property_string
 * would put it (research/proxmox.md 2.3): after the model, before the first
 * key that sorts after it in `bridge firewall host-tunnel link_down mtu
 * queues rate tag trunks`, at the end when none does. */
#ifndef VNL_WRITE_PVE_TEXT_H
#define VNL_WRITE_PVE_TEXT_H

#include <stddef.h>

#include "finding.h"
#include "model.h"
#include "util.h"

/* The edits of nic_key applied to value (a netN value as written) into
 * out, then checked: parsed again, the NIC is the old one with exactly
 * these edits. Edits for other NICs are ignored. */
int pve_net_rewrite(const char *nic_key, const char *value, const struct vnl_edit *edits,
		    size_t n, struct strbuf *out, struct vnl_err *err);

/* The edits applied to a whole qm config: only netN values of the main
 * section change, every other byte stays (description lines, key order,
 * [PENDING], snapshots, CR before LF, the end of the file). Refused: a VM
 * with `lock:` (qemu-server refuses config changes then, proxmox.md 3), a
 * NIC that is not in the main section or has a [PENDING] change, an edit
 * that is not a Proxmox NIC setting. The result is parsed again and must
 * be the old VM with exactly the edits (write/verify.h). */
int pve_conf_rewrite(const char *text, size_t len, const struct vnl_edit *edits, size_t n,
		     struct strbuf *out, struct vnl_err *err);

#endif
