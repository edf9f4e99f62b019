/* Scanning a whole cluster through the PVE API (research/proxmox.md 5.2):
 * the VM list, then the network around the VMs, then every VM with its
 * requests in flight together. VMs are handed over in vmid order as soon as
 * they and those before them are complete; at most `window` VMs are held,
 * so memory stays flat however big the cluster is. */
#include "config.h"

#include "pve_api.h"
#include "pve_api_int.h"

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "pve_api_json.h"
#include "pve_interfaces.h"
#include "pve_sdn.h"

struct scan;

struct vm_job {
	struct scan *sc;
	char vmid[16];
	const char *node; /* in scan->nodes */
	int running;      /* cluster/resources `status`: 1, 0, -1 unknown */
	unsigned outstanding;
	json_t *config, *pending, *fw;
	char *os_id, *digest;
	char **errors;
	size_t nerrors, errors_cap;
	struct vnl_vm *vm;
	bool done;
};

struct node_env {
	struct scan *sc;
	const char *name;
	bool vm_fw_noted; /* its VMs' firewall options: one note for the node */
};

struct scan {
	struct pve_api *api;
	const struct pve_api_scan_ops *ops;
	struct vm_job *jobs;
	size_t njobs, jobs_cap, next_start, next_emit, window;
	char **nodes;
	size_t nnodes, nodes_cap;
	bool listed;
	/* the environment, gathered before the first VM */
	struct pve_hostnet hostnet;
	struct node_env *node_envs;
	struct strbuf sdn[3];
	bool have_sdn[3];
	json_t *cluster_fw;
};

static const char *const sdn_paths[3] = { "/cluster/sdn/zones", "/cluster/sdn/vnets",
					  "/cluster/sdn/controllers" };
static const char *const sdn_ids[3] = { "zone", "vnet", "controller" };
static const enum pve_sdn_file sdn_files[3] = { PVE_SDN_ZONES, PVE_SDN_VNETS,
						PVE_SDN_CONTROLLERS };

/* One line about something that could not be read: "GET PATH: why". */
static char *failure(struct scan *sc, const struct vnl_http_req *req, json_t **data)
{
	struct strbuf why = STRBUF_INIT;
	char *line;

	if (pve_api_answer(sc->api, req, data, &why) == 0) {
		strbuf_release(&why);
		return NULL;
	}
	line = xasprintf("%s %s: %s", req->method, req->path, strbuf_str(&why));
	strbuf_release(&why);
	return line;
}

static void env_error(struct scan *sc, const char *what, char *line)
{
	char *origin = xasprintf("%s%s", pve_api_origin(sc->api), what);
	sc->ops->error(origin, line, sc->ops->data);
	free(origin);
	free(line);
}

/* ---- context that may be missing ------------------------------------------------------ */

/* research/proxmox.md 5.1: 403 is a privilege the token lacks, 501 (and a
 * proxy's 404) a path this server does not have. For context that is a
 * note, not an error: the VMs are the input. */
static bool context_missing(const struct vnl_http_req *req)
{
	return req->curl_code == CURLE_OK && !req->too_large &&
	       (req->status == 403 || req->status == 404 || req->status == 501);
}

/* Who may read each context (research/proxmox.md 5.2, 5.7). */
static const char *context_privilege(enum vnl_context what)
{
	switch (what) {
	case VNL_CTX_CLUSTER_FIREWALL: return "Sys.Audit on /";
	case VNL_CTX_VM_FIREWALL: return "VM.Audit on /vms";
	case VNL_CTX_SDN: return "SDN.Audit on /sdn";
	case VNL_CTX_NODE_NETWORK: return "Sys.Audit on /";
	case VNL_CTX__COUNT: break;
	}
	return "";
}

/* One note, "GET PATH: why; scanned without the <context> (context, read
 * with PRIV)", and, when record, a gap in the environment for the rules. */
static void context_gap(struct scan *sc, const struct vnl_http_req *req,
			enum vnl_context what, const char *node, bool record)
{
	struct strbuf why = STRBUF_INIT;
	json_t *data = NULL;
	size_t plen = strcspn(req->path, "?");
	char *origin = xasprintf("%s%.*s", pve_api_origin(sc->api), (int)plen, req->path);
	char *gap = xasprintf("%ld on %.*s", req->status, (int)plen, req->path);
	char *line;

