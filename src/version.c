/* The versions --version prints. Each library is asked at run time, so a
 * bug report shows what was actually loaded: libvirt's virGetVersion,
 * libxml2's xmlParserVersion, libcurl's curl_version_info, jansson's
 * jansson_version_str (2.13+; the compiled-in JANSSON_VERSION before) and
 * OpenSSL's OpenSSL_version. */
#include "config.h"

#include "version.h"

#include <stdlib.h>

#include <curl/curl.h>
#include <jansson.h>
#include <libvirt/libvirt.h>
#include <libxml/parser.h>
#include <openssl/crypto.h>

/* "21004" -> 2.10.4 */
static void print_libxml2(FILE *out)
{
	long v = strtol(xmlParserVersion, NULL, 10);

	fprintf(out, "  libxml2  %ld.%ld.%ld\n", v / 10000, v / 100 % 100, v % 100);
}

static void print_libvirt(FILE *out)
{
	unsigned long v = 0;

	if (virGetVersion(&v, NULL, NULL) == 0)
		fprintf(out, "  libvirt  %lu.%lu.%lu\n", v / 1000000, v / 1000 % 1000, v % 1000);
	else
		fprintf(out, "  libvirt  unknown\n");
}

static void print_libcurl(FILE *out)
{
	const curl_version_info_data *c = curl_version_info(CURLVERSION_NOW);

	fprintf(out, "  libcurl  %s%s%s%s\n", c->version, c->ssl_version ? " (" : "",
		c->ssl_version ? c->ssl_version : "", c->ssl_version ? ")" : "");
}

void vnl_print_version(FILE *out)
{
	fprintf(out, "vmnetlint %s\n", PACKAGE_VERSION);
	print_libvirt(out);
	print_libxml2(out);
	print_libcurl(out);
#if JANSSON_VERSION_HEX >= 0x020d00
	fprintf(out, "  jansson  %s\n", jansson_version_str());
#else
	fprintf(out, "  jansson  %s\n", JANSSON_VERSION);
#endif
	fprintf(out, "  OpenSSL  %s\n", OpenSSL_version(OPENSSL_VERSION));
}
