/* The PVE API client: tokens, the connection, answers and their errors,
 * and the write primitive. The cluster scan is in pve_api_scan.c. */
#include "config.h"

#include "pve_api.h"
#include "pve_api_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/crypto.h>

#include "pve_api_json.h"
#include "pve_perms.h"

/* ---- tokens (research/proxmox.md 5.1) ---------------------------------------------- */

void pve_token_wipe(struct pve_token *tok)
{
	OPENSSL_cleanse(tok, sizeof(*tok));
}

/* USER@REALM!TOKENID: the server's pattern, user and realm without '@',
 * '!' or blanks, the token name a letter then [A-Za-z0-9._-]+. */
static bool token_id_valid(const char *s, size_t n)
{
	size_t at = 0, bang = 0, i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c >= 0x7f)
			return false;
		if (c == '@' && !at && !bang)
			at = i;
		else if (c == '!' && at && !bang)
			bang = i;
		else if (c == '@' || c == '!')
			return false;
		else if (bang && !isalnum(c) && !strchr("._-", c))
			return false;
	}
	return at > 0 && bang > at + 1 && n - bang > 2 && isalpha((unsigned char)s[bang + 1]);
}

int pve_token_parse(const char *text, struct pve_token *tok, struct vnl_err *err)
{
	size_t n, i;
	const char *eq;

	memset(tok, 0, sizeof(*tok));
	while (isspace((unsigned char)*text))
		text++;
	n = strlen(text);
	while (n && isspace((unsigned char)text[n - 1]))
		n--;
	if (n > 12 && (!strncmp(text, "PVEAPIToken=", 12) || !strncmp(text, "PVEAPIToken ", 12)))
		text += 12, n -= 12;
	/* the server splits at the last '=' */
	for (eq = NULL, i = 0; i < n; i++)
		if (text[i] == '=')
			eq = text + i;
	if (!eq || !token_id_valid(text, (size_t)(eq - text)))
		return vnl_fail(err, "the API token is not of the form USER@REALM!TOKENID=SECRET");
	if ((size_t)(eq - text) >= sizeof(tok->id) || n - (size_t)(eq + 1 - text) == 0 ||
	    n - (size_t)(eq + 1 - text) >= sizeof(tok->secret))
		return vnl_fail(err, "the API token's id or secret is empty or too long");
	for (i = (size_t)(eq + 1 - text); i < n; i++)
		if ((unsigned char)text[i] <= ' ' || (unsigned char)text[i] >= 0x7f) {
			pve_token_wipe(tok);
			return vnl_fail(err, "the API token's secret contains blanks or control "
					"characters");
		}
	memcpy(tok->id, text, (size_t)(eq - text));
	memcpy(tok->secret, eq + 1, n - (size_t)(eq + 1 - text));
	return 0;
}

static int read_token_file(const char *file, char *buf, size_t size, struct vnl_err *err)
{
	/* O_NONBLOCK: a FIFO is refused below instead of waiting for a writer */
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	ssize_t got;

	if (fd < 0)
		return vnl_fail(err, "--token-file %s: %s", file, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return vnl_fail(err, "--token-file %s: not a regular file", file);
	}
	if (st.st_mode & S_IROTH) {
		close(fd);
		return vnl_fail(err, "--token-file %s: every user can read it; refusing to use the "
				"secret (chmod o-r %s)", file, file);
	}
	got = read(fd, buf, size - 1);
	close(fd);
	if (got < 0)
		return vnl_fail(err, "--token-file %s: %s", file, strerror(errno));
	buf[got] = '\0';
	buf[strcspn(buf, "\n")] = '\0'; /* the first line */
	return 0;
}