	pve_api_answer(sc->api, req, &data, &why);
	json_decref(data);
	line = xasprintf("GET %s: %s; scanned without the %s (context, read with %s)",
			 req->path, strbuf_str(&why), vnl_context_name(what),
			 context_privilege(what));
	if (record)
		vnl_netenv_add_gap(sc->ops->net, what, node, origin, gap);
	if (sc->ops->note)
		sc->ops->note(origin, line, sc->ops->data);
	free(line);
	free(gap);
	free(origin);
	strbuf_release(&why);
}

/* ---- 1. the VM list ------------------------------------------------------------------ */

static const char *intern_node(struct scan *sc, const char *node)
{
	size_t i;
	for (i = 0; i < sc->nnodes; i++)
		if (!strcmp(sc->nodes[i], node))
			return sc->nodes[i];
	vnl_grow(&sc->nodes, &sc->nodes_cap, sc->nnodes + 1, sizeof(*sc->nodes));
	return sc->nodes[sc->nnodes++] = xstrdup(node);
}

static void add_job(struct scan *sc, json_t *e)
{
	const char *type = json_string_value(json_object_get(e, "type"));
	const char *node = json_string_value(json_object_get(e, "node"));
	const char *status = json_string_value(json_object_get(e, "status"));
	long long vmid;
	struct vm_job *job;

	/* qemu only: containers are listed too (research/proxmox.md 5.2) */
	if (!type || strcmp(type, "qemu") || !node || !*node ||
	    !pve_json_int(json_object_get(e, "vmid"), &vmid) || vmid < 1)
		return;
	vnl_grow(&sc->jobs, &sc->jobs_cap, sc->njobs + 1, sizeof(*sc->jobs));
	job = &sc->jobs[sc->njobs++];
	memset(job, 0, sizeof(*job));
	job->sc = sc;
	snprintf(job->vmid, sizeof(job->vmid), "%lld", vmid);
	job->node = intern_node(sc, node);
	job->running = !status ? -1 : !strcmp(status, "running") ? 1
		       : !strcmp(status, "stopped") ? 0 : -1;
}

