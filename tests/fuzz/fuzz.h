/* What the fuzz targets share (tests/fuzz/README.md). Each target defines
 * LLVMFuzzerTestOneInput; it is linked either with libFuzzer (clang,
 * configure --enable-fuzzing) or with replay_main.c, which feeds it files,
 * so every seed and every crash kept in corpus/ is a regression test of
 * the normal and sanitizer builds too. A target returns 0; what it finds
 * wrong it reports by crashing (ASan, UBSan, abort on a broken property). */
#ifndef VNL_FUZZ_H
#define VNL_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "netenv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of the input (free it). */
char *fuzz_cstr(const uint8_t *data, size_t size);

/* The input cut at the first occurrence of byte sep: *part and *n are the
 * piece, *data and *size what is left (nothing when sep was not found). */
void fuzz_split(const uint8_t **data, size_t *size, uint8_t sep, const char **part,
		size_t *n);

/* A scan as `vmnetlint scan` runs it (config defaults, roles, every rule,
 * the pending view) with a reporter that reads every field of every
 * finding. Fill scan->net between begin and the VMs if the target has a
 * network; fuzz_scan_vm takes (and frees) the VM. */
struct vnl_scan;
void fuzz_scan_begin(struct vnl_scan *scan);
void fuzz_scan_end(struct vnl_scan *scan);
/* One VM through a fresh scan without network: begin, the VM, end. */
void fuzz_scan_vm(struct vnl_vm *vm);

/* A Proxmox VM that the network and config targets check their input
 * against: a CARP firewall with NICs on vmbr0, vmbr1 and vnet0. */
struct vnl_vm *fuzz_sample_vm(void);

/* A pve_report callback that reads the message and the place. */
struct pve_report;
extern const struct pve_report fuzz_pve_report;

/* A property the input broke: print it and abort, so libFuzzer keeps it. */
void fuzz_fail(const char *what, const uint8_t *data, size_t size) __attribute__((noreturn));

#endif
