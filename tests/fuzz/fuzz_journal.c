/* The journal reader (write/journal.c): any bytes, as a journal cut short
 * by a kill or damaged on disk. It parses or refuses naming the file; what
 * it parses can be described (the report of an interrupted run) without
 * reading files: the origins are made relative, so no file is found. */
#include "config.h"

#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "write/journal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct journal_run r;
	struct vnl_err err;
	size_t i;

	err.msg[0] = '\0';
	if (journal_parse("fuzz.journal", (const char *)data, size, &r, &err) < 0) {
		if (strncmp(err.msg, "fuzz.journal: ", 14) != 0)
			fuzz_fail("an error that does not name the journal", data, size);
		return 0;
	}
	for (i = 0; i < r.n; i++) {
		/* never read a file of the machine: a relative name under a
		 * directory that does not exist */
		char *o = xasprintf("/nonexistent-vnl-fuzz/%s", r.vms[i].origin);
		free(r.vms[i].origin);
		r.vms[i].origin = o;
	}
	{
		struct strbuf sb = STRBUF_INIT;
		journal_describe(&r, &sb);
		if (!strstr(strbuf_str(&sb), "was interrupted"))
			fuzz_fail("a report without its first sentence", data, size);
		strbuf_release(&sb);
	}
	journal_run_release(&r);
	return 0;
}