static int cmp_jobs(const void *a, const void *b)
{
	long long x = atoll(((const struct vm_job *)a)->vmid);
	long long y = atoll(((const struct vm_job *)b)->vmid);
	return (x > y) - (x < y);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void resources_done(struct vnl_http_req *req, void *arg)
{
	struct scan *sc = arg;
	json_t *data, *e;
	char *line = failure(sc, req, &data);
	size_t i;

	if (line) {
		env_error(sc, "/cluster/resources", line);
		return;
	}
	if (!json_is_array(data)) {
		env_error(sc, "/cluster/resources",
			  xasprintf("GET %s: answer is not a list of resources", req->path));
	} else {
		json_array_foreach(data, i, e)
			add_job(sc, e);
		sc->listed = true;
	}
	json_decref(data);
	if (sc->njobs > 1)
		qsort(sc->jobs, sc->njobs, sizeof(*sc->jobs), cmp_jobs);
	if (sc->nnodes > 1)
		qsort(sc->nodes, sc->nnodes, sizeof(*sc->nodes), cmp_names);
	for (i = 0; i < sc->njobs; i++)
		sc->jobs[i].sc = sc;
}

/* ---- 2. the network and firewall around the VMs --------------------------------------- */

static void network_done(struct vnl_http_req *req, void *arg)
{
	struct node_env *ne = arg;
	json_t *data;
	char *what, *line, *origin;

	if (context_missing(req)) {
		context_gap(ne->sc, req, VNL_CTX_NODE_NETWORK, ne->name, true);
		return;
	}
	what = xasprintf("/nodes/%s/network", ne->name);
	line = failure(ne->sc, req, &data);
	if (line) {
		env_error(ne->sc, what, line);
	} else {
		origin = xasprintf("%s%s", pve_api_origin(ne->sc->api), what);
		pve_json_node_network(&ne->sc->hostnet, origin, ne->name, data);
		free(origin);
	}
	json_decref(data);
	free(what);
}

static void sdn_done(struct vnl_http_req *req, void *arg)
{
	struct scan *sc = arg;
	size_t k = 0;
	json_t *data;
	char *line;

	while (k < 2 && strcmp(req->path, sdn_paths[k]))
		k++;
	/* 501: the SDN packages are not installed (research/proxmox.md 5.5);
	 * controllers only name EVPN peers: without them every bridge is known */
	if (context_missing(req)) {
		context_gap(sc, req, VNL_CTX_SDN, NULL, k < 2);
		return;
	}
	line = failure(sc, req, &data);
	if (line) {
		env_error(sc, sdn_paths[k], line);
		return;
	}
	pve_json_sdn_text(&sc->sdn[k], data, sdn_ids[k]);
	sc->have_sdn[k] = true;
	json_decref(data);
}

static void firewall_done(struct vnl_http_req *req, void *arg)
{
	struct scan *sc = arg;
	json_t *data;
	char *line;

	if (context_missing(req)) {
		context_gap(sc, req, VNL_CTX_CLUSTER_FIREWALL, NULL, true);
		return;
	}
	line = failure(sc, req, &data);
	if (line)
		env_error(sc, "/cluster/firewall/options", line);
	else
		sc->cluster_fw = data;
}

/* Problems pve_sdn finds in the cluster's SDN: the API has no line numbers. */
static void sdn_report(void *data, enum vnl_severity sev, const struct vnl_loc *loc,
		       const char *msg)
{
	struct scan *sc = data;
	if (sev != VNL_SEV_INFO)
		sc->ops->error(loc->origin, msg, sc->ops->data);
}

/* What the file scan does with the same files (pve_tree_load_env): the
 * interfaces first, then SDN (a vnet's MTU depends on them), then the
 * datacenter firewall. */
static void apply_env(struct scan *sc)
{
	struct vnl_netenv *env = sc->ops->net;
	struct pve_report rep = { sdn_report, sc };
	struct pve_sdn *sdn = pve_sdn_new();
	char *origins[3];
	size_t i, k, first = env->n;

	pve_interfaces_apply(&sc->hostnet, env);
	for (k = 0; k < 3; k++) {
		origins[k] = xasprintf("%s%s", pve_api_origin(sc->api), sdn_paths[k]);
		if (sc->have_sdn[k])
			pve_sdn_parse(sdn, sdn_files[k], origins[k], strbuf_str(&sc->sdn[k]),
				      sc->sdn[k].len, &rep);
	}
	/* vnets without their zones cannot be placed: a gap, not errors */
	if (sc->have_sdn[0] && sc->have_sdn[1])
		pve_sdn_apply(sdn, &sc->hostnet, env, &rep);
	pve_sdn_free(sdn);
	/* the section text is ours: its line numbers mean nothing to a user */
	for (i = first; i < env->n; i++)
		for (k = 0; k < 3; k++)
			if (env->bridges[i].loc.origin && !strcmp(env->bridges[i].loc.origin, origins[k]))
				env->bridges[i].loc.line = env->bridges[i].loc.col =
					env->bridges[i].mtu.loc.line = env->bridges[i].mtu.loc.col = 0;
	for (k = 0; k < 3; k++)
		free(origins[k]);
	if (sc->cluster_fw) {
		char *origin = xasprintf("%s/cluster/firewall/options", pve_api_origin(sc->api));
		pve_json_cluster_firewall(env, origin, sc->cluster_fw);
		free(origin);
	}
}

static void load_env(struct scan *sc)
{
	struct vnl_http *h = sc->api->http;
	size_t i;

	sc->node_envs = xcalloc(sc->nnodes ? sc->nnodes : 1, sizeof(*sc->node_envs));
	for (i = 0; i < sc->nnodes; i++) {
		char *path = xasprintf("/nodes/%s/network", sc->nodes[i]);
		sc->node_envs[i].sc = sc;
		sc->node_envs[i].name = sc->nodes[i];
		vnl_http_queue(h, "GET", path, NULL, true, network_done, &sc->node_envs[i]);
		free(path);
	}
	for (i = 0; i < 3; i++)
		vnl_http_queue(h, "GET", sdn_paths[i], NULL, true, sdn_done, sc);
	vnl_http_queue(h, "GET", "/cluster/firewall/options", NULL, true, firewall_done, sc);
	vnl_http_run(h);
	apply_env(sc);
}

/* ---- 3. the VMs ----------------------------------------------------------------------- */

static char *vm_origin(const struct scan *sc, const struct vm_job *job, const char *what)
{
	return xasprintf("%s/nodes/%s/qemu/%s/%s", pve_api_origin(sc->api), job->node, job->vmid,
			 what);
}

static void job_error(struct vm_job *job, char *line)
{
	vnl_grow(&job->errors, &job->errors_cap, job->nerrors + 1, sizeof(*job->errors));
	job->errors[job->nerrors++] = xasprintf("VM %s on node %s: %s", job->vmid, job->node,
						  line);
	free(line);
}

static void build_vm(struct vm_job *job)
{
	char *origin = vm_origin(job->sc, job, "config");
	char *fw_origin = vm_origin(job->sc, job, "firewall/options");
	struct vnl_vm *vm = pve_json_vm(origin, job->vmid, job->node, job->config, job->pending);

	vm->running = job->running;
	/* the config's digest, for the PUT of a fix (research/proxmox.md 4.4) */
	if (job->digest)
		vm->digest = arena_strdup(&vm->arena, job->digest);
	if (job->fw)
		pve_json_vm_firewall(vm, fw_origin, job->fw);
	if (job->os_id)
		vm->os_id = arena_strdup(&vm->arena, job->os_id);
	if (vm->pending) {
		vm->pending->running = vm->running;
		vm->pending->os_id = vm->os_id;
	}
	job->vm = vm;
	free(origin);
	free(fw_origin);
}

static void release_job(struct vm_job *job)
{
	size_t i;

	json_decref(job->config);
	json_decref(job->pending);
	json_decref(job->fw);
	job->config = job->pending = job->fw = NULL;
	free(job->os_id);
	free(job->digest);
	job->os_id = job->digest = NULL;
	for (i = 0; i < job->nerrors; i++)
		free(job->errors[i]);
	free(job->errors);
	job->errors = NULL;
	job->nerrors = job->errors_cap = 0;
	vnl_vm_free(job->vm);
	job->vm = NULL;
}

/* Hand over, in vmid order, every VM whose turn has come. */
static void emit_ready(struct scan *sc)
{
	while (sc->next_emit < sc->njobs && sc->jobs[sc->next_emit].done) {
		struct vm_job *job = &sc->jobs[sc->next_emit++];
		char *origin = vm_origin(sc, job, "config");
		struct pve_api_vm_ref ref = { job->node, job->vmid, job->digest };
		size_t i;

		for (i = 0; i < job->nerrors; i++)
			sc->ops->error(origin, job->errors[i], sc->ops->data);
		if (job->vm) {
			sc->ops->vm(job->vm, &ref, sc->ops->data);
			job->vm = NULL;
		}
		free(origin);
		release_job(job);
	}
}

static void start_jobs(struct scan *sc);

static void request_done(struct vm_job *job)
{
	if (--job->outstanding)
		return;
	if (job->config)
		build_vm(job);
	json_decref(job->config);
	json_decref(job->pending);
	json_decref(job->fw);
	job->config = job->pending = job->fw = NULL;
	job->done = true;
	emit_ready(job->sc);
	start_jobs(job->sc);
}

static void agent_done(struct vnl_http_req *req, void *arg)
{
	struct vm_job *job = arg;
	json_t *data = NULL;
	struct strbuf why = STRBUF_INIT;

	/* failures are silent: no agent, not running, no privilege (5.6) */
	if (pve_api_answer(job->sc->api, req, &data, &why) == 0) {
		const char *id = json_string_value(json_object_get(json_object_get(data, "result"),
								   "id"));
		if (id && *id)
			job->os_id = xstrdup(id);
	}
	strbuf_release(&why);
	json_decref(data);
	request_done(job);
}

static void config_done(struct vnl_http_req *req, void *arg)
{
	struct vm_job *job = arg;
	json_t *data;
	char *line = failure(job->sc, req, &data);

	if (!line && !json_is_object(data))
		line = xasprintf("GET %s: answer is not a config", req->path);
	if (line) {
		job_error(job, line);
		json_decref(data);
	} else {
		const char *digest = json_string_value(json_object_get(data, "digest"));
		job->config = data;
		job->digest = digest ? xstrdup(digest) : NULL;
		if (job->sc->api->agent && job->running == 1 && pve_json_agent_enabled(data)) {
			char *path = xasprintf("/nodes/%s/qemu/%s/agent/get-osinfo", job->node,
					       job->vmid);
			job->outstanding++;
			vnl_http_queue(job->sc->api->http, "GET", path, NULL, false, agent_done, job);
			free(path);
		}
	}
	request_done(job);
}

static void part_done(struct vnl_http_req *req, struct vm_job *job, json_t **dst,
		      bool want_list)
{
	json_t *data;
	char *line = failure(job->sc, req, &data);

	if (!line && want_list != json_is_array(data))
		line = xasprintf("GET %s: answer is not a %s", req->path,
				 want_list ? "list" : "set of options");
	if (line) {
		job_error(job, line);
		json_decref(data);
	} else {
		*dst = data;
	}
	request_done(job);
}

static void pending_done(struct vnl_http_req *req, void *arg)
{
	struct vm_job *job = arg;
	part_done(req, job, &job->pending, true);
}

/* A VM's firewall options are context: forbidden or missing, one note for
 * the node (not per VM), and the VM is checked without them. */
static void fw_done(struct vnl_http_req *req, void *arg)
{
	struct vm_job *job = arg;
	struct scan *sc = job->sc;
	size_t i;

	if (!context_missing(req)) {
		part_done(req, job, &job->fw, false);
		return;
	}
	for (i = 0; i < sc->nnodes; i++)
		if (sc->node_envs[i].name == job->node && !sc->node_envs[i].vm_fw_noted) {
			sc->node_envs[i].vm_fw_noted = true;
			context_gap(sc, req, VNL_CTX_VM_FIREWALL, job->node, true);
		}
	request_done(job);
}

static void start_job(struct scan *sc, struct vm_job *job)
{
	static const char *const what[3] = { "config?current=1", "pending", "firewall/options" };
	vnl_http_done_fn *const done[3] = { config_done, pending_done, fw_done };
	size_t i;

	job->outstanding = 3;
	for (i = 0; i < 3; i++) {
		char *path = xasprintf("/nodes/%s/qemu/%s/%s", job->node, job->vmid, what[i]);
		vnl_http_queue(sc->api->http, "GET", path, NULL, true, done[i], job);
		free(path);
	}
}

static void start_jobs(struct scan *sc)
{
	while (sc->next_start < sc->njobs && sc->next_start < sc->next_emit + sc->window)
		start_job(sc, &sc->jobs[sc->next_start++]);
}

static void release_scan(struct scan *sc)
{
	size_t i;

	for (i = 0; i < sc->njobs; i++)
		release_job(&sc->jobs[i]);
	free(sc->jobs);
	for (i = 0; i < sc->nnodes; i++)
		free(sc->nodes[i]);
	free(sc->nodes);
	free(sc->node_envs);
	for (i = 0; i < 3; i++)
		strbuf_release(&sc->sdn[i]);
	json_decref(sc->cluster_fw);
	pve_hostnet_release(&sc->hostnet);
}

void pve_api_scan(struct pve_api *api, const struct pve_api_scan_ops *ops)
{
	struct scan sc;

	memset(&sc, 0, sizeof(sc));
	sc.api = api;
	sc.ops = ops;
	pve_hostnet_init(&sc.hostnet);
	vnl_http_queue(api->http, "GET", "/cluster/resources?type=vm", NULL, true,
		       resources_done, &sc);
	vnl_http_run(api->http);
	if (sc.listed) {
		load_env(&sc);
		/* about three requests per VM: enough VMs to keep every slot busy */
		sc.window = (size_t)api->jobs + 8;
		start_jobs(&sc);
		vnl_http_run(api->http);
		emit_ready(&sc);
	}
	release_scan(&sc);
}
