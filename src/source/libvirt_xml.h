/* libvirt domain and network XML (research/libvirt.md 1-2) into the neutral
 * model and the network environment. Used for files and for the XML a live
 * connection returns. */
#ifndef VNL_LIBVIRT_XML_H
#define VNL_LIBVIRT_XML_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "netenv.h"

/* Our own <metadata> namespace: roles and suppressions, all under one
 * <vmnetlint:lint> element because libvirt keeps only the first top-level
 * element of a namespace (research/libvirt.md 2). */
#define LIBVIRT_XML_NS_VMNETLINT "urn:vmnetlint:metadata:1"
#define LIBVIRT_XML_NS_LIBOSINFO "http://libosinfo.org/xmlns/libvirt/domain/1.0"

enum libvirt_xml_what {
	LIBVIRT_XML_DOMAIN,  /* res->vm holds the VM */
	LIBVIRT_XML_NETWORK, /* the <network> was added to the environment */
	LIBVIRT_XML_SKIPPED, /* well-formed, but neither: res->msg says what it is */
	LIBVIRT_XML_ERROR,   /* refused or not well-formed: res->msg, res->line */
};

struct libvirt_xml_result {
	struct vnl_vm *vm; /* LIBVIRT_XML_DOMAIN: the caller owns it */
	unsigned line;     /* LIBVIRT_XML_ERROR: where (0 = unknown) */
	char msg[512];
};

/* Parse one document. Never reads anything but buf: no network, no DTD, no
 * external entity; a DOCTYPE that declares entities or names an external
 * DTD is refused before anything is expanded, and libxml2 prints nothing.
 * kind is stamped on the VM; a <network> goes to net (ignored when NULL). */
enum libvirt_xml_what libvirt_xml_parse(const char *origin, enum vnl_source_kind kind,
					const char *buf, size_t len, struct vnl_netenv *net,
					struct libvirt_xml_result *res);

/* Does buf look like XML: is its first non-blank byte (after a UTF-8 BOM) '<'? */
bool libvirt_xml_sniff(const char *buf, size_t len);

#endif
