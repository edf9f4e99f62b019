/* libcurl multi plumbing for the PVE API client (see http.h). */
#include "config.h"

#include "http.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

struct vnl_http {
	CURLM *multi;
	char *base;
	char host[256];
	struct vnl_http_options o;
	char *cacert;
	unsigned char pin[VNL_HTTP_PIN_LEN];
	bool have_pin;
	bool pin_mismatch; /* a handshake failed on the pin (sticky: one server) */
	char mismatch_pin[3 * VNL_HTTP_PIN_LEN];
	struct curl_slist *hdr_get, *hdr_body; /* hold the secret: wiped when freed */
	struct vnl_http_req *queue, *queue_tail, *delayed;
	unsigned active, max_seen;
	unsigned long long rng;
};

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* xorshift64: jitter for the backoff, no global state. */
static double next_jitter(struct vnl_http *h)
{
	h->rng ^= h->rng << 13;
	h->rng ^= h->rng >> 7;
	h->rng ^= h->rng << 17;
	return (double)(h->rng >> 11) / (double)(1ULL << 53);
}

double vnl_http_backoff(unsigned tries, long retry_after, double jitter)
{
	double base = 0.25;
	unsigned i;

	if (retry_after >= 0)
		return retry_after > 60 ? 60.0 : (double)retry_after;
	for (i = 1; i < tries && base < 8.0; i++)
		base *= 2;
	return base * (1.0 + jitter);
}

/* ---- certificate pin (research/proxmox.md 5.8) ------------------------------ */

bool vnl_http_parse_pin(const char *text, unsigned char pin[VNL_HTTP_PIN_LEN])
{
	size_t i = 0, n = 0;
	bool colons = strchr(text, ':') != NULL;

	while (n < VNL_HTTP_PIN_LEN) {
		int hi = hex_digit_value(text[i]), lo;
		if (hi < 0)
			return false;
		lo = hex_digit_value(text[i + 1]);
		if (lo < 0)
			return false;
		pin[n++] = (unsigned char)(hi * 16 + lo);
		i += 2;
		if (colons && n < VNL_HTTP_PIN_LEN && text[i++] != ':')
			return false;
	}
	return text[i] == '\0';
}

void vnl_http_format_pin(const unsigned char pin[VNL_HTTP_PIN_LEN], char *buf)
{
	size_t i;
	for (i = 0; i < VNL_HTTP_PIN_LEN; i++)
		snprintf(buf + 3 * i, 4, "%02X%s", pin[i], i + 1 < VNL_HTTP_PIN_LEN ? ":" : "");
}

/* Replaces OpenSSL's chain verification: the leaf certificate's SHA-256
 * must be the pin, whatever signed it. Runs inside the handshake, so a
 * mismatch fails the connection before a request (and the token) is sent. */
static int verify_pin(X509_STORE_CTX *store, void *arg)
{
	struct vnl_http *h = arg;
	X509 *leaf = X509_STORE_CTX_get0_cert(store);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!leaf || !X509_digest(leaf, EVP_sha256(), md, &mdlen) || mdlen != VNL_HTTP_PIN_LEN)
		return 0;
	if (CRYPTO_memcmp(md, h->pin, VNL_HTTP_PIN_LEN) == 0)
		return 1;
	h->pin_mismatch = true;
	vnl_http_format_pin(md, h->mismatch_pin);
	return 0;
}

static CURLcode setup_ssl_ctx(CURL *easy, void *sslctx, void *arg)
{
	SSL_CTX *ctx = sslctx;
	(void)easy;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_cert_verify_callback(ctx, verify_pin, arg);
	return CURLE_OK;
}

/* ---- trace ------------------------------------------------------------------- */

