/* vmnetlint doctor --pve URL: which privileges the API token has, per
 * privilege vmnetlint uses, and what a scan or --fix misses without each. */
#ifndef VNL_CMD_DOCTOR_H
#define VNL_CMD_DOCTOR_H

#include "cmd_fix.h"

/* 0: a scan has every privilege it uses; 1: some are missing (the lines
 * say what is lost); 2: usage; 3: the permissions could not be read. */
int vnl_cmd_doctor(struct vnl_cli *cli, vnl_open_api_fn *open_api);

#endif
