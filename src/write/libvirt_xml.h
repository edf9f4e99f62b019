/* Edits on libvirt domain XML text, for XML files and for the definition a
 * live connection returns (research/libvirt.md 1, 3.4-3.5, 7).
 *
 * The NIC "netN" is the Nth <interface> of <devices>, found at the line and
 * column the XML source recorded; only its attributes and child elements
 * change, by text (write/xml_edit.h), never through a libxml2
 * re-serialisation. New elements go where libvirt itself writes them
 * (mac, source, vlan, bandwidth, target, model, driver (host, guest), link,
 * mtu: research/libvirt.md 1.3). */
#ifndef VNL_WRITE_LIBVIRT_XML_H
#define VNL_WRITE_LIBVIRT_XML_H

#include <stddef.h>

#include "finding.h"
#include "model.h"
#include "util.h"

/* The edits applied to text into out, then checked: parsed again the
 * domain is the old one with exactly these edits, and every byte outside
 * the edited <interface> elements is unchanged. Refused: virtio <driver>
 * settings on a non-virtio model (libvirt drops them on define, 1.3), an
 * edit that is not a libvirt NIC setting (host-tunnel). */
int lv_xml_rewrite(const char *text, size_t len, const struct vnl_edit *edits, size_t n,
		   struct strbuf *out, struct vnl_err *err);

#endif
