#include "config.h"

#include "write/libvirt_live.h"

#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "source/libvirt_xml.h"
#include "write/digest.h"
#include "write/fileio.h"
#include "write/journal.h"
#include "write/libvirt_xml.h"
#include "write/verify.h"

void live_fix_out_release(struct live_fix_out *o)
{
	strbuf_release(&o->old_text);
	strbuf_release(&o->new_text);
	free(o->backup);
	free(o->readback);
	o->backup = o->readback = NULL;
}

static void silent(void *data, virErrorPtr e)
{
	(void)data, (void)e;
}

static const char *last_error(void)
{
	const char *m = virGetLastErrorMessage();
	return m && *m ? m : "unknown libvirt error";
}

virConnectPtr live_open(const char *uri, bool read_only, struct vnl_err *err)
{
	virConnectPtr c;

	virSetErrorFunc(NULL, silent);
	/* read-write may ask for credentials: libvirt's default prompter */
	c = read_only ? virConnectOpenReadOnly(uri)
		      : virConnectOpenAuth(uri, virConnectAuthPtrDefault, 0);
	if (!c)
		vnl_fail(err, "%s: cannot connect%s: %s", uri, read_only ? " (read-only)" : "",
			 last_error());
	return c;
}

static struct vnl_vm *parse(const char *origin, const char *xml, struct vnl_err *err)
{
	struct libvirt_xml_result res;

	if (libvirt_xml_parse(origin, VNL_SRC_LIBVIRT_LIVE, xml, strlen(xml), NULL, &res) ==
	    LIBVIRT_XML_DOMAIN)
		return res.vm;
	vnl_fail(err, "%s: the definition libvirt returned cannot be read: %s", origin, res.msg);
	vnl_vm_free(res.vm);
	return NULL;
}

/* The domain, checked to be the one scanned (same UUID, same NICs). */
static virDomainPtr lookup(virConnectPtr conn, const struct live_fix *f, char **plain,
			   struct vnl_vm **vm, struct vnl_err *err)
{
	char uuid[VIR_UUID_STRING_BUFLEN], *sig;
	virDomainPtr dom = virDomainLookupByName(conn, f->name);

	*plain = NULL;
	*vm = NULL;
	if (!dom) {
		vnl_fail(err, "%s#%s: %s", f->uri, f->name, last_error());
		return NULL;
	}
	if (f->uuid && (virDomainGetUUIDString(dom, uuid) < 0 || strcmp(uuid, f->uuid))) {
		vnl_fail(err, "%s#%s: another domain of that name since the scan; not fixed", f->uri,
			 f->name);
		goto fail;
	}
	*plain = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
	if (!*plain) {
		vnl_fail(err, "%s#%s: cannot read the definition: %s", f->uri, f->name, last_error());
		goto fail;
	}
	if (!(*vm = parse(f->name, *plain, err)))
		goto fail;
	sig = wr_vm_signature(*vm);
	if (f->signature && strcmp(sig, f->signature)) {
		free(sig);
		vnl_fail(err, "%s#%s: the definition changed since the scan; not fixed: scan again",
			 f->uri, f->name);
		goto fail;
	}
	free(sig);
	return dom;
fail:
	free(*plain);
	*plain = NULL;
	vnl_vm_free(*vm);
	*vm = NULL;
	virDomainFree(dom);
	return NULL;
}

static int text_result(struct live_fix_out *o)
{
	return o->new_text.len == o->old_text.len &&
	       !memcmp(o->new_text.buf, o->old_text.buf, o->old_text.len) ? 1 : 0;
}

int live_fix_preview(virConnectPtr conn, const struct live_fix *f, struct live_fix_out *o,
		     struct vnl_err *err)
{
	struct vnl_vm *vm;
	char *plain;
	virDomainPtr dom = lookup(conn, f, &plain, &vm, err);
	int rc;

