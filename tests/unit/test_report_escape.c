/* Escaping and origin helpers of the machine-readable reporters. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "report/escape.h"
#include "tap.h"

static void check(char *got, const char *want, const char *what)
{
	is_str(got, want, "%s", what);
	free(got);
}

static void test_github(void)
{
	check(vnl_gh_escape_data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d",
	      "data escapes %, CR and LF, keeps : and ,");
	check(vnl_gh_escape_property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae",
	      "a property also escapes : and ,");
	check(vnl_gh_escape_data(""), "", "empty data");
	check(vnl_gh_escape_property("VNL001 pfsync-multiqueue"), "VNL001 pfsync-multiqueue",
	      "a title without specials is unchanged");
}

static void test_utf8(void)
{
	check(vnl_utf8_repair("plain"), "plain", "ASCII is unchanged");
	check(vnl_utf8_repair("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\xA5"),
	      "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\xA5", "valid 2-, 3- and 4-byte UTF-8 is kept");
	check(vnl_utf8_repair("a\xFFz"), "a\xEF\xBF\xBDz", "a stray byte becomes U+FFFD");
	check(vnl_utf8_repair("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD",
	      "an overlong form is refused byte by byte");
	check(vnl_utf8_repair("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD",
	      "an encoded surrogate is refused");
	check(vnl_utf8_repair("x\xE2\x82"), "x\xEF\xBF\xBD\xEF\xBF\xBD",
	      "a truncated sequence at the end is refused");
	ok(vnl_utf8_repair(NULL) == NULL, "NULL stays NULL");
}

static void test_xml(void)
{
	check(vnl_xml_clean("a\tb\nc\rd"), "a\tb\nc\rd", "tab, LF and CR are allowed in XML");
	check(vnl_xml_clean("a\x01" "b\x1f"), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD",
	      "other C0 controls are replaced");
	check(vnl_xml_clean("\xEF\xBF\xBE\xEF\xBF\xBF"), "\xEF\xBF\xBD\xEF\xBF\xBD",
	      "U+FFFE and U+FFFF are replaced");
	check(vnl_xml_clean("<&>\""), "<&>\"", "markup characters are left to libxml2");
}

static void test_origins(void)
{
	ok(vnl_origin_is_uri("pve://pve1:8006/nodes/pve1/qemu/101"), "a :// origin is a URI");
	ok(vnl_origin_is_uri("qemu:///system#fw-a"), "a # origin is a URI");
	ok(!vnl_origin_is_uri("examples/cluster/101.conf"), "a relative path is not");
	ok(!vnl_origin_is_uri("/etc/pve/nodes/pve1/qemu-server/101.conf"), "an absolute path is not");
	check(vnl_origin_normalise("./a//b/./c.conf"), "a/b/c.conf", "./ and // are dropped");
	check(vnl_origin_normalise("a/../b/"), "a/../b", ".. is kept, the trailing / dropped");
	check(vnl_origin_normalise("//etc/pve"), "/etc/pve", "an absolute path stays absolute");
	check(vnl_origin_normalise("./"), ".", "the current directory");
	check(vnl_origin_normalise("qemu:///system#x"), "qemu:///system#x", "a URI is unchanged");
	check(vnl_origin_relative("/w/repo/x/a.conf", "/w/repo"), "x/a.conf",
	      "an absolute path under cwd becomes relative");
	check(vnl_origin_relative("/w/repository/a.conf", "/w/repo"), "/w/repository/a.conf",
	      "a sibling directory with a common prefix is not under cwd");
	check(vnl_origin_relative("/etc/a.conf", "/"), "etc/a.conf", "cwd / works");
	check(vnl_origin_relative("./x/a.conf", "/w"), "x/a.conf", "a relative path stays relative");
	check(vnl_path_to_uri("x/a b#%.conf"), "x/a%20b%23%25.conf", "a path is percent-encoded");
	check(vnl_path_to_uri("/abs/a.conf"), "file:///abs/a.conf", "an absolute path is a file URI");
}

int main(void)
{
	test_github();
	test_utf8();
	test_xml();
	test_origins();
	return done_testing();
}