int pve_token_load(const char *file, char *buf, size_t size, struct vnl_err *err)
{
	char *env;

	if (file)
		return read_token_file(file, buf, size, err);
	env = getenv("PROXMOX_VE_API_TOKEN");
	if (!env || !*env)
		return vnl_fail(err, "no API token: set PROXMOX_VE_API_TOKEN=USER@REALM!TOKENID="
				"SECRET or give --token-file FILE");
	if (strlen(env) >= size)
		return vnl_fail(err, "PROXMOX_VE_API_TOKEN is too long");
	memcpy(buf, env, strlen(env) + 1);
	/* wiped in place: also gone from /proc/<pid>/environ */
	OPENSSL_cleanse(env, strlen(env));
	unsetenv("PROXMOX_VE_API_TOKEN");
	return 0;
}

/* ---- the connection ------------------------------------------------------------------- */

/* https://host[:port][/prefix][/api2/json] -> base URL and "pve://host". */
static int parse_endpoint(struct pve_api *api, const char *endpoint, struct vnl_err *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *url = NULL, *prefix;
	int rc = -1;
	size_t n;

	if (curl_url_set(u, CURLUPART_URL, endpoint, CURLU_DEFAULT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		vnl_fail(err, "--pve '%s' is not a URL such as https://pve1.example.com:8006",
			 endpoint);
		goto out;
	}
	curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	if (!scheme || strcmp(scheme, "https")) {
		vnl_fail(err, "--pve '%s': only https is allowed (the API token would travel in "
			 "clear text)", endpoint);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PORT, &port, 0) != CURLUE_OK)
		curl_url_set(u, CURLUPART_PORT, "8006", 0); /* pveproxy's port (5.1) */
	curl_url_set(u, CURLUPART_QUERY, NULL, 0);
	curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
	curl_url_get(u, CURLUPART_PATH, &path, 0);
	n = path ? strlen(path) : 0;
	while (n && path[n - 1] == '/')
		n--;
	if (n >= 10 && !strncmp(path + n - 10, "/api2/json", 10))
		n -= 10;
	prefix = xasprintf("%.*s/api2/json", (int)n, path ? path : "");
	curl_url_set(u, CURLUPART_PATH, prefix, 0);
	free(prefix);
	curl_url_get(u, CURLUPART_URL, &url, 0);
	api->base = xstrdup(url);
	api->origin = xasprintf("pve://%s%s%s", host, port && strcmp(port, "8006") ? ":" : "",
				port && strcmp(port, "8006") ? port : "");
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(url);
	curl_url_cleanup(u);
	return rc;
}

static int make_http(struct pve_api *api, const struct pve_api_options *o,
		     const struct pve_token *tok, struct vnl_err *err)
{
	unsigned char pin[VNL_HTTP_PIN_LEN];
	struct vnl_http_options ho = { 0 };
	char auth[600];

	if (o->fingerprint && !vnl_http_parse_pin(o->fingerprint, pin))
		return vnl_fail(err, "--fingerprint '%s' is not a SHA-256 fingerprint "
				"(32 bytes as AA:BB:...:FF, as `pvenode cert info` shows it)",
				o->fingerprint);
	snprintf(auth, sizeof(auth), "Authorization: PVEAPIToken=%s=%s", tok->id, tok->secret);
	ho.base_url = api->base;
	ho.auth_header = auth;
	ho.cacert = o->cacert;
	ho.pin = o->fingerprint ? pin : NULL;
	ho.insecure = o->insecure;
	ho.timeout = o->timeout > 0 ? o->timeout : PVE_API_DEFAULT_TIMEOUT;
	ho.max_in_flight = o->jobs ? o->jobs : PVE_API_DEFAULT_JOBS;
	ho.max_tries = 3;
	ho.max_body = VNL_HTTP_MAX_BODY;
	ho.trace = o->trace;
	api->http = vnl_http_new(&ho, err);
	OPENSSL_cleanse(auth, sizeof(auth));
	return api->http ? 0 : -1;
}

struct pve_api *pve_api_open(const struct pve_api_options *o, struct vnl_err *err)
{
	struct pve_api *api = xcalloc(1, sizeof(*api));
	struct pve_token tok;

