/* The libvirt XML loader (source/libvirt_xml*.c): up to two documents
 * separated by a NUL byte (a NUL cannot occur in XML), read into one
 * scan as files are, so a <network> can describe a domain's bridge. Each
 * domain goes through roles and every rule. */
#include "config.h"

#include "fuzz.h"

#include <string.h>

#include "scan.h"
#include "source/libvirt_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vnl_scan scan;
	int doc;

	fuzz_scan_begin(&scan);
	for (doc = 0; doc < 2 && size; doc++) {
		struct libvirt_xml_result res;
		const char *buf;
		size_t n;

		fuzz_split(&data, &size, 0, &buf, &n);
		(void)libvirt_xml_sniff(buf, n);
		switch (libvirt_xml_parse("fuzz.xml", VNL_SRC_LIBVIRT_XML, buf, n, &scan.net,
					  &res)) {
		case LIBVIRT_XML_DOMAIN:
			if (!res.vm)
				fuzz_fail("a domain without a VM", data, size);
			vnl_scan_vm(&scan, res.vm);
			break;
		case LIBVIRT_XML_ERROR:
		case LIBVIRT_XML_SKIPPED:
			if (!memchr(res.msg, '\0', sizeof(res.msg)) || !res.msg[0])
				fuzz_fail("an error or note without a message", data, size);
			break;
		case LIBVIRT_XML_NETWORK:
			break;
		}
	}
	fuzz_scan_end(&scan);
	return 0;
}
