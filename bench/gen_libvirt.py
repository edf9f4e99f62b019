#!/usr/bin/env python3
"""Generate N synthetic libvirt domain XMLs (virt-install style) for benchmarks.

usage: gen_libvirt.py N DIR

Deterministic (seeded). About one domain in 50 is an OPNsense CARP member
with queues=4 and offloads at their defaults, so the scan has findings to
report; the rest are ordinary KVM guests with one to four NICs, disks,
controllers and the devices virt-install writes, some with offload or
ring-size settings.
"""
import os
import random
import sys

OS_IDS = [
    "http://debian.org/debian/12",
    "http://fedoraproject.org/fedora/39",
    "http://ubuntu.com/ubuntu/22.04",
    "http://redhat.com/rhel/9.2",
    "http://microsoft.com/win/10",
]


def mac(rng):
    return "52:54:00:%02x:%02x:%02x" % (rng.randrange(256), rng.randrange(256), rng.randrange(256))


def uuid(i):
    return "6f3c2a8e-1d7b-4a5e-9c41-%012x" % i


def interface(rng, fw, idx):
    lines = []
    kind = rng.choice(["bridge", "network"]) if not fw else "bridge"
    lines.append("    <interface type='%s'>" % kind)
    lines.append("      <mac address='%s'/>" % mac(rng))
    if kind == "bridge":
        lines.append("      <source bridge='br%d'/>" % (idx % 3))
    else:
        lines.append("      <source network='default'/>")
    if not fw and rng.random() < 0.2:
        lines.append("      <vlan><tag id='%d'/></vlan>" % rng.randrange(2, 4000))
    model = "virtio" if fw or rng.random() < 0.85 else "e1000"
    lines.append("      <model type='%s'/>" % model)
    if fw:
        lines.append("      <driver name='vhost' queues='4'/>")
    elif model == "virtio" and rng.random() < 0.3:
        lines.append("      <driver name='vhost' queues='%d' rx_queue_size='1024'>"
                     % rng.choice([2, 4, 8]))
        if rng.random() < 0.5:
            lines.append("        <host csum='off' tso4='off' tso6='off' ecn='off' ufo='off'/>")
            lines.append("        <guest csum='off' tso4='off' tso6='off' ecn='off' ufo='off'/>")
        lines.append("      </driver>")
    if rng.random() < 0.1:
        lines.append("      <mtu size='%d'/>" % rng.choice([1450, 1500, 9000]))
    lines.append("      <address type='pci' domain='0x0000' bus='0x0%d' slot='0x00' "
                 "function='0x0'/>" % (idx + 1))
    lines.append("    </interface>")
    return lines


def domain(i, rng):
    fw = i % 50 == 0
    name = ("fw-opnsense-%d" if fw else "vm%d") % i
    out = ["<domain type='kvm'>",
           "  <name>%s</name>" % name,
           "  <uuid>%s</uuid>" % uuid(i)]
    if fw:
        out.append("  <title>OPNsense 24.7 CARP member</title>")
        out.append("  <description>HA pair, pfsync on net2</description>")
    elif rng.random() < 0.5:
        out.append("  <description>Generated VM %d: benchmark fixture</description>" % i)
    out += ["  <metadata>",
            "    <libosinfo:libosinfo xmlns:libosinfo=\"http://libosinfo.org/xmlns/libvirt/domain/1.0\">",
            "      <libosinfo:os id=\"%s\"/>"
            % ("http://freebsd.org/freebsd/14.0" if fw else rng.choice(OS_IDS)),
            "    </libosinfo:libosinfo>"]
    if fw:
        out += ["    <vmnetlint:lint xmlns:vmnetlint=\"urn:vmnetlint:metadata:1\">",
                "      <vmnetlint:role name=\"firewall\"/>",
                "      <vmnetlint:role name=\"pfsync\"/>",
                "    </vmnetlint:lint>"]
    mem = rng.choice([1048576, 2097152, 4194304, 8388608])
    vcpu = rng.choice([1, 2, 4, 8])
    out += ["  </metadata>",
            "  <memory unit='KiB'>%d</memory>" % mem,
            "  <currentMemory unit='KiB'>%d</currentMemory>" % mem,
            "  <vcpu placement='static'>%d</vcpu>" % vcpu,
            "  <os>",
            "    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>",
            "    <boot dev='hd'/>",
            "  </os>",
            "  <features><acpi/><apic/><vmport state='off'/></features>",
            "  <cpu mode='host-passthrough' check='none' migratable='on'/>",
            "  <clock offset='utc'>",
            "    <timer name='rtc' tickpolicy='catchup'/>",
            "    <timer name='pit' tickpolicy='delay'/>",
            "    <timer name='hpet' present='no'/>",
            "  </clock>",
            "  <on_poweroff>destroy</on_poweroff>",
            "  <on_reboot>restart</on_reboot>",
            "  <on_crash>destroy</on_crash>",
            "  <devices>",
            "    <emulator>/usr/bin/qemu-system-x86_64</emulator>",
            "    <disk type='file' device='disk'>",
            "      <driver name='qemu' type='qcow2' discard='unmap'/>",
            "      <source file='/var/lib/libvirt/images/%s.qcow2'/>" % name,
            "      <target dev='vda' bus='virtio'/>",
            "      <address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/>",
            "    </disk>",
            "    <controller type='usb' index='0' model='qemu-xhci' ports='15'/>",
            "    <controller type='pci' index='0' model='pcie-root'/>",
            "    <controller type='virtio-serial' index='0'/>"]
    for k in range(4 if fw else rng.randrange(1, 4)):
        out += interface(rng, fw, k)
    out += ["    <serial type='pty'><target type='isa-serial' port='0'>"
            "<model name='isa-serial'/></target></serial>",
            "    <console type='pty'><target type='serial' port='0'/></console>",
            "    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/>"
            "</channel>",
            "    <graphics type='spice' autoport='yes'><listen type='address'/></graphics>",
            "    <video><model type='virtio' heads='1' primary='yes'/></video>",
            "    <memballoon model='virtio'/>",
            "    <rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>",
            "  </devices>",
            "</domain>"]
    return "\n".join(out) + "\n"


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(20261122)
    os.makedirs(out, exist_ok=True)
    for i in range(1, n + 1):
        with open(os.path.join(out, "vm%05d.xml" % i), "w") as f:
            f.write(domain(i, rng))


if __name__ == "__main__":
    main()
