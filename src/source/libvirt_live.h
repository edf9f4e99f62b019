/* A live libvirt connection (research/libvirt.md 3): every domain's
 * persistent definition, read-only, through the same XML mapping as files. */
#ifndef VNL_LIBVIRT_LIVE_H
#define VNL_LIBVIRT_LIVE_H

#include <stdbool.h>

#include "model.h"
#include "netenv.h"

/* What a scan without PATH or --connect opens when libvirt runs here. */
#define LIBVIRT_LIVE_LOCAL_URI "qemu:///system"

struct libvirt_live_ops {
	/* A VM read from the connection; the callee owns it. Its origin is
	 * "<uri>#<domain name>" and its lines are those of
	 * `virsh -c <uri> dumpxml --inactive <name>`. */
	void (*vm)(struct vnl_vm *vm, void *data);
	/* Something that could not be read: one line naming the URI or domain. */
	void (*error)(const char *origin, const char *msg, void *data);
	struct vnl_netenv *net; /* the connection's networks go here; NULL = skip them */
	void *data;
};

/* Open uri read-only, read its networks, then hand every domain (persistent
 * and transient, running or not) to ops->vm. libvirt prints nothing: this
 * installs a silent libvirt error handler for the process (libvirt has no
 * way to read the old one back), and its errors become ops->error lines.
 * Returns the number of errors. */
int libvirt_live_scan(const char *uri, const struct libvirt_live_ops *ops);

/* Does a local libvirt daemon answer here (its read-only socket exists)? */
bool libvirt_live_local(void);

#endif
