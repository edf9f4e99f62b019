/* vmnetlint.conf (config_file.c, config_apply.c): parse, show, and a scan
 * of a sample VM under it (rule states and severities, [vm] roles,
 * [bridge] MTUs, [pair]s). vnl_config_load refuses NUL bytes before it
 * parses, so the text ends at the first one here too. */
#include "config.h"

#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_file.h"
#include "scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	char *text = fuzz_cstr(data, size);
	struct vnl_config cfg;
	struct vnl_err err;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	vnl_config_init(&cfg);
	err.msg[0] = '\0';
	if (vnl_config_parse(&cfg, "vmnetlint.conf", text, &err) < 0) {
		if (strncmp(err.msg, "vmnetlint.conf:", 15) != 0)
			fuzz_fail("an error that does not name the file", data, size);
	} else {
		struct vnl_scan scan;

		if (devnull)
			vnl_config_show(&cfg, devnull);
		fuzz_scan_begin(&scan);
		scan.config = &cfg;
		vnl_scan_vm(&scan, fuzz_sample_vm());
		fuzz_scan_end(&scan);
	}
	vnl_config_release(&cfg);
	free(text);
	return 0;
}
