/* The qemu-server config keys and their value types, enough to tell which
 * lines PVE would warn about and drop (research/proxmox.md 1.1, 3). */
#ifndef VNL_PVE_KEYS_H
#define VNL_PVE_KEYS_H

#include <stddef.h>

enum pve_key_type {
	PVE_KEY_UNKNOWN,
	PVE_KEY_STRING,  /* format-less or not validated here */
	PVE_KEY_BOOL,
	PVE_KEY_INT,     /* digits only */
	PVE_KEY_NUMBER,  /* digits with an optional fraction */
	PVE_KEY_NET,     /* netN property string */
	PVE_KEY_TAGS,
	PVE_KEY_PENDING_DELETE, /* `delete:` only inside [PENDING] */
};

/* Type of a key such as "net3" or "cores"; PVE_KEY_UNKNOWN if qemu-server
 * does not know it. */
enum pve_key_type pve_key_type(const char *key, size_t len);

#endif
