#!/bin/sh
# valgrind.sh PROGRAM [ARG...]: run PROGRAM under valgrind's memcheck, as
# the valgrind stage of `./bootstrap test` does for the unit tests (as
# LOG_COMPILER) and for vmnetlint in the CLI tests (through a wrapper in
# $VMNETLINT). Any invalid read or write, use of uninitialised memory or
# definite leak makes the exit status 99, which fails the test. Reachable
# and "possibly lost" blocks are not errors: libvirt, libcurl and OpenSSL
# keep process-lifetime state. tests/valgrind.supp holds suppressions for
# noise inside those libraries only, never for vmnetlint's own leaks.
here=$(cd "$(dirname "$0")" && pwd)
exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \
	--errors-for-leak-kinds=definite --num-callers=30 \
	--suppressions="$here/valgrind.supp" "$@"