/* curl -v style lines; the Authorization header never appears. */
static int trace_line(CURL *easy, curl_infotype type, char *data, size_t size, void *arg)
{
	struct vnl_http *h = arg;
	const char *prefix = type == CURLINFO_TEXT ? "* " : type == CURLINFO_HEADER_IN ? "< "
			     : type == CURLINFO_HEADER_OUT ? "> " : NULL;
	size_t i = 0;

	(void)easy;
	if (!prefix)
		return 0; /* bodies and TLS records are not traced */
	while (i < size) {
		size_t j = i, n;
		while (j < size && data[j] != '\n')
			j++;
		n = j;
		while (n > i && (data[n - 1] == '\r' || data[n - 1] == '\n'))
			n--;
		if (n > i) {
			if (n - i >= 14 && !strncasecmp(data + i, "authorization:", 14))
				fprintf(h->o.trace, "%sAuthorization: <redacted>\n", prefix);
			else
				fprintf(h->o.trace, "%s%.*s\n", prefix, (int)(n - i), data + i);
		}
		i = j + 1;
	}
	return 0;
}

/* ---- one attempt ----------------------------------------------------------- */

static size_t take_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct vnl_http_req *req = arg;
	size_t n = size * nmemb;

	if (req->resp.len + n > req->max_body) {
		req->too_large = true;
		return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
	}
	strbuf_add(&req->resp, data, n);
	return n;
}

static size_t take_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct vnl_http_req *req = arg;
	size_t n = size * nmemb, len = n;

	while (len > 0 && (data[len - 1] == '\r' || data[len - 1] == '\n'))
		len--;
	if (len > 5 && !strncmp(data, "HTTP/", 5)) {
		/* "HTTP/1.1 403 Permission check failed (...)": keep the phrase */
		const char *sp = memchr(data, ' ', len);
		const char *sp2 = sp ? memchr(sp + 1, ' ', len - (size_t)(sp + 1 - data)) : NULL;
		req->reason[0] = '\0';
		req->retry_after = -1;
		if (sp2)
			snprintf(req->reason, sizeof(req->reason), "%.*s",
				 (int)(len - (size_t)(sp2 + 1 - data)), sp2 + 1);
	} else if (len > 12 && !strncasecmp(data, "retry-after:", 12)) {
		char value[64];
		long long secs;
		const char *v = data + 12;
		size_t vn = len - 12;
		while (vn && isspace((unsigned char)*v))
			v++, vn--;
		snprintf(value, sizeof(value), "%.*s", (int)vn, v);
		/* seconds, or an HTTP date (RFC 9110 10.2.3) */
		if (str_to_ll(value, strlen(value), false, &secs)) {
			req->retry_after = (long)(secs > 3600 ? 3600 : secs);
		} else {
			time_t when = curl_getdate(value, NULL);
			if (when > 0)
				req->retry_after = when > time(NULL) ? (long)(when - time(NULL)) : 0;
		}
	}
	return n;
}

static void set_tls(struct vnl_http *h, CURL *e)
{
	if (h->o.insecure || h->have_pin) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (h->have_pin && !h->o.insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, setup_ssl_ctx);
		curl_easy_setopt(e, CURLOPT_SSL_CTX_DATA, h);
	}
	if (h->cacert)
		curl_easy_setopt(e, CURLOPT_CAINFO, h->cacert);
}

static void start(struct vnl_http *h, struct vnl_http_req *req)
{
	CURL *e = curl_easy_init();
	char *url = xasprintf("%s%s", h->base, req->path);

	strbuf_reset(&req->resp);
	req->status = 0;
	req->reason[0] = req->error[0] = '\0';
	req->retry_after = -1;
	req->too_large = false;
	req->tries++;
	req->easy = e;
	req->max_body = h->o.max_body;
	curl_easy_setopt(e, CURLOPT_URL, url);
	free(url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, req);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
#else
	curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)CURLPROTO_HTTPS);
