# The fuzz targets and their seeds (sourced by replay.sh, run_short.sh and
# run_long.sh; needs $SRCDIR and $BUILDDIR).

# Every target: tests/fuzz/fuzz_<name>.c, seeds in tests/fuzz/corpus/<name>/,
# a dictionary in tests/fuzz/dict/<name>.dict. Targets whose program was not
# built (pve_roundtrip before src/write/pve_file.c existed) are left out.
FUZZ_ALL_TARGETS="pve_conf pve_prop pve_decode libvirt_xml pve_api_json config
pve_interfaces pve_sdn pve_firewall report pve_roundtrip journal pve_perms"

fuzz_bin() { # fuzz_bin TARGET: the program
	echo "$BUILDDIR/tests/fuzz/fuzz_$1"
}

fuzz_targets() { # the targets that were built
	for t in $FUZZ_ALL_TARGETS; do
		[ -x "$(fuzz_bin "$t")" ] && echo "$t"
	done
}

# The project's shared corpus of real-world configs (../shared/corpus from
# the project root; its README: data only, never copied into the project).
# Its files are read where they are, as extra seeds, when it is present.
FUZZ_SHARED=${VNL_SHARED_CORPUS:-$SRCDIR/../shared/corpus}

fuzz_seeds() { # fuzz_seeds TARGET: the seed directories, ours first
	echo "$SRCDIR/tests/fuzz/corpus/$1"
	case $1 in
	pve_conf | report | pve_roundtrip) shared="pve/qemu-server-cfg2cmd pve/qemu-server-parse-config" ;;
	*) shared="" ;;
	esac
	case $1 in
	libvirt_xml | report) shared="$shared libvirt/virt-manager-compare" ;;
	esac
	for d in $shared; do
		[ -d "$FUZZ_SHARED/$d" ] && echo "$FUZZ_SHARED/$d"
	done
	return 0
}

fuzz_dict() { # fuzz_dict TARGET: -dict=FILE when the target has one
	d="$SRCDIR/tests/fuzz/dict/$1.dict"
	[ -f "$d" ] && echo "-dict=$d"
	return 0
}

# The final statistics libFuzzer prints (-print_final_stats=1).
fuzz_stat() { # fuzz_stat LOG NAME: e.g. stat::number_of_executed_units
	awk -v k="stat::$2:" '$1 == k { v = $2 } END { print v + 0 }' "$1"
}
