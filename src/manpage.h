/* vmnetlint-rules(7), written from the rule table (`vmnetlint rules --man`):
 * the build generates the installed page with it, so the manual says what
 * `vmnetlint explain` says and cannot drift from the code. */
#ifndef VNL_MANPAGE_H
#define VNL_MANPAGE_H

#include <stdio.h>

void vnl_rules_man(FILE *out);

#endif