#endif
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, req->error);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, take_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, req);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, take_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, req);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, h->o.timeout);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, h->o.timeout < 10 ? h->o.timeout : 10L);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->o.max_body);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, req->body ? h->hdr_body : h->hdr_get);
	if (strcmp(req->method, "GET")) {
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body ? req->body : "");
	}
	set_tls(h, e);
	if (h->o.trace) {
		curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, trace_line);
		curl_easy_setopt(e, CURLOPT_DEBUGDATA, h);
		curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	}
	curl_multi_add_handle(h->multi, e);
	if (++h->active > h->max_seen)
		h->max_seen = h->active;
}

/* Worth another attempt: the server or the path failed, not the request. */
static bool transient(const struct vnl_http *h, const struct vnl_http_req *req)
{
	switch (req->curl_code) {
	case CURLE_OK:
		return req->status == 429 || (req->status >= 500 && req->status <= 599 &&
					      req->status != 501);
	case CURLE_SSL_CONNECT_ERROR:
		return !h->pin_mismatch;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_HTTP2:
	case CURLE_PARTIAL_FILE:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static void free_req(struct vnl_http_req *req)
{
	free(req->path);
	free(req->body);
	strbuf_release(&req->resp);
	free(req);
}

static void finish(struct vnl_http *h, CURL *e, CURLcode code)
{
	struct vnl_http_req *req = NULL;

	curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&req);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &req->status);
	curl_multi_remove_handle(h->multi, e);
	curl_easy_cleanup(e);
	h->active--;
	req->easy = NULL;
	req->curl_code = (int)code;
	if (code == CURLE_FILESIZE_EXCEEDED)
		req->too_large = true;
	if ((code == CURLE_SSL_CONNECT_ERROR || code == CURLE_PEER_FAILED_VERIFICATION) &&
	    h->pin_mismatch) {
		req->pin_mismatch = true;
		memcpy(req->seen_pin, h->mismatch_pin, sizeof(req->seen_pin));
	}
	if (req->retry && req->tries < h->o.max_tries && transient(h, req)) {
		req->due = now_seconds() + vnl_http_backoff(req->tries, req->retry_after,
							    next_jitter(h));
		req->next = h->delayed;
		h->delayed = req;
		return;
	}
	if (req->done)
		req->done(req, req->data);
	free_req(req);
}

/* ---- the queue ---------------------------------------------------------------- */

struct vnl_http_req *vnl_http_queue(struct vnl_http *h, const char *method, const char *path,
				    const char *body, bool retry, vnl_http_done_fn *done,
				    void *data)
{
	struct vnl_http_req *req = xcalloc(1, sizeof(*req));

	req->method = method;
	req->path = xstrdup(path);
	req->body = body ? xstrdup(body) : NULL;
	req->retry = retry;
	req->done = done;
	req->data = data;
	req->retry_after = -1;
	if (h->queue_tail)
		h->queue_tail->next = req;
	else
		h->queue = req;
	h->queue_tail = req;
	return req;
}

static struct vnl_http_req *pop(struct vnl_http *h)
{
	struct vnl_http_req *req = h->queue;
	h->queue = req->next;
	if (!h->queue)
		h->queue_tail = NULL;
	req->next = NULL;
	return req;
}

/* Due retries go first; returns ms until the next one is due (or 1000). */
static long promote_due(struct vnl_http *h)
{
	struct vnl_http_req **pp = &h->delayed;
	double now = now_seconds(), next = now + 1.0;

	while (*pp) {
		struct vnl_http_req *req = *pp;
		if (req->due <= now) {
			*pp = req->next;
			req->next = h->queue;
			h->queue = req;
			if (!h->queue_tail)
				h->queue_tail = req;
		} else {
			if (req->due < next)
				next = req->due;
			pp = &req->next;
		}
	}
	return (long)((next - now) * 1000.0) + 1;
}

