/* Content hashes for the fixer: SHA-1 hex, the way Proxmox computes a
 * config's `digest` (research/proxmox.md 1.1, 4.4), through OpenSSL's EVP. */
#ifndef VNL_WRITE_DIGEST_H
#define VNL_WRITE_DIGEST_H

#include <stddef.h>

#define VNL_SHA1_HEX_LEN 40

/* Lower-case hex SHA-1 of buf into out (41 bytes with the NUL). */
void vnl_sha1_hex(const void *buf, size_t len, char out[VNL_SHA1_HEX_LEN + 1]);

#endif