	if (parse_endpoint(api, o->endpoint ? o->endpoint : "", err) < 0 ||
	    pve_token_parse(o->token ? o->token : "", &tok, err) < 0) {
		pve_api_close(api);
		return NULL;
	}
	snprintf(api->token_id, sizeof(api->token_id), "%s", tok.id);
	api->agent = o->agent;
	api->jobs = o->jobs ? o->jobs : PVE_API_DEFAULT_JOBS;
	if (make_http(api, o, &tok, err) < 0) {
		pve_token_wipe(&tok);
		pve_api_close(api);
		return NULL;
	}
	pve_token_wipe(&tok);
	return api;
}

void pve_api_close(struct pve_api *api)
{
	if (!api)
		return;
	vnl_http_free(api->http);
	free(api->base);
	free(api->origin);
	free(api);
}

const char *pve_api_origin(const struct pve_api *api)
{
	return api->origin;
}

unsigned pve_api_max_in_flight(const struct pve_api *api)
{
	return api->http ? vnl_http_max_seen(api->http) : 0;
}

/* ---- answers and what went wrong ------------------------------------------------------ */

static void tls_failure(const struct pve_api *api, const struct vnl_http_req *req,
			struct strbuf *sb)
{
	const char *host = vnl_http_host(api->http);

	if (req->pin_mismatch)
		strbuf_addf(sb, "TLS: the certificate of %s has SHA-256 fingerprint %s, not the "
			    "one given with --fingerprint; not connecting", host, req->seen_pin);
	else
		strbuf_addf(sb, "TLS: cannot verify the certificate of %s (%s); give the "
			    "cluster's CA with --cacert (a copy of /etc/pve/pve-root-ca.pem) or "
			    "pin it with --fingerprint", host, req->error);
}

static void transport_failure(const struct pve_api *api, const struct vnl_http_req *req,
			      struct strbuf *sb)
{
	const char *host = vnl_http_host(api->http);

	if (req->too_large) {
		strbuf_addf(sb, "answer larger than %u MiB; not read", VNL_HTTP_MAX_BODY >> 20);
		return;
	}
	switch (req->curl_code) {
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CONNECT_ERROR:
		if (req->curl_code != CURLE_SSL_CONNECT_ERROR || req->pin_mismatch) {
			tls_failure(api, req, sb);
			return;
		}
		strbuf_addf(sb, "TLS handshake with %s failed: %s", host, req->error);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
		strbuf_addf(sb, "cannot connect to %s: %s", host, req->error);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		strbuf_addf(sb, "no complete answer within the timeout (--timeout): %s", req->error);
		break;
	case CURLE_PARTIAL_FILE:
		strbuf_addf(sb, "answer cut off before its end: %s", req->error);
		break;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		strbuf_addf(sb, "connection to %s broken: %s", host, req->error);
		break;
	default:
		strbuf_addf(sb, "request failed: %s (libcurl error %d)",
			    *req->error ? req->error : curl_easy_strerror(req->curl_code),
			    req->curl_code);
	}
}

static void http_failure(const struct pve_api *api, const struct vnl_http_req *req,
			 struct strbuf *sb)
{
	char msg[512], path[256], priv[128];

	if (!pve_json_message(req->resp.buf ? req->resp.buf : "", req->resp.len, msg,
			      sizeof(msg)))
		snprintf(msg, sizeof(msg), "%s", req->reason);
	if (req->status == 401)
		strbuf_addf(sb, "authentication failure (HTTP 401): the server refused API token "
			    "%s; check PROXMOX_VE_API_TOKEN or --token-file", api->token_id);
	else if (req->status == 403 && pve_json_perm_failure(msg, path, sizeof(path), priv,
							     sizeof(priv)))
		strbuf_addf(sb, "permission denied (HTTP 403): token %s lacks %s on %s",
			    api->token_id, priv, path);
	else
		strbuf_addf(sb, "HTTP %ld%s%s", req->status, *msg ? ": " : "", msg);
}

int pve_api_answer(const struct pve_api *api, const struct vnl_http_req *req, json_t **data,
		   struct strbuf *why)
{
	struct vnl_err err;

