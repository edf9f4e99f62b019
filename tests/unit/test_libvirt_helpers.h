/* Shared by the libvirt unit tests: VMs from domain XML text, and from the
 * same text through a live test:/// connection (research/libvirt.md 4). */
#ifndef VNL_TEST_LIBVIRT_HELPERS_H
#define VNL_TEST_LIBVIRT_HELPERS_H

#include <stddef.h>

#include "model.h"
#include "netenv.h"

/* "<domain type='kvm'><name>NAME</name>HEAD...<devices>DEVICES</devices></domain>",
 * a definition the test driver accepts. Caller frees. */
char *lv_domain(const char *name, const char *head, const char *devices);

/* A VM from domain XML, roles classified as the scan does; NULL (and a
 * TAP diagnostic) if it is not a domain. */
struct vnl_vm *lv_vm(const char *xml);

/* Write "<node>BODY</node>" to a temporary file, scan test:///THAT-FILE
 * with libvirt_live_scan and keep up to max VMs (roles classified) in
 * out, ordered by name. Returns how many; errors counts the error lines.
 * net may be NULL. */
size_t lv_live(const char *body, struct vnl_vm **out, size_t max, struct vnl_netenv *net,
	       int *errors);

/* The one VM of a node holding one domain; NULL if there is not exactly one. */
struct vnl_vm *lv_live_one(const char *domain_xml);

#endif
