/* Whatever bytes a config holds, every report stays valid: the input
 * (a qm config, or libvirt XML when it starts with '<') is scanned into
 * all six formats at once, then the JSON, SARIF and GitLab reports must
 * load with jansson (which refuses invalid UTF-8) and the JUnit report
 * must be well-formed XML. Input "NAME\0CONTENT" names the file NAME, so
 * odd bytes reach the origin too. */
#include "config.h"

#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libxml/parser.h>

#include "report/report.h"
#include "scan.h"
#include "source/libvirt_xml.h"
#include "source/pve_conf.h"

enum { F_JSON, F_SARIF, F_GITLAB, F_JUNIT, F_TEXT, F_GITHUB, F_HTML, F__COUNT };

struct fan {
	struct vnl_reporter base;
	struct vnl_reporter *to[F__COUNT];
};

#define FAN(r) ((struct fan *)(r))

static void fan_finding(struct vnl_reporter *r, const struct vnl_finding *f)
{
	size_t k;
	for (k = 0; k < F__COUNT; k++)
		FAN(r)->to[k]->finding(FAN(r)->to[k], f);
}

static void fan_input_error(struct vnl_reporter *r, const char *origin, const char *msg)
{
	size_t k;
	for (k = 0; k < F__COUNT; k++)
		FAN(r)->to[k]->input_error(FAN(r)->to[k], origin, msg);
}

static void fan_note(struct vnl_reporter *r, const char *origin, const char *msg)
{
	size_t k;
	for (k = 0; k < F__COUNT; k++)
		if (FAN(r)->to[k]->note)
			FAN(r)->to[k]->note(FAN(r)->to[k], origin, msg);
}

static void fan_vm_done(struct vnl_reporter *r, const struct vnl_vm_summary *vm)
{
	size_t k;
	for (k = 0; k < F__COUNT; k++)
		if (FAN(r)->to[k]->vm_done)
			FAN(r)->to[k]->vm_done(FAN(r)->to[k], vm);
}

static void fan_suppressed(struct vnl_reporter *r, const struct vnl_finding *f)
{
	size_t k;
	for (k = 0; k < F__COUNT; k++)
		if (FAN(r)->to[k]->suppressed)
			FAN(r)->to[k]->suppressed(FAN(r)->to[k], f);
}

static void fan_finish(struct vnl_reporter *r, const struct vnl_summary *s)
{
	size_t k;
	for (k = 0; k < F__COUNT; k++)
		FAN(r)->to[k]->finish(FAN(r)->to[k], s);
}

static void scan_input(struct vnl_scan *scan, const char *origin, const char *buf, size_t n)
{
	struct pve_conf_hint hint = { "100", "pve1" };
	struct libvirt_xml_result res;

	if (!libvirt_xml_sniff(buf, n)) {
		vnl_scan_vm(scan, pve_conf_parse(origin, buf, n, &hint));
		return;
	}
	switch (libvirt_xml_parse(origin, VNL_SRC_LIBVIRT_XML, buf, n, &scan->net, &res)) {
	case LIBVIRT_XML_DOMAIN:
		vnl_scan_vm(scan, res.vm);
		break;
	case LIBVIRT_XML_SKIPPED:
		scan->rep->note(scan->rep, origin, res.msg);
		break;
	case LIBVIRT_XML_ERROR:
		vnl_scan_input_error(scan, origin, "%s", res.msg);
		break;
	case LIBVIRT_XML_NETWORK:
		break;
	}
}

/* Whatever the input holds, the map has one <script> (its own) and ends
 * as a whole page: a '<' from the input never opens an element. */
static void check_html(const char *html, size_t len, const uint8_t *data, size_t size)
{
	static const char tail[] = "</body>\n</html>\n";
	size_t scripts = 0;
	const char *p;

	for (p = html; (p = strstr(p, "<script")) != NULL; p++)
		scripts++;
	if (strlen(html) != len || scripts != 1 || len < sizeof(tail) - 1 ||
	    strcmp(html + len - (sizeof(tail) - 1), tail)) {
		fprintf(stderr, "html report (%zu <script>):\n%.*s\n", scripts, (int)len, html);
		fuzz_fail("an HTML map with input that opened an element, or cut short", data, size);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "json", "sarif", "gitlab", "junit" };
	struct vnl_text_options topt = { NULL, NULL, false, false, true };
	struct fan fan = { { fan_finding, fan_input_error, fan_finish, NULL, fan_note,
			     fan_vm_done, fan_suppressed }, { NULL } };
	char *buf[F__COUNT] = { NULL };
	size_t len[F__COUNT] = { 0 };
	FILE *out[F__COUNT];
	struct vnl_scan scan;
	const char *name = "100.conf", *content = (const char *)data;
	size_t n = size, k;
	char *origin;

	if (memchr(data, 0, size)) {
		fuzz_split(&data, &size, 0, &name, &n);
		/* a file name has at most NAME_MAX (255) bytes: a longer one only
		 * multiplies the output (every finding repeats it) */
		origin = xasprintf("nodes/pve1/qemu-server/%.*s", (int)(n > 255 ? 255 : n), name);
		content = (const char *)data;
		n = size;
	} else {
		origin = xstrdup("nodes/pve1/qemu-server/100.conf");
	}
	for (k = 0; k < F__COUNT; k++)
		if (!(out[k] = open_memstream(&buf[k], &len[k])))
			abort();
	topt.out = out[F_TEXT];
	topt.err = out[F_TEXT];
	fan.to[F_JSON] = vnl_report_json_new(out[F_JSON], NULL);
	fan.to[F_SARIF] = vnl_report_sarif_new(out[F_SARIF], NULL, "/fuzz");
	fan.to[F_GITLAB] = vnl_report_gitlab_new(out[F_GITLAB], NULL, "/fuzz");
	fan.to[F_JUNIT] = vnl_report_junit_new(out[F_JUNIT]);
	fan.to[F_TEXT] = vnl_report_text_new(&topt);
	fan.to[F_GITHUB] = vnl_report_github_new(out[F_GITHUB], "/fuzz");
	fan.to[F_HTML] = vnl_report_html_new(out[F_HTML]);

	vnl_scan_init(&scan, NULL, &fan.base);
	scan.record_inputs = true;
	scan_input(&scan, origin, content, n);
	vnl_scan_finish(&scan);
	vnl_scan_release(&scan);
	for (k = 0; k < F__COUNT; k++) {
		fan.to[k]->free(fan.to[k]);
		fclose(out[k]);
	}

	for (k = F_JSON; k <= F_GITLAB; k++) {
		json_error_t jerr;
		json_t *j = json_loadb(buf[k], len[k], 0, &jerr);
		if (!j) {
			fprintf(stderr, "%s report: %s\n%.*s\n", names[k], jerr.text, (int)len[k],
				buf[k]);
			fuzz_fail("a report that is not valid JSON", data, size);
		}
		json_decref(j);
	}
	{
		xmlDocPtr doc = xmlReadMemory(buf[F_JUNIT], (int)len[F_JUNIT], "junit.xml", NULL,
					      XML_PARSE_NONET | XML_PARSE_NOERROR |
						      XML_PARSE_NOWARNING);
		if (!doc) {
			fprintf(stderr, "junit report:\n%.*s\n", (int)len[F_JUNIT], buf[F_JUNIT]);
			fuzz_fail("a JUnit report that is not well-formed XML", data, size);
		}
		xmlFreeDoc(doc);
	}
	check_html(buf[F_HTML], len[F_HTML], data, size);
	for (k = 0; k < F__COUNT; k++)
		free(buf[k]);
	free(origin);
	return 0;
}
