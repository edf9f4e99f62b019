/* HTTPS requests to one server with libcurl's multi interface: many
 * requests in flight over reused connections, retries with backoff for
 * idempotent requests, a cap on each answer, TLS verified against CAs or
 * pinned to a certificate fingerprint (research/proxmox.md 5.8), and a
 * --verbose trace with the Authorization header redacted. Knows nothing of
 * Proxmox paths or JSON. Never prints except the trace it is asked for. */
#ifndef VNL_HTTP_H
#define VNL_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util.h"

#define VNL_HTTP_PIN_LEN 32 /* SHA-256 */
#define VNL_HTTP_MAX_BODY (32u * 1024 * 1024)

struct vnl_http_options {
	const char *base_url;  /* "https://host:8006/api2/json": paths are appended */
	/* A whole header line such as "Authorization: PVEAPIToken=...". It is a
	 * secret: copied, redacted from the trace, wiped when freed. */
	const char *auth_header;
	const char *cacert;    /* CA file instead of the system CAs; NULL = system */
	/* Pin: SHA-256 of the server's DER certificate. When set, CA and host
	 * name checks are off and only the pin decides (fail closed). */
	const unsigned char *pin;
	bool insecure;         /* no verification at all */
	long timeout;          /* seconds for one attempt (connect: at most 10) */
	unsigned max_in_flight;
	unsigned max_tries;    /* attempts of a retryable request */
	size_t max_body;       /* bytes; a longer answer is abandoned */
	FILE *trace;           /* NULL = no trace */
};

struct vnl_http;
struct vnl_http_req;
typedef void vnl_http_done_fn(struct vnl_http_req *req, void *data);

/* One request and, once done, its outcome. The done callback may queue
 * more requests; the request is freed after it returns. */
struct vnl_http_req {
	const char *method; /* "GET", "PUT" */
	char *path;         /* after base_url, with the query */
	char *body;         /* JSON request body or NULL */
	bool retry;         /* idempotent: retried on 5xx (not 501), 429, transport errors */
	vnl_http_done_fn *done;
	void *data;

	/* outcome */
	long status;          /* HTTP status; 0 = no answer */
	int curl_code;        /* CURLcode of the last attempt */
	char error[256];      /* libcurl's error text of the last attempt */
	char reason[160];     /* the HTTP reason phrase (PVE puts its message there) */
	struct strbuf resp;   /* the answer body */
	bool too_large;       /* abandoned at max_body */
	bool pin_mismatch;    /* the certificate did not match the pin */
	char seen_pin[3 * VNL_HTTP_PIN_LEN]; /* the fingerprint it had */
	unsigned tries;

	/* internal */
	void *easy;
	size_t max_body;
	long retry_after; /* seconds the server asked for; -1 = none */
	double due;       /* monotonic seconds when a delayed retry may start */
	struct vnl_http_req *next;
};

struct vnl_http *vnl_http_new(const struct vnl_http_options *o, struct vnl_err *err);
void vnl_http_free(struct vnl_http *h);

/* Queue a request (the path and body are copied). Nothing is sent before
 * vnl_http_run. */
struct vnl_http_req *vnl_http_queue(struct vnl_http *h, const char *method, const char *path,
				    const char *body, bool retry, vnl_http_done_fn *done,
				    void *data);
/* Run until every queued request (and every one the callbacks add) is done. */
void vnl_http_run(struct vnl_http *h);

/* The host (and port) of base_url, for messages. */
const char *vnl_http_host(const struct vnl_http *h);
/* The most requests that were in flight at once (for tests and benchmarks). */
unsigned vnl_http_max_seen(const struct vnl_http *h);

/* "AB:CD:..." (32 bytes, colons optional, any case) -> pin. */
bool vnl_http_parse_pin(const char *text, unsigned char pin[VNL_HTTP_PIN_LEN]);
/* pin -> "AB:CD:...:EF" (buf of at least 3 * VNL_HTTP_PIN_LEN bytes). */
void vnl_http_format_pin(const unsigned char pin[VNL_HTTP_PIN_LEN], char *buf);
/* Retry delay in seconds before attempt tries + 1 (tries >= 1): exponential
 * from 0.25 s with up to 100% jitter (jitter in [0, 1)), or Retry-After. */
double vnl_http_backoff(unsigned tries, long retry_after, double jitter);

#endif
