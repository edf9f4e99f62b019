#!/usr/bin/env python3
"""Generate N synthetic qm configs in the pmxcfs layout for benchmarks.

usage: gen_pve.py N DIR [NODES]

Deterministic (seeded). About one VM in 50 is an OPNsense CARP member with
queues=4, so the scan has findings to report; the rest are ordinary VMs with
one to four NICs, descriptions, tags and a snapshot now and then.
"""
import os
import random
import sys


def mac(rng):
    return "BC:24:11:%02X:%02X:%02X" % (rng.randrange(256), rng.randrange(256), rng.randrange(256))


def config(vmid, rng):
    fw = vmid % 50 == 0
    lines = []
    if rng.random() < 0.5:
        lines.append("#Generated VM %d%%3A benchmark fixture" % vmid)
    lines += [
        "agent: 1",
        "boot: order=scsi0;net0",
        "cores: %d" % rng.choice([1, 2, 4, 8]),
        "cpu: x86-64-v2-AES",
        "memory: %d" % rng.choice([1024, 2048, 4096, 8192]),
        "meta: creation-qemu=9.2.0,ctime=17%08d" % vmid,
        "name: %s%d" % ("fw-opnsense-" if fw else "vm", vmid),
    ]
    for i in range(4 if fw else rng.randrange(1, 4)):
        net = "net%d: virtio=%s,bridge=vmbr%d" % (i, mac(rng), i % 3)
        if rng.random() < 0.3:
            net += ",firewall=1"
        if fw or rng.random() < 0.2:
            net += ",queues=4"
        if rng.random() < 0.3:
            net += ",tag=%d" % rng.randrange(2, 4000)
        lines.append(net)
    lines += [
        "numa: 0",
        "ostype: %s" % ("other" if fw else "l26"),
        "scsi0: local-zfs:vm-%d-disk-0,iothread=1,size=32G" % vmid,
        "scsihw: virtio-scsi-single",
        "smbios1: uuid=6f3c2a8e-1d7b-4a5e-9c41-%012x" % vmid,
        "sockets: 1",
    ]
    if fw:
        lines.append("tags: carp;opnsense")
    if rng.random() < 0.1:
        lines += ["", "[before-upgrade]"] + [l for l in lines if not l.startswith("#")]
        lines.append("snaptime: 1761300000")
    return "\n".join(lines) + "\n"


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    nodes = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    rng = random.Random(42)
    for node in range(nodes):
        os.makedirs(os.path.join(out, "nodes", "pve%d" % node, "qemu-server"), exist_ok=True)
    for k in range(n):
        vmid = 100 + k
        path = os.path.join(out, "nodes", "pve%d" % (k % nodes), "qemu-server", "%d.conf" % vmid)
        with open(path, "w") as f:
            f.write(config(vmid, rng))


if __name__ == "__main__":
    main()