	if (!dom)
		return -1;
	strbuf_adds(&o->old_text, plain);
	rc = lv_xml_rewrite(plain, strlen(plain), f->edits, f->nedits, &o->new_text, err);
	free(plain);
	vnl_vm_free(vm);
	virDomainFree(dom);
	return rc < 0 ? -1 : text_result(o);
}

static void fill_backup(struct backup_info *b, const struct live_fix *f)
{
	size_t i;

	backup_info_init(b);
	b->applied = 0;
	b->source = xstrdup("libvirt-live");
	b->origin = xasprintf("%s#%s", f->uri, f->name);
	b->uri = xstrdup(f->uri);
	b->vm_id = xstrdup(f->name);
	b->vm_name = xstrdup(f->name);
	b->uuid = f->uuid ? xstrdup(f->uuid) : NULL;
	b->run = f->journal ? xstrdup(wr_journal_run(f->journal)) : NULL;
	for (i = 0; i < f->nedits; i++) {
		char *d = vnl_edit_describe(&f->edits[i]);
		backup_info_add(&b->edits, &b->nedits, d);
		free(d);
		backup_info_add(&b->keys, &b->nkeys, f->edits[i].nic_key);
	}
}

/* Define xml; VALIDATE checks it against libvirt's schema first (3.5). */
static virDomainPtr define(virConnectPtr conn, const char *xml)
{
	virDomainPtr d = virDomainDefineXMLFlags(conn, xml, VIR_DOMAIN_DEFINE_VALIDATE);
	if (!d && virGetLastErrorCode() == VIR_ERR_NO_SUPPORT)
		d = virDomainDefineXML(conn, xml);
	return d;
}

/* Read the new definition back: the edits must be there and nothing else
 * may differ (libvirt drops values silently, 7). */
static int read_back(virDomainPtr dom, const struct live_fix *f, const struct vnl_vm *before,
		     struct live_fix_out *o, struct vnl_err *err)
{
	char *xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
	struct vnl_vm *after = xml ? parse(f->name, xml, err) : NULL;
	struct vnl_err why;
	int rc = -1;

	if (!xml)
		vnl_fail(err, "cannot read the new definition back: %s", last_error());
	else if (after && wr_verify_vm(before, after, f->edits, f->nedits, &why) < 0)
		vnl_fail(err, "libvirt did not keep the change (%s)", why.msg);
	else if (after)
		rc = 0;
	vnl_vm_free(after);
	if (rc == 0)
		o->readback = xml;
	else
		free(xml);
	return rc;
}

static int define_and_check(virConnectPtr conn, const struct live_fix *f, const char *secure,
			    const struct strbuf *edited, const struct vnl_vm *before,
			    struct live_fix_out *o, struct vnl_err *err)
{
	virDomainPtr nd = define(conn, edited->buf);
	struct vnl_err why;

	if (!nd)
		return vnl_fail(err, "%s#%s: libvirt refused the new definition: %s", f->uri, f->name,
				last_error());
	if (read_back(nd, f, before, o, &why) == 0) {
		virDomainFree(nd);
		return 0;
	}
	virDomainFree(nd);
	/* put the old definition back, as it was */
	nd = define(conn, secure);
	if (nd)
		virDomainFree(nd);
	return vnl_fail(err, "%s#%s: %s; %s", f->uri, f->name, why.msg,
			nd ? "the previous definition was put back"
			   : "AND putting the previous definition back failed: restore the backup");
}

static char *secure_xml(virDomainPtr dom)
{
	return virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
}

static void mark_applied(virDomainPtr dom, struct backup_info *b)
{
	char sha[VNL_SHA1_HEX_LEN + 1], *now = secure_xml(dom);
	struct vnl_err ignored;

	if (now) {
		vnl_sha1_hex(now, strlen(now), sha);
		b->post_sha1 = xstrdup(sha);
		free(now);
	}
	b->applied = 1;
	backup_update(b, &ignored);
}

static int apply_to(virConnectPtr conn, virDomainPtr dom, const struct live_fix *f,
		    const struct vnl_vm *before, char *secure, struct live_fix_out *o,
		    struct vnl_err *err)
{
	struct strbuf edited = STRBUF_INIT;
	struct backup_info b;
	int rc;

