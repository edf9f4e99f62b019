/* qemu-server's $confdesc as of 9.2 (research/proxmox.md 3), reduced to
 * what the parser checks: the name, the index range of numbered keys and
 * the type. Keys whose format we do not validate are STRING: PVE would
 * check them, but a NIC linter has no business second-guessing disks. */
#include "config.h"

#include "pve_keys.h"

#include <string.h>

#include "util.h"

struct pve_key {
	const char *name;
	int max_index; /* -1: not numbered; else name0..name<max_index> */
	enum pve_key_type type;
};

static const struct pve_key keys[] = {
	{ "acpi", -1, PVE_KEY_BOOL },
	{ "affinity", -1, PVE_KEY_STRING },
	{ "agent", -1, PVE_KEY_STRING },
	{ "allow-ksm", -1, PVE_KEY_BOOL },
	{ "amd-sev", -1, PVE_KEY_STRING },
	{ "arch", -1, PVE_KEY_STRING },
	{ "args", -1, PVE_KEY_STRING },
	{ "audio", 0, PVE_KEY_STRING },
	{ "autostart", -1, PVE_KEY_BOOL },
	{ "balloon", -1, PVE_KEY_INT },
	{ "bios", -1, PVE_KEY_STRING },
	{ "boot", -1, PVE_KEY_STRING },
	{ "bootdisk", -1, PVE_KEY_STRING },
	{ "cdrom", -1, PVE_KEY_STRING },
	{ "cicustom", -1, PVE_KEY_STRING },
	{ "cipassword", -1, PVE_KEY_STRING },
	{ "citype", -1, PVE_KEY_STRING },
	{ "ciupgrade", -1, PVE_KEY_BOOL },
	{ "ciuser", -1, PVE_KEY_STRING },
	{ "cores", -1, PVE_KEY_INT },
	{ "cpu", -1, PVE_KEY_STRING },
	{ "cpulimit", -1, PVE_KEY_NUMBER },
	{ "cpuunits", -1, PVE_KEY_INT },
	{ "delete", -1, PVE_KEY_PENDING_DELETE },
	{ "description", -1, PVE_KEY_STRING },
	{ "efidisk", 0, PVE_KEY_STRING },
	{ "freeze", -1, PVE_KEY_BOOL },
	{ "hookscript", -1, PVE_KEY_STRING },
	{ "hostpci", 15, PVE_KEY_STRING },
	{ "hotplug", -1, PVE_KEY_STRING },
	{ "hugepages", -1, PVE_KEY_STRING },
	{ "ide", 3, PVE_KEY_STRING },
	{ "intel-tdx", -1, PVE_KEY_STRING },
	{ "ipconfig", 31, PVE_KEY_STRING },
	{ "ivshmem", -1, PVE_KEY_STRING },
	{ "keephugepages", -1, PVE_KEY_BOOL },
	{ "keyboard", -1, PVE_KEY_STRING },
	{ "kvm", -1, PVE_KEY_BOOL },
	{ "localtime", -1, PVE_KEY_BOOL },
	{ "lock", -1, PVE_KEY_STRING },
	{ "machine", -1, PVE_KEY_STRING },
	{ "memory", -1, PVE_KEY_STRING },
	{ "meta", -1, PVE_KEY_STRING },
	{ "migrate_downtime", -1, PVE_KEY_NUMBER },
	{ "migrate_speed", -1, PVE_KEY_INT },
	{ "name", -1, PVE_KEY_STRING },
	{ "nameserver", -1, PVE_KEY_STRING },
	{ "net", 31, PVE_KEY_NET },
	{ "numa", -1, PVE_KEY_BOOL },
	{ "numa", 7, PVE_KEY_STRING },
	{ "onboot", -1, PVE_KEY_BOOL },
	{ "ostype", -1, PVE_KEY_STRING },
	{ "parallel", 2, PVE_KEY_STRING },
	{ "parent", -1, PVE_KEY_STRING },
	{ "protection", -1, PVE_KEY_BOOL },
	{ "reboot", -1, PVE_KEY_BOOL },
	{ "rng", 0, PVE_KEY_STRING },
	{ "running-nets-host-mtu", -1, PVE_KEY_STRING },
	{ "runningcpu", -1, PVE_KEY_STRING },
	{ "runningmachine", -1, PVE_KEY_STRING },
	{ "sata", 5, PVE_KEY_STRING },
	{ "scsi", 30, PVE_KEY_STRING },
	{ "scsihw", -1, PVE_KEY_STRING },
	{ "searchdomain", -1, PVE_KEY_STRING },
	{ "serial", 3, PVE_KEY_STRING },
	{ "shares", -1, PVE_KEY_INT },
	{ "smbios", 1, PVE_KEY_STRING },
	{ "smp", -1, PVE_KEY_INT },
	{ "snaptime", -1, PVE_KEY_INT },
	{ "sockets", -1, PVE_KEY_INT },
	{ "spice_enhancements", -1, PVE_KEY_STRING },
	{ "sshkeys", -1, PVE_KEY_STRING },
	{ "startdate", -1, PVE_KEY_STRING },
	{ "startup", -1, PVE_KEY_STRING },
	{ "tablet", -1, PVE_KEY_BOOL },
	{ "tags", -1, PVE_KEY_TAGS },
	{ "tdf", -1, PVE_KEY_BOOL },
	{ "template", -1, PVE_KEY_BOOL },
	{ "tpmstate", 0, PVE_KEY_STRING },
	{ "unused", 255, PVE_KEY_STRING },
	{ "usb", 13, PVE_KEY_STRING },
	{ "vcpus", -1, PVE_KEY_INT },
	{ "vga", -1, PVE_KEY_STRING },
	{ "virtio", 15, PVE_KEY_STRING },
	{ "virtiofs", 9, PVE_KEY_STRING },
	{ "vmgenid", -1, PVE_KEY_STRING },
	{ "vmstate", -1, PVE_KEY_STRING },
	{ "vmstatestorage", -1, PVE_KEY_STRING },
	{ "watchdog", -1, PVE_KEY_STRING },
};

enum pve_key_type pve_key_type(const char *key, size_t len)
{
	size_t base = len, i;
	long long index = -1;

	while (base > 0 && key[base - 1] >= '0' && key[base - 1] <= '9')
		base--;
	if (base < len) {
		/* no leading zeros in indexes: net01 is not net1 */
		if (len - base > 1 && key[base] == '0')
			return PVE_KEY_UNKNOWN;
		if (!str_to_ll(key + base, len - base, false, &index))
			return PVE_KEY_UNKNOWN;
	}
	for (i = 0; i < VNL_ARRAY_LEN(keys); i++) {
		const struct pve_key *k = &keys[i];
		if (strlen(k->name) != base || memcmp(k->name, key, base))
			continue;
		if (index < 0 && k->max_index < 0)
			return k->type;
		if (index >= 0 && k->max_index >= 0 && index <= k->max_index)
			return k->type;
	}
	return PVE_KEY_UNKNOWN;
}
