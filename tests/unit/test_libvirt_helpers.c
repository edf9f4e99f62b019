#include "config.h"

#include "test_libvirt_helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "roles.h"
#include "source/libvirt_live.h"
#include "source/libvirt_xml.h"
#include "tap.h"

char *lv_domain(const char *name, const char *head, const char *devices)
{
	return xasprintf("<domain type='kvm'>\n"
			 "  <name>%s</name>\n"
			 "%s"
			 "  <memory unit='KiB'>1048576</memory>\n"
			 "  <vcpu>2</vcpu>\n"
			 "  <os><type arch='x86_64'>hvm</type></os>\n"
			 "  <devices>\n%s  </devices>\n"
			 "</domain>\n", name, head ? head : "", devices ? devices : "");
}

struct vnl_vm *lv_vm(const char *xml)
{
	struct libvirt_xml_result res;

	if (libvirt_xml_parse("test.xml", VNL_SRC_LIBVIRT_XML, xml, strlen(xml), NULL, &res) !=
	    LIBVIRT_XML_DOMAIN) {
		diag("not a domain: %s", res.msg);
		return NULL;
	}
	vnl_roles_classify(res.vm);
	return res.vm;
}

struct collect {
	struct vnl_vm **out;
	size_t n, max;
	int errors;
};

static void on_vm(struct vnl_vm *vm, void *data)
{
	struct collect *c = data;

	if (c->n == c->max) {
		vnl_vm_free(vm);
		return;
	}
	vnl_roles_classify(vm);
	c->out[c->n++] = vm;
}

static void on_error(const char *origin, const char *msg, void *data)
{
	struct collect *c = data;
	diag("live error: %s: %s", origin, msg);
	c->errors++;
}

static int by_name(const void *a, const void *b)
{
	const struct vnl_vm *x = *(struct vnl_vm *const *)a, *y = *(struct vnl_vm *const *)b;
	return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

size_t lv_live(const char *body, struct vnl_vm **out, size_t max, struct vnl_netenv *net,
	       int *errors)
{
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/vnl-node-XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
	struct collect c = { out, 0, max, 0 };
	struct libvirt_live_ops ops = { on_vm, on_error, net, &c };
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	char *uri;

	if (!f) {
		diag("cannot write a node file in %s", path);
		free(path);
		return 0;
	}
	fprintf(f, "<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n%s</node>\n",
		body);
	fclose(f);
	uri = xasprintf("test://%s", path);
	libvirt_live_scan(uri, &ops);
	unlink(path);
	free(uri);
	free(path);
	if (c.n > 1)
		qsort(out, c.n, sizeof(*out), by_name);
	if (errors)
		*errors = c.errors;
	return c.n;
}

struct vnl_vm *lv_live_one(const char *domain_xml)
{
	struct vnl_vm *vms[2];
	size_t i, n = lv_live(domain_xml, vms, 2, NULL, NULL);

	if (n == 1)
		return vms[0];
	diag("expected one live VM, got %zu", n);
	for (i = 0; i < n; i++)
		vnl_vm_free(vms[i]);
	return NULL;
}
