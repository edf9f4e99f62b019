#include "config.h"

#include "write/digest.h"

#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>

void vnl_sha1_hex(const void *buf, size_t len, char out[VNL_SHA1_HEX_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	/* EVP_Digest only fails on allocation failure, which the rest of the
	 * program treats as fatal too (util.h) */
	if (!EVP_Digest(buf, len, md, &n, EVP_sha1(), NULL) || n != VNL_SHA1_HEX_LEN / 2) {
		fputs("vmnetlint: SHA-1 failed (out of memory?)\n", stderr);
		abort();
	}
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[VNL_SHA1_HEX_LEN] = '\0';
}