	if (lv_xml_rewrite(secure, strlen(secure), f->edits, f->nedits, &edited, err) < 0) {
		strbuf_release(&edited);
		return -1;
	}
	if (edited.len == strlen(secure) && !memcmp(edited.buf, secure, edited.len)) {
		strbuf_release(&edited);
		return 1;
	}
	fill_backup(&b, f);
	rc = backup_save(f->backup_dir, &b, secure, strlen(secure), err);
	if (rc == 0)
		rc = wr_journal_begin(f->journal, &b, NULL, err);
	if (rc == 0)
		rc = define_and_check(conn, f, secure, &edited, before, o, err);
	if (rc == 0) {
		mark_applied(dom, &b);
		o->backup = xstrdup(b.meta_path);
	}
	backup_info_release(&b);
	strbuf_release(&edited);
	return rc;
}

int live_fix_apply(virConnectPtr conn, const struct live_fix *f, struct live_fix_out *o,
		   struct vnl_err *err)
{
	struct vnl_vm *before;
	char *plain, *secure;
	virDomainPtr dom;
	int rc = -1, active;

	wr_test_pause();
	dom = lookup(conn, f, &plain, &before, err);
	if (!dom)
		return -1;
	strbuf_adds(&o->old_text, plain);
	secure = secure_xml(dom);
	if (!secure)
		vnl_fail(err, "%s#%s: cannot read the definition with its secrets (a read-write "
			 "connection is needed): %s", f->uri, f->name, last_error());
	else
		rc = apply_to(conn, dom, f, before, secure, o, err);
	active = virDomainIsActive(dom);
	o->running = active < 0 ? -1 : active > 0;
	free(secure);
	free(plain);
	vnl_vm_free(before);
	virDomainFree(dom);
	return rc;
}

/* ---- restore ------------------------------------------------------------------------------ */

enum restore_result live_restore(virConnectPtr conn, const struct backup_info *b,
				 const char *data, bool force, const char *backup_dir,
				 char **note, struct vnl_err *err)
{
	virDomainPtr dom = virDomainLookupByName(conn, b->vm_name ? b->vm_name : "");
	char *cur = dom ? secure_xml(dom) : NULL, sha[VNL_SHA1_HEX_LEN + 1];
	enum restore_result res = RESTORE_FAILED;
	virDomainPtr nd;

	*note = NULL;
	if (cur)
		vnl_sha1_hex(cur, strlen(cur), sha);
	if (cur && !strcmp(sha, b->pre_sha1)) {
		res = RESTORE_ALREADY;
	} else if (!force && (!cur || !b->post_sha1 || strcmp(sha, b->post_sha1))) {
		vnl_fail(err, "%s: the domain %s since the fix; not restored (--force restores "
			 "anyway, keeping the current definition as a backup)", b->origin,
			 cur ? "changed" : "is gone");
		res = RESTORE_REFUSED;
	} else {
		struct backup_info k;
		backup_info_init(&k);
		if (cur && (!b->post_sha1 || strcmp(sha, b->post_sha1))) {
			k.source = xstrdup(b->source);
			k.origin = xstrdup(b->origin);
			k.uri = b->uri ? xstrdup(b->uri) : NULL;
			k.vm_id = xstrdup(b->vm_name ? b->vm_name : "");
			k.vm_name = xstrdup(b->vm_name ? b->vm_name : "");
			if (backup_save(backup_dir, &k, cur, strlen(cur), err) < 0)
				goto out;
			*note = xasprintf("the definition it replaced is saved as %s", k.meta_path);
		}
		nd = define(conn, data);
		if (nd) {
			virDomainFree(nd);
			res = RESTORE_DONE;
		} else {
			vnl_fail(err, "%s: libvirt refused the backup: %s", b->origin, last_error());
		}
out:
		backup_info_release(&k);
	}
	free(cur);
	if (dom)
		virDomainFree(dom);
	return res;
}