	*data = NULL;
	if (req->curl_code != CURLE_OK || req->too_large)
		transport_failure(api, req, why);
	else if (req->status != 200)
		http_failure(api, req, why);
	else if (pve_json_data(req->resp.buf ? req->resp.buf : "", req->resp.len, data, &err) < 0)
		strbuf_adds(why, err.msg);
	else
		return 0;
	if (req->tries > 1)
		strbuf_addf(why, " (after %u tries)", req->tries);
	return -1;
}

/* ---- one request at a time (the fixer) ------------------------------------------------ */

struct sync_call {
	const struct pve_api *api;
	json_t *data;
	long status;
	bool conflict, hotplug;
	struct strbuf why;
};

static void sync_done(struct vnl_http_req *req, void *arg)
{
	struct sync_call *c = arg;
	char msg[512] = "";

	c->status = req->status;
	pve_json_message(req->resp.buf ? req->resp.buf : "", req->resp.len, msg, sizeof(msg));
	/* research/proxmox.md 4.4: a plain die, HTTP 500 */
	c->conflict = req->status == 500 && strstr(msg, "checksum mismatch");
	c->hotplug = req->status == 400 && req->resp.buf && strstr(req->resp.buf, "hotplug problem");
	if (pve_api_answer(c->api, req, &c->data, &c->why) < 0 && c->hotplug && req->resp.buf) {
		json_t *root = json_loadb(req->resp.buf, req->resp.len, 0, NULL);
		char *errors = json_dumps(json_object_get(root, "errors"), JSON_COMPACT | JSON_SORT_KEYS);
		if (errors)
			strbuf_addf(&c->why, " %s", errors);
		free(errors);
		json_decref(root);
	}
}

static int sync_request(struct pve_api *api, const char *method, const char *path,
			const char *body, struct sync_call *c)
{
	memset(c, 0, sizeof(*c));
	c->api = api;
	vnl_http_queue(api->http, method, path, body, !strcmp(method, "GET"), sync_done, c);
	vnl_http_run(api->http);
	return c->data ? 0 : -1;
}

/* Node names are host names, vmids digits: nothing to escape in a path. */
static int check_target(const char *node, const char *vmid, struct vnl_err *err)
{
	size_t i;

	if (!vmid || !*vmid || !str_is_digits(vmid, strlen(vmid)) || strlen(vmid) > 9)
		return vnl_fail(err, "'%s' is not a VM id", vmid ? vmid : "");
	for (i = 0; node && node[i]; i++)
		if (!isalnum((unsigned char)node[i]) && node[i] != '-' && node[i] != '.')
			break;
	if (!node || !*node || node[i])
		return vnl_fail(err, "'%s' is not a node name", node ? node : "");
	return 0;
}

static void fail_call(struct sync_call *c, const char *method, const char *path,
		      struct vnl_err *err)
{
	vnl_fail(err, "%s %s: %s", method, path, strbuf_str(&c->why));
	strbuf_release(&c->why);
	json_decref(c->data);
}

static bool is_net_key(const char *key)
{
	return key && !strncmp(key, "net", 3) && key[3] && str_is_digits(key + 3, strlen(key + 3));
}

static char *put_body(const struct pve_api_value *values, size_t n, const char *digest)
{
	json_t *body = json_object();
	char *text;
	size_t i;

	for (i = 0; i < n; i++)
		json_object_set_new(body, values[i].key, json_string(values[i].value));
	if (digest)
		json_object_set_new(body, "digest", json_string(digest));
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	return text;
}

