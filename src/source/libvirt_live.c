/* Reading a live libvirt connection (research/libvirt.md 3).
 *
 * Read-only connection (virConnectOpenReadOnly): a linter never needs more,
 * and a read-only socket is what unprivileged users may open. Each domain's
 * persistent definition (VIR_DOMAIN_XML_INACTIVE, 3.4) is what the next
 * boot uses and what a fixer must edit; SECURE is refused on read-only
 * connections and not needed to lint. The XML goes through the same
 * mapping as files, so every rule sees the same model. */
#include "config.h"

#include "libvirt_live.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/xmlerror.h>

#include "libvirt_xml.h"

/* research/libvirt.md 3.6: without a handler libvirt prints every error
 * as "libvirt: ... error : ..." on stderr; the library never prints. */
static void silent(void *data, virErrorPtr err)
{
	(void)data, (void)err;
}

/* libvirt parses test-driver node files with libxml2 in this process, and
 * libxml2's default warning printer writes "I/O warning : failed to load
 * external entity" to stderr even with a silent libvirt handler (3.1). */
static void xml_silent(void *ctx, const char *msg, ...)
{
	(void)ctx, (void)msg;
}

static const char *last_error(void)
{
	const char *m = virGetLastErrorMessage();
	return m && *m ? m : "unknown libvirt error";
}

VNL_PRINTF(3, 4)
static void fail(const struct libvirt_live_ops *ops, const char *origin, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ops->error(origin, strbuf_str(&sb), ops->data);
	strbuf_release(&sb);
}

/* One XML document from the connection through the file mapping. */
static int take_xml(const struct libvirt_live_ops *ops, const char *origin, const char *xml,
		    struct vnl_netenv *net, struct vnl_vm **vm)
{
	struct libvirt_xml_result res;
	enum libvirt_xml_what what;
	char *where;

	what = libvirt_xml_parse(origin, VNL_SRC_LIBVIRT_LIVE, xml, strlen(xml), net, &res);
	if (what == LIBVIRT_XML_DOMAIN) {
		*vm = res.vm;
		return 0;
	}
	if (what != LIBVIRT_XML_ERROR)
		return 0;
	where = res.line ? xasprintf("%s:%u", origin, res.line) : xstrdup(origin);
	fail(ops, where, "%s", res.msg);
	free(where);
	return 1;
}

static int scan_network(const struct libvirt_live_ops *ops, const char *uri, virNetworkPtr net)
{
	const char *name = virNetworkGetName(net);
	char *origin = xasprintf("%s#network/%s", uri, name ? name : "?");
	/* the persistent definition; drivers that do not know the flag (the
	 * test driver) give the one definition they have */
	char *xml = virNetworkGetXMLDesc(net, VIR_NETWORK_XML_INACTIVE);
	struct vnl_vm *none = NULL;
	int errors = 0;

	if (!xml && (virGetLastErrorCode() == VIR_ERR_INVALID_ARG ||
		     virGetLastErrorCode() == VIR_ERR_NO_SUPPORT))
		xml = virNetworkGetXMLDesc(net, 0);

	if (!xml) {
		fail(ops, origin, "cannot read the network definition: %s", last_error());
		errors = 1;
	} else {
		errors = take_xml(ops, origin, xml, ops->net, &none);
	}
	free(xml);
	free(origin);
	return errors;
}

static int scan_networks(const struct libvirt_live_ops *ops, const char *uri, virConnectPtr conn)
{
	virNetworkPtr *nets = NULL;
	int n = virConnectListAllNetworks(conn, &nets, 0), i, errors = 0;

	if (n < 0) {
		/* a driver without networks (qemu:///session, some remotes) is not
		 * an error: the domains are still there */
		if (virGetLastErrorCode() == VIR_ERR_NO_SUPPORT)
			return 0;
		fail(ops, uri, "cannot list networks: %s", last_error());
		return 1;
	}
	for (i = 0; i < n; i++) {
		errors += scan_network(ops, uri, nets[i]);
		virNetworkFree(nets[i]);
	}
	free(nets);
	return errors;
}

static int scan_domain(const struct libvirt_live_ops *ops, const char *uri, virDomainPtr dom)
{
	const char *name = virDomainGetName(dom);
	char *origin = xasprintf("%s#%s", uri, name ? name : "?");
	char *xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
	struct vnl_vm *vm = NULL;
	int errors = 0;

	if (!xml) {
		fail(ops, origin, "cannot read the persistent definition: %s", last_error());
		errors = 1;
	} else {
		errors = take_xml(ops, origin, xml, NULL, &vm);
	}
	if (vm) {
		int active = virDomainIsActive(dom);
		vm->running = active < 0 ? -1 : active > 0;
		ops->vm(vm, ops->data);
	}
	free(xml);
	free(origin);
	return errors;
}

static int scan_domains(const struct libvirt_live_ops *ops, const char *uri, virConnectPtr conn)
{
	virDomainPtr *doms = NULL;
	/* flags 0: persistent and transient, in every state (3.3) */
	int n = virConnectListAllDomains(conn, &doms, 0), i, errors = 0;

	if (n < 0) {
		fail(ops, uri, "cannot list domains: %s", last_error());
		return 1;
	}
	for (i = 0; i < n; i++) {
		errors += scan_domain(ops, uri, doms[i]);
		virDomainFree(doms[i]);
	}
	free(doms);
	return errors;
}

static int scan_connection(const char *uri, const struct libvirt_live_ops *ops)
{
	virConnectPtr conn = virConnectOpenReadOnly(uri);
	int errors = 0;

	if (!conn) {
		fail(ops, uri, "cannot connect (read-only): %s", last_error());
		return 1;
	}
	/* networks first, so rules that look a NIC's network up find it */
	if (ops->net)
		errors += scan_networks(ops, uri, conn);
	errors += scan_domains(ops, uri, conn);
	virConnectClose(conn);
	return errors;
}

int libvirt_live_scan(const char *uri, const struct libvirt_live_ops *ops)
{
	xmlGenericErrorFunc old_fn = xmlGenericError;
	void *old_ctx = xmlGenericErrorContext;
	int errors;

	virSetErrorFunc(NULL, silent);
	xmlSetGenericErrorFunc(NULL, xml_silent);
	errors = scan_connection(uri, ops);
	xmlSetGenericErrorFunc(old_ctx, old_fn);
	return errors;
}

bool libvirt_live_local(void)
{
	/* the monolithic daemon's socket, or the modular QEMU daemon's */
	static const char *const sockets[] = {
		"/var/run/libvirt/libvirt-sock-ro",
		"/run/libvirt/virtqemud-sock-ro",
	};
	size_t i;

	for (i = 0; i < VNL_ARRAY_LEN(sockets); i++)
		if (access(sockets[i], F_OK) == 0)
			return true;
	return false;
}
