/* The pure parts of the PVE API client: tokens, certificate fingerprints,
 * numbers that arrive as numbers or strings, answers, and a VM built from
 * API JSON next to the same VM from a config file. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http.h"
#include "source/pve_api.h"
#include "source/pve_api_json.h"
#include "source/pve_conf.h"
#include "tap.h"

static void test_tokens(void)
{
	struct pve_token tok;
	struct vnl_err err;

	ok(pve_token_parse("root@pam!vmnetlint=0b6a1c2d-aaaa-4bbb-8ccc-123456789abc", &tok,
			   &err) == 0, "a token parses");
	is_str(tok.id, "root@pam!vmnetlint", "token id");
	is_str(tok.secret, "0b6a1c2d-aaaa-4bbb-8ccc-123456789abc", "secret");
	ok(pve_token_parse("  PVEAPIToken=auditor@pve!scan=s3cr3t\n", &tok, &err) == 0 &&
	   !strcmp(tok.id, "auditor@pve!scan") && !strcmp(tok.secret, "s3cr3t"),
	   "blanks and a PVEAPIToken= prefix are accepted");
	pve_token_wipe(&tok);
	is_str(tok.secret, "", "wiping clears the secret");
	ok(pve_token_parse("just-a-secret", &tok, &err) < 0, "a secret alone is refused");
	ok(!strstr(err.msg, "just-a-secret"), "the message does not quote the text");
	ok(pve_token_parse("root@pam=secret", &tok, &err) < 0, "no token name: refused");
	ok(pve_token_parse("root@pam!1abc=secret", &tok, &err) < 0,
	   "a token name must start with a letter");
	ok(pve_token_parse("root!x@pam!abc=secret", &tok, &err) < 0, "two '!': refused");
	ok(pve_token_parse("root@pam!abc=", &tok, &err) < 0, "an empty secret is refused");
	ok(pve_token_parse("root@pam!abc=sec ret", &tok, &err) < 0 && !strstr(err.msg, "sec ret"),
	   "a blank inside the secret is refused without quoting it");
	ok(pve_token_parse("root@pam!abc=x=y", &tok, &err) < 0,
	   "split at the last '=' like the server: 'root@pam!abc=x' is no token id");
	ok(pve_token_parse("root@pam!a.b_c-d=x", &tok, &err) == 0, "name with . _ -");
}

static void test_pins(void)
{
	unsigned char pin[VNL_HTTP_PIN_LEN], pin2[VNL_HTTP_PIN_LEN];
	const char *fp = "0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:"
			 "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";
	char out[3 * VNL_HTTP_PIN_LEN];

	ok(vnl_http_parse_pin(fp, pin), "PVE's fingerprint format parses");
	is_int(pin[0], 0x0a, "first byte");
	is_int(pin[31], 0xff, "last byte");
	vnl_http_format_pin(pin, out);
	is_str(out, fp, "and formats back the same way");
	ok(vnl_http_parse_pin("0a:1b:2c:3d:4e:5f:60:71:82:93:a4:b5:c6:d7:e8:f9:"
			      "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff", pin2) &&
	   !memcmp(pin, pin2, sizeof(pin)), "lower case is the same pin");
	ok(vnl_http_parse_pin("0A1B2C3D4E5F60718293A4B5C6D7E8F900112233445566778899AABBCCDDEEFF",
			      pin2) && !memcmp(pin, pin2, sizeof(pin)), "no colons: the same pin");
	ok(!vnl_http_parse_pin("0A:1B", pin2), "too short");
	ok(!vnl_http_parse_pin("0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:"
			       "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00", pin2),
	   "too long (33 bytes)");
	ok(!vnl_http_parse_pin("0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:"
			       "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FG", pin2),
	   "not hex");
	ok(!vnl_http_parse_pin("0A-1B-2C-3D-4E-5F-60-71-82-93-A4-B5-C6-D7-E8-F9-"
			       "00-11-22-33-44-55-66-77-88-99-AA-BB-CC-DD-EE-FF", pin2),
	   "other separators are refused");
	ok(!vnl_http_parse_pin("", pin2), "empty");
}

static void test_backoff(void)
{
	ok(vnl_http_backoff(1, -1, 0.0) == 0.25, "first retry after 0.25 s");
	ok(vnl_http_backoff(2, -1, 0.0) == 0.5, "then 0.5 s");
	ok(vnl_http_backoff(2, -1, 0.99) < 1.0 && vnl_http_backoff(2, -1, 0.99) > 0.5,
	   "jitter adds up to 100%%");
	ok(vnl_http_backoff(1, 3, 0.5) == 3.0, "Retry-After wins");
	ok(vnl_http_backoff(1, 100000, 0.5) == 60.0, "Retry-After is capped at 60 s");
}

static void test_numbers(void)
{
	long long n = 0;
	json_t *v;
	char *t;

	v = json_integer(4);
	ok(pve_json_int(v, &n) && n == 4, "JSON number 4");
	json_decref(v);
	v = json_string("4");
	ok(pve_json_int(v, &n) && n == 4, "JSON string \"4\"");
	json_decref(v);
	v = json_string(" 9000 ");
	ok(pve_json_int(v, &n) && n == 9000, "a string with blanks");
	json_decref(v);
	v = json_real(1500.0);
	ok(pve_json_int(v, &n) && n == 1500, "1500.0 is an integer");
	json_decref(v);
	v = json_real(1.5);
	ok(!pve_json_int(v, &n), "1.5 is not");
	json_decref(v);
	v = json_string("abc");
	ok(!pve_json_int(v, &n), "\"abc\" is not");
	json_decref(v);
	ok(!pve_json_int(json_null(), &n) && !pve_json_int(NULL, &n), "null and missing are not");
	v = json_true();
	ok(pve_json_int(v, &n) && n == 1, "true is 1");

	t = pve_json_text(json_true());
	is_str(t, "1", "true as text");
	free(t);
	v = json_real(0.5);
	t = pve_json_text(v);
	is_str(t, "0.5", "0.5 as text");
	free(t);
	json_decref(v);
	v = json_integer(-3);
	t = pve_json_text(v);
	is_str(t, "-3", "-3 as text");
	free(t);
	json_decref(v);
	ok(pve_json_text(json_null()) == NULL, "null has no text");
}

static void test_answers(void)
{
	struct vnl_err err;
	json_t *data;
	char msg[128], path[64], priv[64];
	const char *body = "{\"data\":null,\"message\":\"Permission check failed (/vms/101, "
			   "VM.Audit)\\n\"}";

	ok(pve_json_data("{\"data\":[1,2]}", 14, &data, &err) == 0 && json_array_size(data) == 2,
	   "the data of an answer");
	json_decref(data);
	ok(pve_json_data("<html>", 6, &data, &err) < 0 && strstr(err.msg, "not valid JSON"),
	   "HTML is not JSON: %s", err.msg);
	ok(pve_json_data("{\"data\":[1,", 11, &data, &err) < 0, "truncated JSON");
	ok(pve_json_data("{\"x\":1}", 7, &data, &err) < 0 && strstr(err.msg, "no \"data\""),
	   "no data member");
	ok(pve_json_data("", 0, &data, &err) < 0 && strstr(err.msg, "empty"), "empty body");
	ok(pve_json_message(body, strlen(body), msg, sizeof(msg)), "an error message");
	is_str(msg, "Permission check failed (/vms/101, VM.Audit)", "trailing newline trimmed");
	ok(pve_json_perm_failure(msg, path, sizeof(path), priv, sizeof(priv)), "a 403 message");
	is_str(path, "/vms/101", "the path");
	is_str(priv, "VM.Audit", "the privilege");
	ok(!pve_json_perm_failure("something else", path, sizeof(path), priv, sizeof(priv)),
	   "another message is not a permission failure");
}

/* The same VM from the file and from API JSON: same NICs, problems, pending. */
static void test_vm_from_json(void)
{
	const char *conf = "#Debian %25 box\n"
			   "agent: enabled=1,fstrim_cloned_disks=1\n"
			   "cores: 2\n"
			   "name: deb\n"
			   "net0: virtio=BC:24:11:00:04:01,bridge=vmbr0\n"
			   "net1: virtio=BC:24:11:00:04:02,bridge=vmbr0,queue=4\n"
			   "net2: rtl8139=BC:24:11:00:04:03,bridge=vmbr0\n"
			   "sockets: 2\n"
			   "\n[PENDING]\ndelete: net2\n"
			   "net0: virtio=BC:24:11:00:04:01,bridge=vmbr0,queues=2\n";
	const char *cfg = "{\"agent\":\"enabled=1,fstrim_cloned_disks=1\",\"cores\":\"2\","
			  "\"description\":\"Debian % box\",\"digest\":\"abc\",\"name\":\"deb\","
			  "\"net0\":\"virtio=BC:24:11:00:04:01,bridge=vmbr0\","
			  "\"net1\":\"virtio=BC:24:11:00:04:02,bridge=vmbr0,queue=4\","
			  "\"net2\":\"rtl8139=BC:24:11:00:04:03,bridge=vmbr0\",\"sockets\":2}";
	const char *pend = "[{\"key\":\"net0\",\"value\":\"x\",\"pending\":"
			   "\"virtio=BC:24:11:00:04:01,bridge=vmbr0,queues=2\"},"
			   "{\"key\":\"net2\",\"value\":\"y\",\"delete\":1}]";
	struct pve_conf_hint hint = { "104", "pve2" };
	struct vnl_vm *a = pve_conf_parse("104.conf", conf, strlen(conf), &hint);
	json_t *jc = json_loads(cfg, 0, NULL), *jp = json_loads(pend, 0, NULL);
	struct vnl_vm *b = pve_json_vm("pve://h/nodes/pve2/qemu/104/config", "104", "pve2", jc, jp);

	is_int(b->kind, VNL_SRC_PVE_API, "kind pve-api");
	is_str(b->origin, "pve://h/nodes/pve2/qemu/104/config", "origin without a fragment");
	is_str(b->description, a->description, "description (already decoded by the API)");
	is_int(b->vcpus.value, a->vcpus.value, "vCPUs from numbers and strings");
	is_int((long long)b->nnics, (long long)a->nnics, "same NICs (net1 dropped by both)");
	is_int((long long)b->nproblems, (long long)a->nproblems, "same problems");
	if (b->nproblems)
		is_str(b->problems[0].loc.origin, "pve://h/nodes/pve2/qemu/104/config#net1",
		       "a NIC problem is placed at config#net1");
	is_str(b->nics[0].loc.origin, "pve://h/nodes/pve2/qemu/104/config#net0", "NIC place");
	is_int(b->nics[0].loc.line, 0, "no line");
	ok(b->pending && a->pending, "both have a pending view");
	if (b->pending && a->pending) {
		is_int((long long)b->pending->nnics, (long long)a->pending->nnics,
		       "pending: net2 deleted in both");
		is_int(b->pending->nics[0].queues.value, 2, "pending queues=2");
		is_str(b->pending->nics[0].queues.loc.origin,
		       "pve://h/nodes/pve2/qemu/104/config#net0", "pending value place");
	}
	is_int(b->nics[1].pending, VNL_PENDING_DELETED, "net2 marked deleted");
	ok(pve_json_agent_enabled(jc), "agent enabled=1");
	vnl_vm_free(a);
	vnl_vm_free(b);
	json_decref(jc);
	json_decref(jp);
}

