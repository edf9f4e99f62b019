/* PVE's decode_text (source/pve_prop.c): the percent-decoding of `#`
 * description lines. */
#include "config.h"

#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "source/pve_prop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	char *out = xmalloc(size + 1);
	size_t n = pve_decode_text(in, size, out);

	if (n > size || out[n] != '\0')
		fuzz_fail("decoded text longer than its input, or not terminated", data, size);
	if (!memchr(in, '%', size) && (n != size || memcmp(in, out, size)))
		fuzz_fail("text without '%' changed", data, size);
	free(out);
	return 0;
}
