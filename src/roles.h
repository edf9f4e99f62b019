/* Role classification: which VMs are pf firewalls, pfsync/CARP members,
 * routers or overlay endpoints, and the evidence for each. */
#ifndef VNL_ROLES_H
#define VNL_ROLES_H

#include "model.h"

/* Look at tags, name, title, description and OS hints and record evidence. */
void vnl_roles_classify(struct vnl_vm *vm);

#endif
