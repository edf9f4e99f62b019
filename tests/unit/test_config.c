/* vmnetlint.conf: syntax, strictness, rule states, VM declarations. */
#include "config.h"

#include <string.h>

#include "config_file.h"
#include "helpers.h"
#include "tap.h"

static const char *good =
	"# comment\n"
	"[rules]\n"
	"VNL001 = warning   # downgrade\n"
	"config-parse = off\n"
	"\n"
	"[network]\n"
	"underlay-mtu = 9000\n"
	"underlay-family = ipv4\n"
	"[queues]\n"
	"max = 4\n"
	"[vm \"fw-*\"]\n"
	"role = firewall, pfsync\n"
	"pfsync-nic = net3\n"
	"[vm \"tag:wg\"]\n"
	"Overlay = wireguard\n"
	"inner-mtu = 1380\n"
	"overlay-family = ipv6\n"
	"[vm \"id:200\"]\n"
	"role = router\n"
	"[pair \"edge\"]\n"
	"members = fw-a, fw-b\n"
	"[bridge \"vnet1\"]\n"
	"underlay-mtu = 1600\n";

static int parse(struct vnl_config *cfg, const char *text, struct vnl_err *err)
{
	vnl_config_init(cfg);
	return vnl_config_parse(cfg, "t.conf", text, err);
}

static void test_good(void)
{
	struct vnl_config cfg;
	struct vnl_err err = { "" };
	struct vnl_vm *vm;

	is_int(parse(&cfg, good, &err), 0, "a full config parses");
	diag("%s", err.msg);
	ok(!vnl_config_rule_enabled(&cfg, vnl_rule_find("VNL000")), "config-parse = off");
	ok(vnl_config_rule_enabled(&cfg, vnl_rule_find("VNL001")), "VNL001 stays on");
	is_int(vnl_config_rule_severity(&cfg, vnl_rule_find("VNL001")), VNL_SEV_WARNING,
	       "VNL001 = warning sets the severity");
	is_int(cfg.underlay_mtu.value, 9000, "network.underlay-mtu");
	is_int(cfg.underlay_mtu.loc.line, 7, "and where it came from");
	is_int(cfg.max_queues.value, 4, "queues.max");
	is_int(cfg.pfsync_max_mtu.value, 4080, "pfsync.max-mtu keeps its default");

	vm = pve_vm("101", "name: fw-a\nnet0: virtio=BC:24:11:00:00:01,bridge=vmbr0\n");
	vnl_config_apply_vm(&cfg, vm);
	ok(vnl_vm_has_role(vm, VNL_ROLE_FIREWALL) && vnl_vm_has_role(vm, VNL_ROLE_PFSYNC),
	   "[vm \"fw-*\"] gives roles by name glob");
	is_str(vm->roles[VNL_ROLE_PFSYNC].n ? vm->roles[VNL_ROLE_PFSYNC].items[0] : NULL,
	       "config t.conf:11 [vm \"fw-*\"]", "the evidence names the config line");
	is_str(vm->pfsync_nic, "net3", "pfsync-nic");
	is_str(vm->pair, "edge", "[pair] membership by name");
	vnl_vm_free(vm);

	vm = pve_vm("150", "name: gw\ntags: wg\n");
	vnl_config_apply_vm(&cfg, vm);
	is_str(vm->overlay, "wireguard", "tag: pattern; keys are case-insensitive");
	is_int(vm->overlay_inner_mtu.value, 1380, "inner-mtu");
	is_str(vm->overlay_family, "ipv6", "overlay-family");
	vnl_vm_free(vm);

	vm = pve_vm("200", "name: r\n");
	vnl_config_apply_vm(&cfg, vm);
	ok(vnl_vm_has_role(vm, VNL_ROLE_ROUTER), "id: pattern");
	ok(!vnl_vm_has_role(vm, VNL_ROLE_FIREWALL), "other patterns do not match");
	vnl_vm_free(vm);
	vnl_config_release(&cfg);
}

static void expect_error(const char *text, const char *want)
{
	struct vnl_config cfg;
	struct vnl_err err = { "" };
	int rc = parse(&cfg, text, &err);
	ok(rc < 0, "refused: %s", want);
	has_str(err.msg, want, "  says '%s'", want);
	vnl_config_release(&cfg);
}

static void test_errors(void)
{
	expect_error("[rules]\nVNL999 = off\n", "t.conf:2: no rule 'VNL999'");
	expect_error("[rules]\nVNL001 = maybe\n", "expected on, off, error, warning or info");
	expect_error("[bogus]\n", "unknown section [bogus]");
	expect_error("[network]\nfoo = 1\n", "unknown key 'foo' in [network]");
	expect_error("[network]\nunderlay-mtu = 12\n", "from 576 to 65535");
	expect_error("[network]\nunderlay-family = ipx\n", "expected ipv4 or ipv6");
	expect_error("[vm \"x\"]\nrole = dns\n", "role 'dns'");
	expect_error("[vm \"x\"]\noverlay = carrier-pigeon\n", "expected wireguard");
	expect_error("key = 1\n", "outside of a section");
	expect_error("[rules]\njust words\n", "t.conf:2: expected 'key = value'");
	expect_error("[vm \"x]\n", "unterminated quote");
	expect_error("[rules \"x\"]\n", "unknown section [rules");
	expect_error("[vm]\n", "unknown section [vm]");
}

int main(void)
{
	test_good();
	test_errors();
	return done_testing();
}
