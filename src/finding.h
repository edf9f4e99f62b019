/* Findings and the edits rules propose. A finding owns copies of everything
 * it shows, so the VM it came from can be freed while the scan goes on. */
#ifndef VNL_FINDING_H
#define VNL_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

struct vnl_rule;

/* An edit in model terms; each writer turns it into its own syntax. */
enum vnl_edit_op {
	VNL_EDIT_REMOVE, /* drop the setting: back to the default */
	VNL_EDIT_SET,
};

enum vnl_edit_prop {
	VNL_PROP_QUEUES,
	VNL_PROP_MTU,
	VNL_PROP_HOST_TUNNEL,
	VNL_PROP_HOST_OFFLOAD, /* offload names which switch */
	VNL_PROP_GUEST_OFFLOAD,
	VNL_PROP_DRIVER_NAME,
	VNL_PROP_RX_QUEUE_SIZE,
	VNL_PROP_TX_QUEUE_SIZE,
};
const char *vnl_edit_prop_name(enum vnl_edit_prop prop);

struct vnl_edit {
	char *nic_key;
	enum vnl_edit_op op;
	enum vnl_edit_prop prop;
	enum vnl_offload offload;
	char *value; /* for VNL_EDIT_SET */
};

struct vnl_finding {
	const struct vnl_rule *rule;
	enum vnl_severity severity;
	enum vnl_source_kind kind;
	char *origin;
	unsigned line, col;
	char *vm_id;
	char *vm_name;
	char *vm_label;
	char *nic_key; /* NULL for a finding about the whole VM */
	char *message;
	char *evidence; /* why the rule applied; NULL if it needs no role */
	char *value;    /* the offending value as written, if any */
	bool pending;   /* found in the VM's pending ([PENDING]) state */
	/* Set on a finding a suppression covers (src/suppress.h): its reason
	 * ("" when none was given), and whether the suppression is written in
	 * the VM's own definition (else in vmnetlint.conf). Such findings go
	 * only to reporters with a suppressed hook (SARIF). */
	char *suppression;
	bool suppressed_in_source;
	/* The NIC in the VM being checked; valid only while its rule runs. */
	const struct vnl_nic *nic_ref;
	struct vnl_edit *edits;
	size_t nedits, edits_cap;
};

struct vnl_finding *vnl_finding_new(const struct vnl_rule *rule, enum vnl_severity sev,
				    struct vnl_vm *vm, const struct vnl_nic *nic,
				    struct vnl_loc loc);
void vnl_finding_free(struct vnl_finding *f);
void vnl_finding_add_edit(struct vnl_finding *f, const char *nic_key, enum vnl_edit_op op,
			  enum vnl_edit_prop prop, enum vnl_offload offload, const char *value);
/* "remove queues from net0" */
char *vnl_edit_describe(const struct vnl_edit *e);

struct vnl_finding_list {
	struct vnl_finding **items;
	size_t n, cap;
};
void vnl_finding_list_add(struct vnl_finding_list *l, struct vnl_finding *f);
void vnl_finding_list_clear(struct vnl_finding_list *l);

#endif