void vnl_http_run(struct vnl_http *h)
{
	for (;;) {
		long wait_ms = promote_due(h);
		int running = 0, left = 0;
		CURLMsg *msg;

		while (h->queue && h->active < h->o.max_in_flight)
			start(h, pop(h));
		if (!h->active && !h->queue && !h->delayed)
			return;
		curl_multi_perform(h->multi, &running);
		while ((msg = curl_multi_info_read(h->multi, &left)) != NULL)
			if (msg->msg == CURLMSG_DONE)
				finish(h, msg->easy_handle, msg->data.result);
		if (h->queue && h->active < h->o.max_in_flight)
			continue; /* the callbacks queued more: start them now */
		if (h->active || h->delayed)
			curl_multi_poll(h->multi, NULL, 0, (int)(wait_ms > 1000 ? 1000 : wait_ms),
					NULL);
	}
}

/* ---- setup ---------------------------------------------------------------------- */

static struct curl_slist *headers(const char *auth, bool body)
{
	struct curl_slist *l = NULL;

	l = curl_slist_append(l, "Accept: application/json");
	if (body) {
		l = curl_slist_append(l, "Content-Type: application/json");
		l = curl_slist_append(l, "Expect:");
	}
	if (auth)
		l = curl_slist_append(l, auth);
	return l;
}

static void wipe_headers(struct curl_slist *l)
{
	struct curl_slist *p;
	for (p = l; p; p = p->next)
		OPENSSL_cleanse(p->data, strlen(p->data));
	curl_slist_free_all(l);
}

static int parse_base(struct vnl_http *h, const char *url, struct vnl_err *err)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL;
	int rc = 0;

	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		rc = vnl_fail(err, "'%s' is not a URL", url);
	} else {
		curl_url_get(u, CURLUPART_PORT, &port, 0);
		snprintf(h->host, sizeof(h->host), "%s%s%s", host, port ? ":" : "", port ? port : "");
	}
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

struct vnl_http *vnl_http_new(const struct vnl_http_options *o, struct vnl_err *err)
{
	struct vnl_http *h;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		vnl_fail(err, "libcurl could not be initialised");
		return NULL;
	}
	h = xcalloc(1, sizeof(*h));
	h->o = *o;
	if (parse_base(h, o->base_url, err) < 0) {
		free(h);
		curl_global_cleanup();
		return NULL;
	}
	h->base = xstrdup(o->base_url);
	h->cacert = o->cacert ? xstrdup(o->cacert) : NULL;
	if (o->pin) {
		memcpy(h->pin, o->pin, VNL_HTTP_PIN_LEN);
		h->have_pin = true;
	}
	h->o.auth_header = NULL;
	h->o.max_in_flight = o->max_in_flight ? o->max_in_flight : 1;
	h->o.max_tries = o->max_tries ? o->max_tries : 1;
	h->o.max_body = o->max_body ? o->max_body : VNL_HTTP_MAX_BODY;
	h->o.timeout = o->timeout > 0 ? o->timeout : 30;
	h->hdr_get = headers(o->auth_header, false);
	h->hdr_body = headers(o->auth_header, true);
	h->rng = (unsigned long long)time(NULL) * 2654435761ULL ^ (unsigned long long)getpid();
	h->rng |= 1;
	h->multi = curl_multi_init();
	/* at most max_in_flight connections, all kept for reuse */
	curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)h->o.max_in_flight);
	curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)h->o.max_in_flight);
	curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, (long)h->o.max_in_flight + 4);
	return h;
}

static void drop_list(struct vnl_http_req *req)
{
	while (req) {
		struct vnl_http_req *next = req->next;
		free_req(req);
		req = next;
	}
}

void vnl_http_free(struct vnl_http *h)
{
	if (!h)
		return;
	drop_list(h->queue);
	drop_list(h->delayed);
	curl_multi_cleanup(h->multi);
	wipe_headers(h->hdr_get);
	wipe_headers(h->hdr_body);
	free(h->base);
	free(h->cacert);
	OPENSSL_cleanse(h->pin, sizeof(h->pin));
	free(h);
	curl_global_cleanup();
}

const char *vnl_http_host(const struct vnl_http *h)
{
	return h->host;
}

unsigned vnl_http_max_seen(const struct vnl_http *h)
{
	return h->max_seen;
}
