/* Shared by pve_api.c and pve_api_scan.c: the connection and how an answer
 * is judged. Not for other callers. */
#ifndef VNL_PVE_API_INT_H
#define VNL_PVE_API_INT_H

#include <jansson.h>

#include "http.h"
#include "pve_api.h"

struct pve_api {
	struct vnl_http *http;
	char *base;   /* https://host:port/api2/json */
	char *origin; /* pve://host[:port] */
	char token_id[256];
	bool agent;
	unsigned jobs; /* requests in flight at most */
};

/* 0 and the answer's `data` (a new reference), or -1 and one line in why:
 * TLS, connection, HTTP status (401, 403 with the privilege), not JSON, too
 * large, with the number of tries when there were several. */
int pve_api_answer(const struct pve_api *api, const struct vnl_http_req *req, json_t **data,
		   struct strbuf *why);

#endif
