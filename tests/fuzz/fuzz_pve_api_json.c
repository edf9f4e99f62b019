/* The PVE API's JSON answers (source/pve_api_json.c). The first byte picks
 * the request the rest answers, as pve_api_scan.c hands them over: a VM
 * config, its pending list, its firewall options, the cluster firewall,
 * a node's network, the SDN zones, vnets or controllers. Error messages
 * are read from every body, as pve_api.c does for failed requests. */
#include "config.h"

#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "scan.h"
#include "source/pve_api_json.h"
#include "source/pve_sdn.h"

#define ORIGIN "pve://pve1.example.com/nodes/pve1/qemu/100/config"

enum answer {
	A_CONFIG,
	A_PENDING,
	A_VM_FIREWALL,
	A_CLUSTER_FIREWALL,
	A_NODE_NETWORK,
	A_SDN_ZONES,
	A_SDN_VNETS,
	A_SDN_CONTROLLERS,
	A__COUNT,
};

/* The config the pending, firewall and network answers are checked with. */
static json_t *sample_config(void)
{
	return json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}", "name", "fw-a", "tags", "opnsense;carp",
			 "cores", 2, "net0", "virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4",
			 "net1", "virtio=BC:24:11:00:00:02,bridge=vnet0,mtu=9000", "agent",
			 "enabled=1");
}

static void scalars(json_t *v)
{
	long long n;
	char *text = pve_json_text(v);
	free(text);
	(void)pve_json_int(v, &n);
}

static void sdn(struct vnl_scan *scan, enum pve_sdn_file file, json_t *data)
{
	static const char *const ids[] = { "zone", "vnet", "controller" };
	struct strbuf sb = STRBUF_INIT;
	struct pve_sdn *s = pve_sdn_new();

	pve_json_sdn_text(&sb, data, ids[file]);
	pve_sdn_parse(s, file, "pve://pve1.example.com/cluster/sdn", strbuf_str(&sb), sb.len,
		      &fuzz_pve_report);
	pve_sdn_apply(s, NULL, &scan->net, &fuzz_pve_report);
	pve_sdn_free(s);
	strbuf_release(&sb);
}

static void answer(struct vnl_scan *scan, enum answer what, json_t *data)
{
	json_t *config = NULL;
	struct vnl_vm *vm;
	struct pve_hostnet hn;

	scalars(data);
	switch (what) {
	case A_CONFIG:
		(void)pve_json_agent_enabled(data);
		vm = pve_json_vm(ORIGIN, "100", "pve1", data, NULL);
		break;
	case A_PENDING:
		config = sample_config();
		vm = pve_json_vm(ORIGIN, "100", "pve1", config, data);
		break;
	case A_VM_FIREWALL:
		config = sample_config();
		vm = pve_json_vm(ORIGIN, "100", "pve1", config, NULL);
		pve_json_vm_firewall(vm, ORIGIN "/firewall/options", data);
		break;
	case A_CLUSTER_FIREWALL:
		pve_json_cluster_firewall(&scan->net, "pve://pve1.example.com/cluster/firewall/options",
					  data);
		return;
	case A_NODE_NETWORK:
		pve_hostnet_init(&hn);
		pve_json_node_network(&hn, "pve://pve1.example.com/nodes/pve1/network", "pve1",
				      data);
		pve_interfaces_apply(&hn, &scan->net);
		pve_hostnet_release(&hn);
		config = sample_config();
		vm = pve_json_vm(ORIGIN, "100", "pve1", config, NULL);
		break;
	default:
		sdn(scan, (enum pve_sdn_file)(what - A_SDN_ZONES), data);
		return;
	}
	json_decref(config);
	vnl_scan_vm(scan, vm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vnl_scan scan;
	struct vnl_err err;
	json_t *d;
	char msg[512], path[256], priv[128];
	const char *body;
	enum answer what;

	if (size == 0)
		return 0;
	what = (enum answer)(data[0] % A__COUNT);
	body = (const char *)data + 1;
	size--;
	if (pve_json_message(body, size, msg, sizeof(msg)))
		(void)pve_json_perm_failure(msg, path, sizeof(path), priv, sizeof(priv));
	if (pve_json_data(body, size, &d, &err) < 0) {
		if (!err.msg[0])
			fuzz_fail("refused without a reason", data, size);
		return 0;
	}
	fuzz_scan_begin(&scan);
	answer(&scan, what, d);
	fuzz_scan_end(&scan);
	json_decref(d);
	return 0;
}
