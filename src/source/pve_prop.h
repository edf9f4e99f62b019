/* Proxmox property strings: the value of a qemu `netN` key, and the
 * percent-encoding of description lines (research/proxmox.md 1.1, 2). */
#ifndef VNL_PVE_PROP_H
#define VNL_PVE_PROP_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

/* Parse the value of netN (value[0] sits at line:col) into nic. Every
 * reason PVE would refuse the value is recorded as a problem on vm and
 * makes the call return -1: PVE then drops the whole NIC line. */
int pve_net_parse(struct vnl_vm *vm, struct vnl_nic *nic, const char *value, size_t len,
		  unsigned line, unsigned col);

/* Does s (of length n) name one of PVE's qemu NIC models? */
bool pve_net_model_known(const char *s, size_t n);

/* PVE's decode_text: percent-decoding. out must hold n + 1 bytes; returns
 * the decoded length. Malformed escapes are kept as written. */
size_t pve_decode_text(const char *in, size_t n, char *out);

/* A boolean as PVE accepts it: 1/on/yes/true, 0/off/no/false. */
bool pve_parse_bool(const char *s, size_t n, bool *out);
/* A pve-tag: [a-z0-9_][a-z0-9_+.-]*, case-insensitive. */
bool pve_tag_valid(const char *s, size_t n);

#endif
