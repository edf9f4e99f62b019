/* `vmnetlint --version`: the tool's version and those of the libraries it
 * runs on, as loaded at run time (not as compiled against). */
#ifndef VNL_VERSION_H
#define VNL_VERSION_H

#include <stdio.h>

void vnl_print_version(FILE *out);

#endif
