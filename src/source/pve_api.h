/* The Proxmox VE HTTP API as a source (a whole cluster in one scan) and
 * the write primitive the fixer uses (research/proxmox.md 5). HTTP and TLS
 * through libcurl (src/http.c), JSON through jansson. */
#ifndef VNL_PVE_API_H
#define VNL_PVE_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "model.h"
#include "netenv.h"
#include "util.h"

#define PVE_API_DEFAULT_JOBS 16
#define PVE_API_DEFAULT_TIMEOUT 30

/* ---- tokens (research/proxmox.md 5.1) --------------------------------------------- */

struct pve_token {
	char id[256];     /* USER@REALM!TOKENID: not secret, may be shown */
	char secret[256]; /* never shown; wipe with pve_token_wipe */
};

/* "USER@REALM!TOKENID=SECRET" (blanks around it and a leading
 * "PVEAPIToken=" are allowed). Messages never quote the text. */
int pve_token_parse(const char *text, struct pve_token *tok, struct vnl_err *err);
void pve_token_wipe(struct pve_token *tok);
/* The token text from file (its first line; refused when every user may
 * read it) or, with file NULL, from $PROXMOX_VE_API_TOKEN (which is then
 * wiped and removed from the environment). buf is wiped by the caller. */
int pve_token_load(const char *file, char *buf, size_t size, struct vnl_err *err);

/* ---- a connection to a cluster ------------------------------------------------------ */

struct pve_api_options {
	const char *endpoint;    /* https://host[:8006][/api2/json] */
	const char *token;       /* USER@REALM!TOKENID=SECRET; copied, never kept in clear */
	const char *cacert;      /* CA file; NULL = the system CAs */
	const char *fingerprint; /* SHA-256 pin AA:BB:...; NULL = none */
	bool insecure;           /* no TLS verification (the caller warns) */
	bool agent;              /* ask running VMs' guest agents for their OS */
	long timeout;            /* seconds per request; 0 = default */
	unsigned jobs;           /* requests in flight; 0 = default */
	FILE *trace;             /* --verbose: libcurl's trace, token redacted */
};

struct pve_api;

/* Checks the options (endpoint, token, pin); connects nothing yet. */
struct pve_api *pve_api_open(const struct pve_api_options *o, struct vnl_err *err);
void pve_api_close(struct pve_api *api);
/* "pve://host" (":port" unless 8006): the origin every place starts with. */
const char *pve_api_origin(const struct pve_api *api);
/* The most requests in flight at once so far. */
unsigned pve_api_max_in_flight(const struct pve_api *api);

/* ---- scanning ----------------------------------------------------------------------- */

/* Which config a scanned VM came from, for a later write. */
struct pve_api_vm_ref {
	const char *node;
	const char *vmid;
	const char *digest; /* of the config as read (research/proxmox.md 4.4) */
};

struct pve_api_scan_ops {
	/* A VM, in vmid order; the callee owns it. ref lives during the call. */
	void (*vm)(struct vnl_vm *vm, const struct pve_api_vm_ref *ref, void *data);
	/* Something that could not be read: one line, naming the VM and path. */
	void (*error)(const char *origin, const char *msg, void *data);
	struct vnl_netenv *net; /* filled before the first VM is handed over */
	void *data;
	/* Optional context that is forbidden (403) or missing (404, 501): one
	 * line per endpoint and node naming the privilege that reads it; the
	 * gap is recorded in net (netenv.h) for the rules. NULL = not shown. */
	void (*note)(const char *origin, const char *msg, void *data);
};

/* Every qemu VM of the cluster: GET /cluster/resources?type=vm; then the
 * nodes' networks, SDN and the datacenter firewall into ops->net; then per
 * VM its config (current=1), pending changes, firewall options and, when
 * running with an agent, the agent's OS id. Required: the VM list, each
 * config and pending list (their failures are errors). Context: the
 * networks, SDN and firewall options (a 403/404/501 there is a note and a
 * gap in ops->net; any other failure is an error). Requests run concurrently;
 * each VM is handed over as soon as it and those before it are complete. */
void pve_api_scan(struct pve_api *api, const struct pve_api_scan_ops *ops);

/* ---- access (vmnetlint doctor) ------------------------------------------------------ */

struct pve_perms;
/* GET /access/permissions: the token's effective privileges (pve_perms.h).
 * NULL with err (the path and why) on failure. */
struct pve_perms *pve_api_permissions(struct pve_api *api, struct vnl_err *err);
/* USER@REALM!TOKENID of the token in use (not secret). */
const char *pve_api_token_id(const struct pve_api *api);

/* ---- writing (the fixer) -------------------------------------------------------------- */

struct pve_api_value {
	const char *key;   /* netN */
	const char *value; /* the whole new value, MAC included */
};

enum pve_put_result {
	PVE_PUT_OK,       /* written (live or pending: ask pve_api_key_states) */
	PVE_PUT_CONFLICT, /* "checksum mismatch": changed since it was read; never retried */
	PVE_PUT_HOTPLUG,  /* written to [PENDING], but the hot-plug failed */
	PVE_PUT_ERROR,    /* not written; err says why */
};

/* ONE PUT /nodes/{node}/qemu/{vmid}/config with these netN values and the
 * digest read at scan time (research/proxmox.md 5.3, 4.4). Not retried. */
enum pve_put_result pve_api_put_config(struct pve_api *api, const char *node, const char *vmid,
				       const struct pve_api_value *values, size_t n,
				       const char *digest, struct vnl_err *err);

enum pve_key_state {
	PVE_KEY_ABSENT,         /* not in the config */
	PVE_KEY_LIVE,           /* the value is in force */
	PVE_KEY_PENDING,        /* a new value waits in [PENDING] for a cold start */
	PVE_KEY_PENDING_DELETE, /* a deletion waits in [PENDING] */
};

/* After a PUT: GET .../pending and the state of each key. */
int pve_api_key_states(struct pve_api *api, const char *node, const char *vmid,
		       const char *const *keys, size_t n, enum pve_key_state *out,
		       struct vnl_err *err);

/* GET .../config?current=1 as indented JSON text, digest included (for the
 * backup). NULL with err on failure. Free the result. */
char *pve_api_config_json(struct pve_api *api, const char *node, const char *vmid,
			  struct vnl_err *err);

#endif
