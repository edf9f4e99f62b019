/* The PVE API's JSON answers (research/proxmox.md 5) turned into the model
 * and the network environment, through the same code the file scan uses:
 * configs through pve_conf_from_pairs, node networks through pve_hostnet,
 * SDN through pve_sdn. No HTTP in here. */
#ifndef VNL_PVE_API_JSON_H
#define VNL_PVE_API_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "model.h"
#include "netenv.h"
#include "pve_interfaces.h"
#include "util.h"

/* Numbers may arrive as JSON numbers or as strings (research/proxmox.md
 * 5.1): 4, 4.0, "4" and true all read as integers. */
bool pve_json_int(const json_t *v, long long *out);
/* A scalar as the text a config file would hold: strings as they are,
 * integers in decimal, reals shortest, booleans 1/0. NULL for null, objects
 * and arrays. Free the result. */
char *pve_json_text(const json_t *v);

/* The `data` of an answer {"data": ...} (a new reference), or -1 with err
 * saying what was wrong: not JSON (with the place), no data. */
int pve_json_data(const char *body, size_t len, json_t **data, struct vnl_err *err);
/* The `message` of an error answer, trimmed, into buf; false if none. */
bool pve_json_message(const char *body, size_t len, char *buf, size_t size);
/* "Permission check failed (/vms/101, VM.Audit)" -> path and privilege. */
bool pve_json_perm_failure(const char *msg, char *path, size_t psize, char *priv,
			   size_t vsize);

/* A VM from GET .../config?current=1 and GET .../pending (NULL: not read),
 * checked like a config file. The config's `digest` is not a setting. */
struct vnl_vm *pve_json_vm(const char *origin, const char *vmid, const char *node,
			   json_t *config, json_t *pending);
/* Is the guest agent configured (`agent: 1` or `enabled=1,...`)? */
bool pve_json_agent_enabled(json_t *config);
/* GET .../firewall/options: enable, macfilter (defaults when missing). */
void pve_json_vm_firewall(struct vnl_vm *vm, const char *origin, json_t *options);
/* GET /cluster/firewall/options: enable (absent = off). */
void pve_json_cluster_firewall(struct vnl_netenv *env, const char *origin, json_t *options);

/* GET /nodes/{node}/network: every entry but vnets becomes an interface of
 * node in hn; places are "<origin>#<iface>". */
void pve_json_node_network(struct pve_hostnet *hn, const char *origin, const char *node,
			   json_t *list);
/* GET /cluster/sdn/{zones,vnets,controllers} written back as section-config
 * text ("TYPE: ID" then "\tKEY VALUE"), for pve_sdn_parse. id_key is the
 * field that names the section ("zone", "vnet", "controller"). */
void pve_json_sdn_text(struct strbuf *sb, json_t *list, const char *id_key);

#endif