static void test_agent_and_firewall(void)
{
	json_t *c = json_pack("{s:i}", "agent", 1);
	struct vnl_vm *vm;
	struct vnl_netenv env;

	ok(pve_json_agent_enabled(c), "agent: 1");
	json_object_set_new(c, "agent", json_string("0,fstrim_cloned_disks=1"));
	ok(!pve_json_agent_enabled(c), "agent: 0,...");
	json_object_set_new(c, "agent", json_string("type=virtio,enabled=1"));
	ok(pve_json_agent_enabled(c), "enabled=1 after another key");
	json_object_del(c, "agent");
	ok(!pve_json_agent_enabled(c), "no agent");

	vm = pve_json_vm("pve://h/c", "1", "n", c, NULL);
	json_decref(c);
	c = json_pack("{s:s,s:s}", "enable", "1", "digest", "x");
	pve_json_vm_firewall(vm, "pve://h/fw", c);
	ok(vm->fw_known && vm->fw_enable.value, "VM firewall enable \"1\"");
	ok(vm->fw_macfilter.value && !vm->fw_macfilter.raw, "macfilter defaults to on");
	is_str(vm->fw_enable.loc.origin, "pve://h/fw#enable", "its place");
	json_decref(c);
	vnl_vm_free(vm);

	vnl_netenv_init(&env);
	c = json_pack("{s:i}", "enable", 1);
	pve_json_cluster_firewall(&env, "pve://h/cluster/firewall/options", c);
	is_int(env.cluster_firewall.value, 1, "datacenter firewall on");
	json_decref(c);
	c = json_pack("{s:s}", "digest", "x");
	pve_json_cluster_firewall(&env, "pve://h/cluster/firewall/options", c);
	is_int(env.cluster_firewall.value, 0, "no enable: off");
	json_decref(c);
	vnl_netenv_release(&env);
}

