/* Helpers every fuzz target links (see fuzz.h). */
#include "config.h"

#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "rule.h"
#include "scan.h"
#include "source/pve_conf.h"
#include "source/pve_interfaces.h"

char *fuzz_cstr(const uint8_t *data, size_t size)
{
	return xstrndup((const char *)data, size);
}

void fuzz_split(const uint8_t **data, size_t *size, uint8_t sep, const char **part, size_t *n)
{
	const uint8_t *end = *size ? memchr(*data, sep, *size) : NULL;

	*part = (const char *)*data;
	if (!end) {
		*n = *size;
		*data += *size;
		*size = 0;
		return;
	}
	*n = (size_t)(end - *data);
	*size -= *n + 1;
	*data = end + 1;
}

void fuzz_fail(const char *what, const uint8_t *data, size_t size)
{
	fprintf(stderr, "fuzz: property broken: %s (input of %zu bytes)\n", what, size);
	(void)data;
	abort();
}

/* ---- a reporter that reads everything ------------------------------------- */

static volatile size_t sink; /* keeps the reads from being optimised away */

static void touch(const char *s)
{
	if (s)
		sink += strlen(s);
}

static void on_finding(struct vnl_reporter *r, const struct vnl_finding *f)
{
	size_t i;
	(void)r;
	touch(f->origin);
	touch(f->vm_id);
	touch(f->vm_name);
	touch(f->vm_label);
	touch(f->nic_key);
	touch(f->message);
	touch(f->evidence);
	touch(f->value);
	touch(f->rule->id);
	sink += f->line + f->col + (size_t)f->severity;
	for (i = 0; i < f->nedits; i++) {
		char *d = vnl_edit_describe(&f->edits[i]);
		touch(d);
		free(d);
	}
}

static void on_input_error(struct vnl_reporter *r, const char *origin, const char *msg)
{
	(void)r;
	touch(origin);
	touch(msg);
}

static void on_finish(struct vnl_reporter *r, const struct vnl_summary *s)
{
	(void)r;
	sink += s->vms;
}

static void on_free(struct vnl_reporter *r)
{
	(void)r;
}

static void on_vm_done(struct vnl_reporter *r, const struct vnl_vm_summary *vm)
{
	(void)r;
	touch(vm->origin);
	touch(vm->id);
	touch(vm->name);
	touch(vm->label);
}

/* A suppressed finding is a whole finding, with its reason set. */
static void on_suppressed(struct vnl_reporter *r, const struct vnl_finding *f)
{
	if (!f->suppression)
		fuzz_fail("a suppressed finding without its reason", NULL, 0);
	touch(f->suppression);
	on_finding(r, f);
}

static struct vnl_reporter fuzz_reporter = { on_finding, on_input_error, on_finish, on_free,
					     NULL, on_vm_done, on_suppressed };

void fuzz_scan_begin(struct vnl_scan *scan)
{
	vnl_scan_init(scan, NULL, &fuzz_reporter);
}

void fuzz_scan_end(struct vnl_scan *scan)
{
	vnl_scan_finish(scan);
	vnl_scan_release(scan);
}

void fuzz_scan_vm(struct vnl_vm *vm)
{
	struct vnl_scan scan;

	fuzz_scan_begin(&scan);
	vnl_scan_vm(&scan, vm);
	fuzz_scan_end(&scan);
}

static void on_pve_problem(void *data, enum vnl_severity sev, const struct vnl_loc *loc,
			   const char *msg)
{
	(void)data;
	touch(loc->origin);
	touch(msg);
	sink += loc->line + loc->col + (size_t)sev;
}

const struct pve_report fuzz_pve_report = { on_pve_problem, NULL };

struct vnl_vm *fuzz_sample_vm(void)
{
	static const char text[] =
		"#OPNsense%20CARP%20pair\n"
		"name: fw-a\n"
		"tags: opnsense;carp\n"
		"ostype: other\n"
		"cores: 2\n"
		"net0: virtio=BC:24:11:00:00:01,bridge=vmbr0,queues=4,mtu=9000\n"
		"net1: virtio=BC:24:11:00:00:02,bridge=vnet0,firewall=1\n"
		"net2: e1000=BC:24:11:00:00:03,bridge=vmbr1,tag=20\n"
		"net3: virtio=BC:24:11:00:00:04,bridge=vmbr0,mtu=1\n";
	struct pve_conf_hint hint = { "100", "pve1" };

	return pve_conf_parse("nodes/pve1/qemu-server/100.conf", text, sizeof(text) - 1, &hint);
}