enum pve_put_result pve_api_put_config(struct pve_api *api, const char *node, const char *vmid,
				       const struct pve_api_value *values, size_t n,
				       const char *digest, struct vnl_err *err)
{
	struct sync_call c;
	char *path, *body;
	size_t i;
	enum pve_put_result res = PVE_PUT_OK;

	if (check_target(node, vmid, err) < 0)
		return PVE_PUT_ERROR;
	for (i = 0; i < n; i++)
		if (!is_net_key(values[i].key) || !values[i].value || !*values[i].value) {
			vnl_fail(err, "only netN keys with a value can be written, not '%s'",
				 values[i].key ? values[i].key : "");
			return PVE_PUT_ERROR;
		}
	path = xasprintf("/nodes/%s/qemu/%s/config", node, vmid);
	body = put_body(values, n, digest);
	/* PUT: synchronous, never retried (research/proxmox.md 5.2, 5.3) */
	if (sync_request(api, "PUT", path, body, &c) < 0) {
		res = c.conflict ? PVE_PUT_CONFLICT : c.hotplug ? PVE_PUT_HOTPLUG : PVE_PUT_ERROR;
		fail_call(&c, "PUT", path, err);
	} else {
		json_decref(c.data);
		strbuf_release(&c.why);
	}
	free(path);
	free(body);
	return res;
}

static enum pve_key_state key_state(json_t *list, const char *key)
{
	size_t i;
	json_t *item;
	long long del;

	json_array_foreach(list, i, item) {
		const char *k = json_string_value(json_object_get(item, "key"));
		if (!k || strcmp(k, key))
			continue;
		if (pve_json_int(json_object_get(item, "delete"), &del) && del > 0)
			return PVE_KEY_PENDING_DELETE;
		if (json_object_get(item, "pending"))
			return PVE_KEY_PENDING;
		return json_object_get(item, "value") ? PVE_KEY_LIVE : PVE_KEY_ABSENT;
	}
	return PVE_KEY_ABSENT;
}

int pve_api_key_states(struct pve_api *api, const char *node, const char *vmid,
		       const char *const *keys, size_t n, enum pve_key_state *out,
		       struct vnl_err *err)
{
	struct sync_call c;
	char *path;
	size_t i;

	if (check_target(node, vmid, err) < 0)
		return -1;
	path = xasprintf("/nodes/%s/qemu/%s/pending", node, vmid);
	if (sync_request(api, "GET", path, NULL, &c) < 0 || !json_is_array(c.data)) {
		if (!c.why.len)
			strbuf_adds(&c.why, "answer is not a list");
		fail_call(&c, "GET", path, err);
		free(path);
		return -1;
	}
	for (i = 0; i < n; i++)
		out[i] = key_state(c.data, keys[i]);
	json_decref(c.data);
	strbuf_release(&c.why);
	free(path);
	return 0;
}

char *pve_api_config_json(struct pve_api *api, const char *node, const char *vmid,
			  struct vnl_err *err)
{
	struct sync_call c;
	char *path, *text = NULL;

	if (check_target(node, vmid, err) < 0)
		return NULL;
	path = xasprintf("/nodes/%s/qemu/%s/config?current=1", node, vmid);
	if (sync_request(api, "GET", path, NULL, &c) < 0 || !json_is_object(c.data)) {
		if (!c.why.len)
			strbuf_adds(&c.why, "answer is not a config");
		fail_call(&c, "GET", path, err);
	} else {
		char *dump = json_dumps(c.data, JSON_INDENT(2) | JSON_SORT_KEYS);
		text = xasprintf("%s\n", dump);
		free(dump);
		json_decref(c.data);
		strbuf_release(&c.why);
	}
	free(path);
	return text;
}

/* ---- access ------------------------------------------------------------------------- */

const char *pve_api_token_id(const struct pve_api *api)
{
	return api->token_id;
}

struct pve_perms *pve_api_permissions(struct pve_api *api, struct vnl_err *err)
{
	struct sync_call c;
	struct pve_perms *p;

	/* without userid: the token's own, which every token may read */
	if (sync_request(api, "GET", "/access/permissions", NULL, &c) < 0) {
		fail_call(&c, "GET", "/access/permissions", err);
		return NULL;
	}
	p = pve_perms_from_json(c.data, err);
	json_decref(c.data);
	strbuf_release(&c.why);
	return p;
}