/* ---- against the test API server: tests/cli/pve_api.sh runs
 * `test_pve_api --write URL CACERT` with the token in the environment. ---- */

static struct pve_api *open_api(const char *url, const char *cacert)
{
	struct pve_api_options o = { url, NULL, cacert, NULL, false, false, 10, 4, NULL };
	char token[512];
	struct vnl_err err;
	struct pve_api *api = NULL;

	if (pve_token_load(NULL, token, sizeof(token), &err) == 0) {
		o.token = token;
		api = pve_api_open(&o, &err);
	}
	memset(token, 0, sizeof(token));
	if (!api)
		diag("cannot open the API: %s", err.msg);
	return api;
}

static char *digest_of(struct pve_api *api, const char *node, const char *vmid)
{
	struct vnl_err err;
	char *text = pve_api_config_json(api, node, vmid, &err);
	json_t *cfg = text ? json_loads(text, 0, NULL) : NULL;
	const char *d = json_string_value(json_object_get(cfg, "digest"));
	char *copy = d ? strdup(d) : NULL;

	if (!text)
		diag("%s", err.msg);
	free(text);
	json_decref(cfg);
	return copy;
}

static void write_stopped_vm(struct pve_api *api)
{
	struct pve_api_value v = { "net0", "virtio=BC:24:11:00:02:01,bridge=vmbr0,firewall=1" };
	const char *keys[] = { "net0", "net1", "net7" };
	enum pve_key_state st[3];
	struct vnl_err err;
	char *d = digest_of(api, "pve1", "102");
	struct vnl_err e2;
	char *text = pve_api_config_json(api, "pve1", "102", &e2);

	ok(text && strstr(text, "\"digest\"") && strstr(text, "\"net0\""),
	   "config as JSON text for the backup, digest included");
	free(text);
	ok(d && strlen(d) == 40, "digest read: %s", d ? d : "(none)");
	is_int(pve_api_put_config(api, "pve1", "102", &v, 1, d, &err), PVE_PUT_OK,
	       "PUT with the digest read: ok");
	ok(pve_api_key_states(api, "pve1", "102", keys, 3, st, &err) == 0, "pending read");
	is_int(st[0], PVE_KEY_LIVE, "stopped VM: net0 is live");
	is_int(st[1], PVE_KEY_LIVE, "net1 untouched and live");
	is_int(st[2], PVE_KEY_ABSENT, "net7 absent");
	is_int(pve_api_put_config(api, "pve1", "102", &v, 1, d, &err), PVE_PUT_CONFLICT,
	       "PUT again with the old digest: checksum mismatch");
	has_str(err.msg, "checksum mismatch", "the message says so");
	has_str(err.msg, "PUT /nodes/pve1/qemu/102/config", "and names the path");
	free(d);
}

static void write_running_vm(struct pve_api *api)
{
	/* 101 runs with hotplug disk,usb: a queues change waits for a cold
	 * start, a tag change applies at once (research/proxmox.md 5.3) */
	struct pve_api_value v[2] = {
		{ "net0", "virtio=BC:24:11:00:01:01,bridge=vmbr0,firewall=1" },
		{ "net2", "virtio=BC:24:11:00:01:03,bridge=vmbr0,tag=200" },
	};
	const char *keys[] = { "net0", "net2" };
	enum pve_key_state st[2];
	struct vnl_err err;
	char *d = digest_of(api, "pve1", "101");

	is_int(pve_api_put_config(api, "pve1", "101", v, 2, d, &err), PVE_PUT_OK,
	       "PUT to a running VM: ok");
	ok(pve_api_key_states(api, "pve1", "101", keys, 2, st, &err) == 0, "pending read");
	is_int(st[0], PVE_KEY_PENDING, "queues change without network hotplug: pending");
	is_int(st[1], PVE_KEY_LIVE, "tag change: live");
	free(d);
}

static void write_refused(struct pve_api *api)
{
	struct pve_api_value v = { "cores", "2" };
	struct pve_api_value n = { "net0", "virtio=BC:24:11:00:04:01,bridge=vmbr0,mtu=1400" };
	struct vnl_err err;
	char *d = digest_of(api, "pve2", "104");

	is_int(pve_api_put_config(api, "pve1", "102", &v, 1, NULL, &err), PVE_PUT_ERROR,
	       "only netN keys are written");
	is_int(pve_api_put_config(api, "pve1", "10x", &n, 1, NULL, &err), PVE_PUT_ERROR,
	       "a bad vmid is refused before sending");
	is_int(pve_api_put_config(api, "pve2", "103", &n, 1, NULL, &err), PVE_PUT_ERROR,
	       "a locked VM: error");
	has_str(err.msg, "VM is locked (backup)", "with the server's message");
	/* the script made 104's hot-plug fail */
	is_int(pve_api_put_config(api, "pve2", "104", &n, 1, d, &err), PVE_PUT_HOTPLUG,
	       "failed hot-plug: written to [PENDING], reported apart");
	has_str(err.msg, "hotplug problem", "with the server's errors");
	free(d);
}

static int write_tests(const char *url, const char *cacert)
{
	struct pve_api *api = open_api(url, cacert);

	ok(api != NULL, "API opened");
	if (api) {
		write_stopped_vm(api);
		write_running_vm(api);
		write_refused(api);
	}
	pve_api_close(api);
	return done_testing();
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--write"))
		return write_tests(argv[2], argv[3]);
	test_tokens();
	test_pins();
	test_backoff();
	test_numbers();
	test_answers();
	test_vm_from_json();
	test_agent_and_firewall();
	return done_testing();
}
