"""The imitated Proxmox VE side of the test API server: text formats, cluster state and
the semantics of each API endpoint. Python 3 standard library only; no HTTP in here.

Written from the facts in research/proxmox.md (cited by section), not from Proxmox code:

  * qm config files (/etc/pve/qemu-server/<vmid>.conf): parse and serialise (1.1, 1.2, 1.4)
  * the qemu `netN` property string: parse, validate, print canonically (2.1-2.3)
  * /etc/network/interfaces stanzas -> GET /nodes/{node}/network entries (5.4)
  * PVE section-config files (sdn/zones.cfg, sdn/vnets.cfg) (5.5)
  * firewall files (cluster.fw, <vmid>.fw), only the [OPTIONS] section (7.3)
  * the cluster in memory, API tokens and privileges, and the endpoints (5.1-5.6)
"""

import hashlib
import hmac
import json
import os
import re
import threading
import time
import urllib.parse


def sha1_hex(data):
    """PVE digests are SHA-1 hex of the raw file bytes (proxmox.md 1.1, 4.4)."""
    if isinstance(data, str):
        data = data.encode('utf-8', 'surrogateescape')
    return hashlib.sha1(data).hexdigest()


def parse_boolean(text):
    """1/on/yes/true -> '1', 0/off/no/false -> '0', else None (proxmox.md 1.1, 2.2)."""
    low = text.lower()
    if low in ('1', 'on', 'yes', 'true'):
        return '1'
    if low in ('0', 'off', 'no', 'false'):
        return '0'
    return None


# --------------------------------------------------------------------------------------
# description text encoding (proxmox.md 1.2 encode_text / decode_text)

def encode_text(text):
    """Percent-encode every byte outside printable ASCII, plus '%' and ':'; keep space."""
    out = []
    for byte in text.encode('utf-8', 'surrogateescape'):
        if 0x20 <= byte <= 0x7E and byte not in (0x25, 0x3A):
            out.append(chr(byte))
        else:
            out.append('%%%02X' % byte)
    return ''.join(out)


def decode_text(text):
    """Reverse of encode_text: percent-decoding, then UTF-8 decoding."""
    return urllib.parse.unquote(text, encoding='utf-8', errors='replace')


# --------------------------------------------------------------------------------------
# qm config files (proxmox.md 1.1 reading, 1.2 writing)

RE_PENDING = re.compile(r'^\[PENDING\]\s*$', re.IGNORECASE)
RE_SPECIAL = re.compile(r'^\[special:(cloudinit|fleecing)\]\s*$', re.IGNORECASE)
RE_SNAPSHOT = re.compile(r'^\[([a-z][a-z0-9_-]+)\]\s*$', re.IGNORECASE)
RE_ANY_SECTION = re.compile(r'^\[.*\]\s*$')
RE_KEY_LINE = re.compile(r'^([a-z][a-z_-]*\d*):\s*(\S.*?)\s*$')
RE_SNAPSTATE = re.compile(r'snapstate:\s*(prepare|delete)\s*$')

# keys the writer never prints (proxmox.md 1.2)
WRITER_SKIPPED_KEYS = {'digest', 'description', 'pending', 'snapshots', 'special-sections'}


class QmConfig:
    """One parsed qm config: main section, [PENDING], special sections, snapshots.

    Each section is a dict key -> raw string value. A section's description (from its
    `#` lines) is stored decoded under the key 'description', as PVE does.
    """

    def __init__(self):
        self.main = {}
        self.pending = {}
        self.specials = {}
        self.snapshots = {}
        self.warnings = []


def parse_qm_config(text):
    """Parse qm config text (str). Lenient like PVE's own non-strict reads (1.1):
    bad lines become warnings and are dropped, unknown sections are skipped."""
    conf = QmConfig()
    section = conf.main
    section_kind = 'main'
    description = None          # collected '#' text of the current section
    skipping_unknown = False

    def finish_section():
        if section is not None and description is not None:
            section['description'] = description.rstrip()

    for lineno, line in enumerate(text.split('\n'), 1):
        if line.strip() == '':
            continue
        header = None
        if RE_PENDING.match(line):
            header = ('pending', None)
        elif RE_SPECIAL.match(line):
            header = ('special', RE_SPECIAL.match(line).group(1).lower())
        elif RE_SNAPSHOT.match(line):
            header = ('snapshot', RE_SNAPSHOT.match(line).group(1))
        elif RE_ANY_SECTION.match(line):
            finish_section()
            conf.warnings.append('line %d: skipping unknown section %s' % (lineno, line.strip()))
            section, description, skipping_unknown = None, None, True
            continue
        if header is not None:
            finish_section()
            kind, name = header
            # a duplicate section replaces the earlier one (1.1)
            section = {}
            if kind == 'pending':
                conf.pending = section
            elif kind == 'special':
                conf.specials[name] = section
            else:
                conf.snapshots[name] = section
            section_kind, description, skipping_unknown = kind, None, False
            continue
        if skipping_unknown:
            continue
        if line.startswith('#'):
            description = (description or '') + decode_text(line[1:]) + '\n'
            continue
        if RE_SNAPSTATE.search(line):
            continue                                   # recognised and dropped (1.1)
        match = RE_KEY_LINE.match(line)
        if not match:
            conf.warnings.append('line %d: unable to parse config: %s' % (lineno, line))
            continue
        key, value = match.group(1), match.group(2)
        if key == 'description':
            description = (description or '') + decode_text(value)
            continue
        if key == 'delete' and section_kind != 'pending':
            conf.warnings.append("line %d: 'delete' is only allowed in [PENDING]" % lineno)
            continue
        section[key] = value
    finish_section()
    return conf


def perl_split_lines(text):
    """split(/\\n/, ...) in Perl: interior empty fields kept, trailing ones dropped."""
    parts = text.split('\n')
    while parts and parts[-1] == '':
        parts.pop()
    return parts


def serialise_section(section, is_pending=False):
    lines = []
    description = section.get('description')
    if description is not None:
        if is_pending and description == '':
            lines.append('#')                          # a lone '#' in [PENDING] (1.2)
        for text_line in perl_split_lines(description):
            lines.append('#' + encode_text(text_line))
    keys = sorted((k for k in section if k not in WRITER_SKIPPED_KEYS),
                  key=lambda k: k.encode())            # Perl sort = byte order (1.2)
    for key in keys:
        lines.append('%s: %s' % (key, section[key]))
    return ''.join(line + '\n' for line in lines)


def has_cloudinit_drive(section):
    return any(re.match(r'^(ide|sata|scsi)\d+$', k) and 'cloudinit' in v
               for k, v in section.items())


def serialise_qm_config(conf):
    """The file text PVE writes for `conf` (proxmox.md 1.2)."""
    main = dict(conf.main)
    if main.get('smp'):                                # smp is folded into sockets
        main.setdefault('sockets', main['smp'])
        del main['smp']
    text = serialise_section(main)
    if conf.pending:
        text += '\n[PENDING]\n' + serialise_section(conf.pending, is_pending=True)
    for name in sorted(conf.specials):
        if name == 'cloudinit' and not has_cloudinit_drive(main):
            continue
        text += '\n[special:%s]\n' % name + serialise_section(conf.specials[name])
    for name in sorted(conf.snapshots):
        text += '\n[%s]\n' % name + serialise_section(conf.snapshots[name])
    return text


def parse_pending_delete(text):
    """`delete:` in [PENDING] -> dict key -> force (bool), in order (proxmox.md 1.4)."""
    result = {}
    for item in re.split(r'[,;\s]+', text or ''):
        if not item:
            continue
        force = item.startswith('!')
        result[item.lstrip('!')] = force
    return result


def print_pending_delete(entries):
    """Sorted, comma-joined, '!' for a forced delete (proxmox.md 1.4)."""
    return ','.join(('!' if entries[k] else '') + k for k in sorted(entries))


def parse_lxc_main(text):
    """Main section of an LXC config (only what cluster/resources needs, 2.5)."""
    result = {}
    for line in text.split('\n'):
        if line.startswith('['):
            break
        match = RE_KEY_LINE.match(line)
        if match:
            result[match.group(1)] = match.group(2)
    return result


# --------------------------------------------------------------------------------------
# netN property string (proxmox.md 2.1 keys, 2.2 parsing, 2.3 printing)

NET_MODELS = ('e1000', 'e1000-82540em', 'e1000-82544gc', 'e1000-82545em', 'e1000e',
              'i82551', 'i82557b', 'i82559er', 'ne2k_isa', 'ne2k_pci', 'pcnet', 'rtl8139',
              'virtio', 'vmxnet3')
NET_BOOLEAN_KEYS = ('firewall', 'link_down', 'host-tunnel')
NET_INTEGER_RANGES = {'tag': (1, 4094), 'queues': (0, 64), 'mtu': (1, 65520)}
NET_KEYS = ('model', 'macaddr', 'bridge', 'tag', 'trunks', 'rate', 'queues', 'mtu',
            'firewall', 'link_down', 'host-tunnel')

RE_INTEGER = re.compile(r'^[+-]?\d+$')                                 # is_integer (2.2)
RE_NUMBER = re.compile(r'^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$')      # is_number (2.2)
RE_UNICAST_MAC = re.compile(r'^[0-9a-f][02468ace](:[0-9a-f]{2}){5}$', re.IGNORECASE)
RE_BRIDGE = re.compile(r'^[-_.A-Za-z0-9]+$')
RE_TRUNKS = re.compile(r'^\d+(-\d+)?(;\d+(-\d+)?)*$')


class NetFormatError(ValueError):
    """An invalid netN value; str() is the message for the API `errors` map."""


def random_mac(rng, prefix='BC:24:11'):
    """A random unicast MAC under the Proxmox OUI, upper case (proxmox.md 2.2)."""
    octets = [rng.randrange(256) for _ in range(6)]
    octets[0] = (octets[0] & 0xFE) | 0x02      # unicast, locally administered
    text = ':'.join('%02X' % o for o in octets)
    return prefix.upper() + text[len(prefix):]


def parse_net(value, rng=None):
    """Parse and validate a qemu netN value. Returns a dict of the set keys (values as
    text, booleans normalised to '1'/'0'). If `rng` is given and there is no MAC, a
    random one is added, as PVE does on every API write (2.2)."""
    result = {}
    default_key_used = False
    for part in value.split(','):
        if part.strip() == '':
            continue                                   # empty parts are skipped
        if '=' not in part:
            if default_key_used or 'model' in result:
                raise NetFormatError('duplicate key in comma-separated list property: model')
            result['model'] = part
            default_key_used = True
            continue
        key, _, val = part.partition('=')
        if key == '' or val == '':
            raise NetFormatError("missing key or value in comma-separated list property: '%s'"
                                 % part)
        if key in NET_MODELS:                          # <model>=<MAC> alias
            if 'model' in result:
                raise NetFormatError("key alias 'model' is already defined")
            if 'macaddr' in result:
                raise NetFormatError('macaddr: already defined (via alias)')
            result['model'] = key
            result['macaddr'] = val
            continue
        if key not in NET_KEYS:
            raise NetFormatError('invalid key in comma-separated list property: %s' % key)
        if key in result:
            raise NetFormatError('duplicate key in comma-separated list property: %s' % key)
        if key in NET_BOOLEAN_KEYS:
            val = parse_boolean(val) or val
        result[key] = val
    check_net(result)
    if 'macaddr' not in result and rng is not None:
        result['macaddr'] = random_mac(rng)
    return result


def check_net(net):
    """Schema checks of a parsed netN (2.1); raises NetFormatError naming the key."""
    if 'model' not in net:
        raise NetFormatError('model: property is missing and it is not optional')
    if net['model'] not in NET_MODELS:
        raise NetFormatError("model: value '%s' does not have a value in the enumeration '%s'"
                             % (net['model'], ', '.join(NET_MODELS)))
    if 'macaddr' in net and not RE_UNICAST_MAC.match(net['macaddr']):
        raise NetFormatError("macaddr: value '%s' does not look like a valid unicast MAC address"
                             % net['macaddr'])
    if 'bridge' in net and not RE_BRIDGE.match(net['bridge']):
        raise NetFormatError("bridge: value '%s' does not look like a valid bridge id"
                             % net['bridge'])
    if 'trunks' in net and not RE_TRUNKS.match(net['trunks']):
        raise NetFormatError("trunks: value '%s' does not look like a valid VLAN id list"
                             % net['trunks'])
    for key, (low, high) in NET_INTEGER_RANGES.items():
        if key not in net:
            continue
        if not RE_INTEGER.match(net[key]):
            raise NetFormatError("%s: type check ('integer') failed - got '%s'" % (key, net[key]))
        if int(net[key]) < low:
            raise NetFormatError('%s: value must have a minimum value of %d' % (key, low))
        if int(net[key]) > high:
            raise NetFormatError('%s: value may have a maximum value of %d' % (key, high))
    if 'rate' in net:
        if not RE_NUMBER.match(net['rate']):
            raise NetFormatError("rate: type check ('number') failed - got '%s'" % net['rate'])
        if float(net['rate']) < 0:
            raise NetFormatError('rate: value must have a minimum value of 0')
    for key in NET_BOOLEAN_KEYS:
        if key in net and net[key] not in ('0', '1'):
            raise NetFormatError("%s: type check ('boolean') failed - got '%s'" % (key, net[key]))


def print_net(net):
    """Canonical netN text: '<model>=<MAC>' (or the bare model) first, then the other
    set keys in byte order (proxmox.md 2.3)."""
    first = net['model'] + ('=' + net['macaddr'] if 'macaddr' in net else '')
    rest = ['%s=%s' % (k, net[k]) for k in sorted(net) if k not in ('model', 'macaddr')]
    return ','.join([first] + rest)


def parse_net_lenient(value):
    """parse_net for values already stored in a file: None if invalid."""
    try:
        return parse_net(value)
    except NetFormatError:
        return None


# --------------------------------------------------------------------------------------
# /etc/network/interfaces (proxmox.md 5.4)

RE_ETH_NAME = re.compile(r'^(eth\d+|en[^:.]+|ib[^:.]+)$')
RE_VLAN_NAME = re.compile(r'^(\S+\.\d+|vlan\d+)$')
STANZA_KEYWORDS = ('iface', 'auto', 'mapping', 'source', 'source-directory')


def parse_interfaces(text):
    """Parse `iface NAME inet|inet6 METHOD` stanzas into dicts shaped like the entries of
    GET /nodes/{node}/network. `mtu` is only present when written in the file (5.4)."""
    stanzas = {}
    order = []
    autostart = set()
    current = None
    for raw in text.split('\n'):
        line = raw.strip()
        if not line:
            continue
        if line.startswith('#'):
            if current is not None:
                current['comments'] += line[1:].strip() + '\n'
            continue
        words = line.split()
        keyword = words[0]
        if keyword == 'auto' or keyword.startswith('allow-'):
            autostart.update(words[1:])
            current = None
            continue
        if keyword in STANZA_KEYWORDS:
            current = None
            if keyword == 'iface' and len(words) >= 4:
                name, family, method = words[1], words[2], words[3]
                if name not in stanzas:
                    stanzas[name] = {'options': {}, 'families': [], 'comments': ''}
                    order.append(name)
                current = stanzas[name]
                current['family'] = family
                if family not in current['families']:
                    current['families'].append(family)
                current['method6' if family == 'inet6' else 'method'] = method
            continue
        if current is not None:
            option = keyword.replace('_', '-')
            suffix = '6' if current['family'] == 'inet6' and option in ('address', 'netmask',
                                                                         'gateway') else ''
            current['options'][option + suffix] = ' '.join(words[1:])
    # the loopback is not configurable and not listed by the API
    return [interface_entry(name, stanzas[name], name in autostart, prio)
            for prio, name in enumerate(order, 1) if name != 'lo']


def interface_type(name, options):
    if 'ovs-type' in options:
        return options['ovs-type']
    if 'bridge-ports' in options:
        return 'bridge'
    if 'bond-slaves' in options or re.match(r'^bond\d+$', name):
        return 'bond'
    if RE_VLAN_NAME.match(name) or 'vlan-raw-device' in options:
        return 'vlan'
    if ':' in name:
        return 'alias'
    if RE_ETH_NAME.match(name):
        return 'eth'
    return 'unknown'


def interface_entry(name, stanza, auto, priority):
    options = stanza['options']
    entry = {'iface': name, 'type': interface_type(name, options), 'active': 1,
             'autostart': 1 if auto else 0, 'priority': priority,
             'families': sorted(stanza['families'])}
    if entry['type'] == 'eth':
        entry['exists'] = 1
    for key in ('method', 'method6'):
        if key in stanza:
            entry[key] = stanza[key]
    for suffix in ('', '6'):
        address = options.get('address' + suffix)
        if address:
            if '/' in address:
                entry['cidr' + suffix] = address
                address, entry['netmask' + suffix] = address.split('/', 1)
            entry['address' + suffix] = address
        if options.get('netmask' + suffix):
            entry['netmask' + suffix] = options['netmask' + suffix]
        if options.get('gateway' + suffix):
            entry['gateway' + suffix] = options['gateway' + suffix]
    if 'bridge-ports' in options:
        ports = options['bridge-ports']
        entry['bridge_ports'] = '' if ports == 'none' else ports
    if parse_boolean(options.get('bridge-vlan-aware', '0')) == '1':
        entry['bridge_vlan_aware'] = 1
    simple_options = {'bridge-vids': 'bridge_vids', 'bridge-stp': 'bridge_stp',
                      'bridge-fd': 'bridge_fd', 'bond-slaves': 'slaves',
                      'bond-mode': 'bond_mode', 'bond-miimon': 'bond_miimon',
                      'bond-xmit-hash-policy': 'bond_xmit_hash_policy',
                      'vlan-raw-device': 'vlan-raw-device', 'vlan-id': 'vlan-id',
                      'mtu': 'mtu'}
    for option, field in simple_options.items():
        if option in options:
            entry[field] = options[option]
    if stanza['comments']:
        entry['comments'] = stanza['comments']
    return entry


# --------------------------------------------------------------------------------------
# PVE section-config files: sdn/zones.cfg, sdn/vnets.cfg (proxmox.md 5.5)

RE_SECTION_HEADER = re.compile(r'^(\S+):\s*(\S+)\s*$')
RE_SECTION_PROPERTY = re.compile(r'^\s+(\S+)(?:\s+(.*?))?\s*$')


def parse_section_config(text):
    """'type: id' header, then indented 'key value' lines; a blank line ends a section.
    Returns a list of (type, id, {key: value})."""
    sections = []
    current = None
    for line in text.split('\n'):
        if line.strip() == '':
            current = None
            continue
        if line.lstrip().startswith('#'):
            continue
        header = RE_SECTION_HEADER.match(line)
        if header and not line[0].isspace():
            current = {}
            sections.append((header.group(1), header.group(2), current))
            continue
        prop = RE_SECTION_PROPERTY.match(line)
        if prop and current is not None:
            current[prop.group(1)] = prop.group(2) if prop.group(2) is not None else ''
    return sections


# --------------------------------------------------------------------------------------
# firewall files: only [OPTIONS] (proxmox.md 5.2, 7.3)

def parse_firewall_options(text):
    options = {}
    in_options = False
    for line in text.split('\n'):
        stripped = line.strip()
        if not stripped or stripped.startswith('#'):
            continue
        if stripped.startswith('['):
            in_options = stripped.upper() == '[OPTIONS]'
            continue
        if in_options:
            match = re.match(r'^([a-z_]+)\s*:\s*(.*?)\s*$', stripped)
            if match:
                options[match.group(1)] = match.group(2)
    return options


# ======================================================================================
# Part 2: cluster state, tokens and API semantics
# ======================================================================================

ALL_PRIVILEGES = '*'
# what "*" expands to in GET /access/permissions (pve-access-control's privilege list)
KNOWN_PRIVILEGES = (
    'Datastore.Allocate Datastore.AllocateSpace Datastore.AllocateTemplate Datastore.Audit '
    'Group.Allocate Mapping.Audit Mapping.Modify Mapping.Use Permissions.Modify '
    'Pool.Allocate Pool.Audit Realm.Allocate Realm.AllocateUser SDN.Allocate SDN.Audit '
    'SDN.Use Sys.AccessNetwork Sys.Audit Sys.Console Sys.Incoming Sys.Modify Sys.PowerMgmt '
    'Sys.Syslog User.Modify VM.Allocate VM.Audit VM.Backup VM.Clone VM.Config.CDROM '
    'VM.Config.CPU VM.Config.Cloudinit VM.Config.Disk VM.Config.HWType VM.Config.Memory '
    'VM.Config.Network VM.Config.Options VM.Console VM.GuestAgent.Audit VM.Migrate '
    'VM.Monitor VM.PowerMgmt VM.Snapshot VM.Snapshot.Rollback').split()
DEFAULT_TOKEN_ID = 'root@pam!vmnetlint'

# --- qemu config schema (proxmox.md 3; only what the server checks) --------------------
CONFIG_KEYS = set('''acpi affinity agent amd-sev arch args audio0 autostart balloon bios boot
    bootdisk cdrom cicustom cipassword citype ciupgrade ciuser cores cpu cpulimit cpuunits
    description efidisk0 freeze hookscript hotplug hugepages intel-tdx keephugepages keyboard
    kvm localtime lock machine memory migrate_downtime migrate_speed name nameserver numa
    onboot ostype protection reboot rng0 scsihw searchdomain shares smbios1 smp sockets
    spice_enhancements sshkeys startdate startup tablet tags tdf template tpmstate0 vcpus vga
    vmgenid vmstatestorage watchdog'''.split())
INDEXED_KEY_LIMITS = {'net': 32, 'ide': 4, 'sata': 6, 'scsi': 31, 'virtio': 16, 'usb': 14,
                      'serial': 4, 'parallel': 3, 'hostpci': 16, 'unused': 256,
                      'ipconfig': 32, 'numa': 8, 'virtiofs': 10}
BOOLEAN_KEYS = {'acpi', 'autostart', 'freeze', 'keephugepages', 'kvm', 'localtime', 'numa',
                'onboot', 'protection', 'reboot', 'tablet', 'tdf', 'template'}
INTEGER_KEYS = {'balloon', 'cores', 'cpuunits', 'memory', 'migrate_speed', 'shares', 'smp',
                'sockets', 'vcpus'}
NUMBER_KEYS = {'cpulimit', 'migrate_downtime'}
# "fast plug" options skip [PENDING] even on a running VM (proxmox.md 5.3)
FAST_PLUG_KEYS = {'description', 'hookscript', 'name', 'onboot', 'protection', 'shares',
                  'startup', 'tags', 'vmstatestorage'}
# keys a running VM applies without a hotplug feature / with one (proxmox.md 3, 5.3)
LIVE_KEYS = {'balloon', 'cpulimit', 'cpuunits', 'hotplug'}
DEFAULT_HOTPLUG = {'network', 'disk', 'usb'}
# netN changes that need a device unplug + replug (proxmox.md 5.3)
NET_REPLUG_KEYS = ('model', 'macaddr', 'queues', 'mtu', 'host-tunnel')
RE_TAG = re.compile(r'^[a-z0-9_][a-z0-9_+.-]*$', re.IGNORECASE)        # proxmox.md 3
RE_VMID = re.compile(r'^[1-9][0-9]{2,8}$')                               # proxmox.md 1.3
RE_UPID = re.compile(r'^UPID:([A-Za-z0-9-]+):([0-9A-F]{8}):([0-9A-F]{8,9}):([0-9A-F]{8}):'
                     r'([^:\s]+):([^:\s]*):([^:\s]+):$', re.IGNORECASE)


class ApiError(Exception):
    """An API failure: HTTP status, message (with the trailing newline PVE's die adds)."""

    def __init__(self, status, message, errors=None):
        super().__init__(message)
        self.status, self.message, self.errors = status, message, errors


def param_error(errors):
    """raise_param_exc: 400 'Parameter verification failed.' plus an errors map (5.1)."""
    return ApiError(400, 'Parameter verification failed.', errors)


def not_implemented(method, rel_path):
    return ApiError(501, "Method '%s %s' not implemented" % (method, rel_path))


def config_key_is_valid(key):
    if key in CONFIG_KEYS:
        return True
    match = re.match(r'^([a-z]+)(\d+)$', key)
    return bool(match and match.group(1) in INDEXED_KEY_LIMITS
                and str(int(match.group(2))) == match.group(2)
                and int(match.group(2)) < INDEXED_KEY_LIMITS[match.group(1)])


def privilege_for_key(key):
    """Approximates which VM.Config.* privilege a config key needs (proxmox.md 5.2, 5.3)."""
    base = re.sub(r'\d+$', '', key)
    if base == 'net':
        return 'VM.Config.Network'
    if base in ('cores', 'sockets', 'vcpus', 'cpu', 'cpulimit', 'cpuunits', 'affinity',
                'numa', 'smp'):
        return 'VM.Config.CPU'
    if base in ('memory', 'balloon', 'shares'):
        return 'VM.Config.Memory'
    if base in ('ide', 'sata', 'scsi', 'virtio', 'efidisk', 'tpmstate', 'unused'):
        return 'VM.Config.Disk'
    if base in ('cicustom', 'cipassword', 'citype', 'ciupgrade', 'ciuser', 'ipconfig',
                'nameserver', 'searchdomain', 'sshkeys'):
        return 'VM.Config.Cloudinit'
    if base in ('hostpci', 'usb', 'serial', 'parallel', 'bios', 'machine', 'scsihw', 'vga',
                'keyboard', 'audio', 'rng', 'watchdog', 'kvm', 'acpi', 'agent', 'tablet',
                'ostype', 'args'):
        return 'VM.Config.HWType'
    return 'VM.Config.Options'


def split_list(text):
    """PVE list params are split on ',', ';' or whitespace (proxmox.md 1.4, 3)."""
    return [item for item in re.split(r'[,;\s]+', text or '') if item]


def parse_hotplug(value):
    """'0' = none, '1' or unset = network,disk,usb, else a comma list (proxmox.md 3)."""
    if value is None or value == '1':
        return set(DEFAULT_HOTPLUG)
    if value == '0':
        return set()
    return set(split_list(value))


def agent_enabled(value):
    """The `agent` property string: default key `enabled` (proxmox.md 5.6)."""
    if value is None:
        return False
    for part in value.split(','):
        key, _, val = part.partition('=') if '=' in part else ('enabled', '=', part)
        if key == 'enabled':
            return parse_boolean(val) == '1'
    return True


def memory_mib(value):
    match = re.search(r'(?:^|current=)(\d+)', value or '')
    return int(match.group(1)) if match else 512


# --------------------------------------------------------------------------------------
# cluster state

class Guest:
    """One VM or container: owner node, raw config text, digest, parsed config."""

    def __init__(self, vmid, node, kind, text):
        self.vmid, self.node, self.kind = vmid, node, kind
        self.set_raw(text)

    def set_raw(self, text):
        self.raw = text
        self.digest = sha1_hex(text)              # of the file bytes (proxmox.md 4.4)
        if self.kind == 'qemu':
            self.conf = parse_qm_config(text)
            self.main = self.conf.main
        else:
            self.conf = None
            self.main = parse_lxc_main(text)


class Cluster:
    """In-memory pmxcfs: guests, node networks, SDN, firewall files, runtime state."""

    def __init__(self, files, rng):
        self.lock = threading.RLock()
        self.rng = rng
        self.guests = {}
        self.nodes = set()
        self.interfaces = {}
        self.firewall = {}
        self.tasks = {}
        self.task_counter = 0
        for path, text in sorted(files.items()):
            parts = path.split('/')
            if len(parts) >= 2 and parts[0] == 'nodes':
                self.nodes.add(parts[1])
            match = re.match(r'^nodes/([^/]+)/(qemu-server|lxc)/([1-9][0-9]*)\.conf$', path)
            if match:
                vmid = int(match.group(3))
                if vmid in self.guests:
                    raise SystemExit('fixtures: VMID %d exists on two nodes' % vmid)
                kind = 'qemu' if match.group(2) == 'qemu-server' else 'lxc'
                self.guests[vmid] = Guest(vmid, match.group(1), kind, text)
            elif re.match(r'^nodes/[^/]+/interfaces$', path):
                self.interfaces[parts[1]] = parse_interfaces(text)
            elif re.match(r'^firewall/(cluster|[1-9][0-9]*)\.fw$', path):
                self.firewall[parts[1][:-3]] = text
        self.nodes = sorted(self.nodes)
        self.sdn = None
        if any(path.startswith('sdn/') for path in files):
            zones_text = files.get('sdn/zones.cfg', '')
            vnets_text = files.get('sdn/vnets.cfg', '')
            controllers_text = files.get('sdn/controllers.cfg', '')
            self.sdn = {'controllers': parse_section_config(controllers_text),
                        'controllers_digest': sha1_hex(controllers_text),
                        'zones': parse_section_config(zones_text),
                        'zones_digest': sha1_hex(zones_text),
                        'vnets': parse_section_config(vnets_text),
                        'vnets_digest': sha1_hex(vnets_text)}
        state = json.loads(files.get('state.json') or '{}')
        self.set_runtime_state(state)

    def set_runtime_state(self, state):
        if 'running' in state:
            self.running = {int(v) for v in state['running']}
        if 'agent' in state:
            self.agent = {int(k): v for k, v in state['agent'].items()}
        if 'hotplug_fail' in state:
            self.hotplug_fail = {int(v) for v in state['hotplug_fail']}
        for name in ('running', 'agent', 'hotplug_fail'):
            if not hasattr(self, name):
                setattr(self, name, set() if name != 'agent' else {})

    def vnet_zone(self, bridge):
        for _, vnet, props in (self.sdn or {}).get('vnets', []):
            if vnet == bridge:
                return props.get('zone')
        return None

    def require_node(self, node):
        if node not in self.nodes:
            raise ApiError(500, "no such cluster node '%s'\n" % node)

    def qemu_guest(self, node, vmid):
        """The VM's config, or PVE's error when it is not on that node (proxmox.md 5.2)."""
        self.require_node(node)
        guest = self.guests.get(vmid)
        if guest is None or guest.kind != 'qemu' or guest.node != node:
            raise ApiError(500, "Configuration file 'nodes/%s/qemu-server/%d.conf' does not "
                                "exist\n" % (node, vmid))
        return guest

    def new_task(self, node, vmid, user, exitstatus):
        """A finished qmconfig task; UPID format from proxmox.md 5.2."""
        with self.lock:
            self.task_counter += 1
            pid = 0x1000 + self.task_counter
            started = int(time.time())
            upid = 'UPID:%s:%08X:%08X:%08X:qmconfig:%d:%s:' % (node, pid, pid * 7, started,
                                                               vmid, user)
            self.tasks[upid] = {'upid': upid, 'node': node, 'pid': pid, 'pstart': pid * 7,
                                'starttime': started, 'type': 'qmconfig', 'id': str(vmid),
                                'user': user, 'exitstatus': exitstatus, 'polls': 0}
        return upid


def read_fixture_tree(root):
    files = {}
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root).replace(os.sep, '/')
            with open(full, 'rb') as handle:
                files[rel] = handle.read().decode('utf-8', 'surrogateescape')
    return files


# --------------------------------------------------------------------------------------
# API tokens and privileges (proxmox.md 5.1, 5.7)

class TokenStore:
    """tokens: {"user@realm!name": {"secret": ..., "privs": [...] at "/",
    "acl": {"/vms/101": [...]}}}. "*" = every privilege. ACLs propagate down the path tree
    (a simplification: PVE lets a more specific ACL override; here they add up)."""

    def __init__(self, tokens):
        self.tokens = tokens

    def authenticate(self, header):
        """Token id, or None. 'PVEAPIToken=' or 'PVEAPIToken ' then the URI-escaped value
        USER@REALM!TOKENID=SECRET, split at the LAST '=' (proxmox.md 5.1)."""
        match = re.match(r'^PVEAPIToken[= ](.+)$', (header or '').strip())
        if not match:
            return None
        token_id, sep, secret = urllib.parse.unquote(match.group(1)).rpartition('=')
        entry = self.tokens.get(token_id) if sep else None
        if entry is None or not re.match(r'^[^@!\s]+@[^@!\s]+![A-Za-z][A-Za-z0-9._-]+$',
                                         token_id):
            return None
        if not hmac.compare_digest(str(entry.get('secret', '')).encode(), secret.encode()):
            return None
        return token_id

    def privileges(self, token_id, path):
        entry = self.tokens[token_id]
        granted = set(entry.get('privs', []))
        for acl_path, privs in entry.get('acl', {}).items():
            acl_path = acl_path.rstrip('/') or '/'
            if acl_path == '/' or path == acl_path or path.startswith(acl_path + '/'):
                granted.update(privs)
        return granted


class AuthContext:
    def __init__(self, store, token_id):
        self.store, self.token_id = store, token_id
        self.user = token_id.split('!', 1)[0]

    def has(self, path, *privs):
        granted = self.store.privileges(self.token_id, path)
        return ALL_PRIVILEGES in granted or any(p in granted for p in privs)

    def require(self, path, *privs):
        """403 'Permission check failed (path, priv)' (proxmox.md 5.1)."""
        if not self.has(path, *privs):
            raise ApiError(403, 'Permission check failed (%s, %s)\n' % (path, privs[0]))


# --------------------------------------------------------------------------------------
# API endpoints (proxmox.md 5.2); paths are relative to /api2/json

ROUTES = [  # (method, path pattern, handler name, allowed query/body params)
    ('GET', r'/version', 'get_version', ()),
    ('GET', r'/nodes', 'get_nodes', ()),
    ('GET', r'/cluster/resources', 'get_cluster_resources', ('type',)),
    ('GET', r'/cluster/firewall/options', 'get_cluster_firewall_options', ()),
    ('GET', r'/cluster/sdn/zones', 'get_sdn_zones', ('type', 'running', 'pending')),
    ('GET', r'/cluster/sdn/vnets', 'get_sdn_vnets', ('running', 'pending')),
    ('GET', r'/cluster/sdn/controllers', 'get_sdn_controllers', ('type', 'running', 'pending')),
    ('GET', r'/access/permissions', 'get_access_permissions', ('path', 'userid')),
    ('GET', r'/nodes/(?P<node>[^/]+)/qemu', 'get_node_qemu', ('full',)),
    ('GET', r'/nodes/(?P<node>[^/]+)/qemu/(?P<vmid>[^/]+)/config', 'get_vm_config',
     ('current', 'snapshot')),
    ('PUT', r'/nodes/(?P<node>[^/]+)/qemu/(?P<vmid>[^/]+)/config', 'put_vm_config', None),
    ('POST', r'/nodes/(?P<node>[^/]+)/qemu/(?P<vmid>[^/]+)/config', 'post_vm_config', None),
    ('GET', r'/nodes/(?P<node>[^/]+)/qemu/(?P<vmid>[^/]+)/pending', 'get_vm_pending', ()),
    ('GET', r'/nodes/(?P<node>[^/]+)/qemu/(?P<vmid>[^/]+)/agent/get-osinfo',
     'get_vm_agent_osinfo', ()),
    ('GET', r'/nodes/(?P<node>[^/]+)/qemu/(?P<vmid>[^/]+)/firewall/options',
     'get_vm_firewall_options', ()),
    ('GET', r'/nodes/(?P<node>[^/]+)/network', 'get_node_network', ('type',)),
    ('GET', r'/nodes/(?P<node>[^/]+)/tasks/(?P<upid>[^/]+)/status', 'get_task_status', ()),
]
BOOLEAN_PARAMS = ('current', 'running', 'pending', 'full', 'skiplock', 'force')


class PveApi:
    """Answers API requests from the in-memory Cluster. `options` is the parsed command
    line (numbers_as_strings, pve_version, auth_delay_ms, task_running_polls)."""

    def __init__(self, cluster, tokens, options, fingerprint):
        self.cluster, self.tokens, self.options = cluster, tokens, options
        self.fingerprint = fingerprint
        self.routes = [(m, re.compile('^' + p + '$'), h, a) for m, p, h, a in ROUTES]

    # ---- dispatch ---------------------------------------------------------------------
    def route(self, method, rel_path, params, auth_header):
        """The `data` of the answer to one API request; raises ApiError on failure."""
        token_id = self.tokens.authenticate(auth_header)
        if token_id is None:
            if self.options.auth_delay_ms:
                time.sleep(self.options.auth_delay_ms / 1000.0)
            raise ApiError(401, 'authentication failure\n')
        ctx = AuthContext(self.tokens, token_id)
        for route_method, pattern, handler, allowed in self.routes:
            match = pattern.match(rel_path)
            if not match or route_method != method:
                continue
            args = match.groupdict()
            if 'vmid' in args:
                if not RE_VMID.match(args['vmid']):
                    raise param_error({'vmid': 'value does not look like a valid VM ID'})
                args['vmid'] = int(args['vmid'])
            if allowed is not None:
                self.check_params(params, allowed)
            return getattr(self, handler)(ctx, params, **args)
        # unknown path, or unknown method on a known path: 501 (proxmox.md 5.1)
        raise not_implemented(method, rel_path)

    @staticmethod
    def check_params(params, allowed):
        errors = {}
        for name, value in params.items():
            if name not in allowed:
                errors[name] = ('property is not defined in schema and the schema does not '
                                'allow additional properties')
            elif name in BOOLEAN_PARAMS and parse_boolean(value) is None:
                errors[name] = "type check ('boolean') failed - got '%s'" % value
        if errors:
            raise param_error(errors)

    def config_value_json(self, key, value):
        """Integer-looking values of numeric keys as JSON numbers, unless
        --numbers-as-strings (proxmox.md 5.1: clients must accept both)."""
        if self.options.numbers_as_strings or not isinstance(value, str):
            return value
        base = re.sub(r'\d+$', '', key)
        if (key in INTEGER_KEYS or key in BOOLEAN_KEYS or base in INTEGER_KEYS) \
                and re.match(r'^\d+$', value):
            return int(value)
        if key in NUMBER_KEYS and re.match(r'^\d+(\.\d+)?$', value):
            return float(value) if '.' in value else int(value)
        return value

    def number(self, value):
        return value if self.options.numbers_as_strings or not re.match(r'^\d+$', value) \
            else int(value)

    # ---- cluster / nodes ----------------------------------------------------------------
    def get_version(self, ctx, params):
        version = self.options.pve_version
        return {'version': version, 'release': '.'.join(version.split('.')[:2]),
                'repoid': '14a22df3'}

    def node_entry(self, node):
        return {'node': node, 'id': 'node/' + node, 'type': 'node', 'status': 'online',
                'level': '', 'maxcpu': 16, 'cpu': 0.05, 'maxmem': 64 * 2 ** 30,
                'mem': 12 * 2 ** 30, 'maxdisk': 100 * 2 ** 30, 'disk': 9 * 2 ** 30,
                'uptime': 864000}

    def get_nodes(self, ctx, params):
        return [dict(self.node_entry(node), ssl_fingerprint=self.fingerprint)
                for node in self.cluster.nodes]

    def guest_stats(self, guest):
        """The usual per-guest fields of cluster/resources and qemu lists (5.2)."""
        main = guest.main
        running = guest.vmid in self.cluster.running
        def count(key):
            return int(main[key]) if main.get(key, '').isdigit() else 1
        # effective vCPUs: vcpus if set, else sockets * cores (proxmox.md 3)
        maxcpu = count('vcpus') if 'vcpus' in main else count('cores') * (
            count('sockets') if guest.kind == 'qemu' else 1)
        entry = {'vmid': guest.vmid, 'name': main.get('name', main.get('hostname', '')),
                 'status': 'running' if running else 'stopped',
                 'maxcpu': maxcpu, 'maxmem': memory_mib(main.get('memory')) * 2 ** 20,
                 'maxdisk': 32 * 2 ** 30, 'cpu': 0.02 if running else 0,
                 'mem': (memory_mib(main.get('memory')) * 2 ** 19) if running else 0,
                 'disk': 0, 'uptime': (3600 + guest.vmid) if running else 0,
                 'netin': 0, 'netout': 0, 'diskread': 0, 'diskwrite': 0,
                 'template': 1 if parse_boolean(main.get('template', '0')) == '1' else 0}
        if main.get('tags'):
            entry['tags'] = main['tags']
        if main.get('lock'):
            entry['lock'] = main['lock']
        return entry

    def get_cluster_resources(self, ctx, params):
        """VMs filtered silently by VM.Audit on /vms/<id> (proxmox.md 5.2)."""
        wanted = params.get('type')
        if wanted not in (None, 'vm', 'node', 'storage', 'sdn', 'pool'):
            raise param_error({'type': "value '%s' does not have a value in the enumeration "
                                       "'vm, storage, node, sdn, pool'" % wanted})
        result = []
        if wanted in (None, 'vm'):
            for vmid in sorted(self.cluster.guests):
                guest = self.cluster.guests[vmid]
                if ctx.has('/vms/%d' % vmid, 'VM.Audit'):
                    result.append(dict(self.guest_stats(guest), id='%s/%d' % (guest.kind, vmid),
                                       type=guest.kind, node=guest.node))
        if wanted in (None, 'node'):
            result += [self.node_entry(node) for node in self.cluster.nodes
                       if ctx.has('/nodes/' + node, 'Sys.Audit')]
        return result

    def get_node_qemu(self, ctx, params, node):
        self.cluster.require_node(node)
        result = []
        for vmid, guest in sorted(self.cluster.guests.items()):
            if guest.kind == 'qemu' and guest.node == node and \
                    ctx.has('/vms/%d' % vmid, 'VM.Audit'):
                entry = self.guest_stats(guest)
                entry['cpus'] = entry.pop('maxcpu')
                if not entry['template']:
                    del entry['template']
                if entry['status'] == 'running':
                    entry['pid'] = 10000 + vmid
                result.append(entry)
        return result

    # ---- VM config ----------------------------------------------------------------------
    def get_vm_config(self, ctx, params, node, vmid):
        """Pending values merged in unless current=1; always a digest (proxmox.md 5.2)."""
        ctx.require('/vms/%d' % vmid, 'VM.Audit')
        guest = self.cluster.qemu_guest(node, vmid)
        current = parse_boolean(params.get('current', '0')) == '1'
        snapshot = params.get('snapshot')
        conf = guest.conf
        if snapshot is not None:
            if current:
                raise param_error({'snapshot': "cannot use 'snapshot' parameter with 'current'",
                                   'current': "cannot use 'snapshot' parameter with 'current'"})
            if snapshot not in conf.snapshots:
                raise ApiError(500, "snapshot '%s' does not exist\n" % snapshot)
            result = dict(conf.snapshots[snapshot])
        else:
            result = dict(conf.main)
            if not current:
                result.update((k, v) for k, v in conf.pending.items() if k != 'delete')
                for key in parse_pending_delete(conf.pending.get('delete')):
                    result.pop(key, None)
        if 'cipassword' in result:
            result['cipassword'] = '**********'
        result['digest'] = guest.digest
        return {key: self.config_value_json(key, value) for key, value in result.items()}

    def get_vm_pending(self, ctx, params, node, vmid):
        """[{key, value?, pending?, delete?}], delete 1 or 2 = force (proxmox.md 1.4, 5.2)."""
        ctx.require('/vms/%d' % vmid, 'VM.Audit')
        guest = self.cluster.qemu_guest(node, vmid)
        main = dict(guest.conf.main, digest=guest.digest)
        pending = {k: v for k, v in guest.conf.pending.items() if k != 'delete'}
        deletes = parse_pending_delete(guest.conf.pending.get('delete'))
        result = []
        for key in sorted(set(main) | set(pending) | set(deletes)):
            item = {'key': key}
            if key in main:
                item['value'] = self.config_value_json(key, main[key])
            if key in pending:
                item['pending'] = self.config_value_json(key, pending[key])
            if key in deletes:
                item['delete'] = 2 if deletes[key] else 1
            result.append(item)
        return result

    def put_vm_config(self, ctx, params, node, vmid):
        """Synchronous update: returns null (proxmox.md 5.2, 5.3)."""
        hotplug_errors = self.update_vm_config(ctx, node, vmid, params)
        if hotplug_errors:
            raise param_error(hotplug_errors)
        return None

    def post_vm_config(self, ctx, params, node, vmid):
        """Asynchronous update: returns a qmconfig task UPID (proxmox.md 5.2)."""
        hotplug_errors = self.update_vm_config(ctx, node, vmid, params)
        exitstatus = 'OK' if not hotplug_errors else '; '.join(
            '%s: %s' % item for item in sorted(hotplug_errors.items()))
        return self.cluster.new_task(node, vmid, ctx.token_id, exitstatus)

    def check_config_value(self, key, value):
        """Validate/normalise one new config value; raises ValueError with the message."""
        if key == 'description':
            if len(value) > 8192:                             # proxmox.md 1.3
                raise ValueError('value may only be 8192 characters long')
            return value
        if value == '':
            raise ValueError('value must not be empty')
        if '\n' in value or '\r' in value:
            raise ValueError('value must not contain newlines')
        if key.startswith('net') and key[3:].isdigit():
            # re-parsed and re-printed, random MAC if missing (proxmox.md 2.2, 2.3, 5.3)
            try:
                with self.cluster.lock:
                    return print_net(parse_net(value, self.cluster.rng))
            except NetFormatError as err:
                raise ValueError('invalid format - %s' % err)
        if key in BOOLEAN_KEYS:
            normalised = parse_boolean(value)
            if normalised is None:
                raise ValueError("type check ('boolean') failed - got '%s'" % value)
            return normalised
        if key in INTEGER_KEYS and key != 'memory':
            if not re.match(r'^[+-]?\d+$', value):
                raise ValueError("type check ('integer') failed - got '%s'" % value)
            if key in ('cores', 'sockets', 'vcpus', 'smp') and int(value) < 1:
                raise ValueError('value must have a minimum value of 1')
        if key == 'tags':                                     # proxmox.md 3: tags
            tags = []
            for tag in split_list(value):
                if not RE_TAG.match(tag):
                    raise ValueError("invalid format - invalid tag '%s'" % tag)
                if tag.lower() not in tags:
                    tags.append(tag.lower())
            return ';'.join(sorted(tags))
        return value

    def require_bridge_access(self, ctx, net):
        """SDN.Use on /sdn/zones/<zone>/<bridge>[/<vlan>] (proxmox.md 5.3)."""
        if not net or 'bridge' not in net:
            return
        bridge = net['bridge']
        path = '/sdn/zones/%s/%s' % (self.cluster.vnet_zone(bridge) or 'localnetwork', bridge)
        vlans = [net['tag']] if 'tag' in net else []
        for item in split_list(net.get('trunks', '')):
            low, _, high = item.partition('-')
            vlans += [str(v) for v in range(int(low), int(high or low) + 1)]
        for vlan in vlans or [None]:
            ctx.require(path + ('/' + vlan if vlan else ''), 'SDN.Use')

    def update_vm_config(self, ctx, node, vmid, params):
        """$update_vm_api as in proxmox.md 5.3. Returns hotplug errors (netN -> message)."""
        params = dict(params)
        digest = params.pop('digest', None)
        deletes = split_list(params.pop('delete', ''))
        reverts = split_list(params.pop('revert', ''))
        flags = {name: params.pop(name, None) for name in ('skiplock', 'force')}
        params.pop('background_delay', None)
        errors = {}
        for name, value in flags.items():
            if value is not None and parse_boolean(value) is None:
                errors[name] = "type check ('boolean') failed - got '%s'" % value
        skiplock = parse_boolean(flags['skiplock'] or '0') == '1'
        force = parse_boolean(flags['force'] or '0') == '1'
        for key in params:
            if not config_key_is_valid(key):
                errors[key] = ('property is not defined in schema and the schema does not '
                               'allow additional properties')
        for name, keys in (('delete', deletes), ('revert', reverts)):
            for key in keys:
                if not config_key_is_valid(key):
                    errors[name] = "invalid format - invalid configuration ID '%s'" % key
        if digest is not None and len(digest) > 40:
            errors['digest'] = 'value may only be 40 characters long'
        if errors:
            raise param_error(errors)
        if skiplock and ctx.user != 'root@pam':
            raise param_error({'skiplock': 'Only root may use this option.'})
        new_values = {}
        for key, value in params.items():
            try:
                new_values[key] = self.check_config_value(key, value)
            except ValueError as err:
                errors[key] = str(err)
        for key in deletes:
            if key in params:
                errors['delete'] = "you can't use '-%s' and -delete %s' at the same time" % (
                    key, key)
            if key in reverts:
                errors['revert'] = "you can't use '-delete %s' and '-revert %s' at the same " \
                                   "time" % (key, key)
        for key in reverts:
            if key in params:
                errors['revert'] = "you can't use '-revert %s' and '-%s' at the same time" % (
                    key, key)
        if errors:
            raise param_error(errors)
        if not new_values and not deletes and not reverts:
            raise ApiError(500, 'no options specified\n')
        vm_path = '/vms/%d' % vmid
        for key in list(new_values) + deletes + reverts:
            ctx.require(vm_path, privilege_for_key(key))
        for key, value in new_values.items():
            if key.startswith('net'):
                self.require_bridge_access(ctx, parse_net_lenient(value))
        with self.cluster.lock:
            guest = self.cluster.qemu_guest(node, vmid)
            if digest and digest != guest.digest:            # proxmox.md 4.4
                raise ApiError(500, 'checksum mismatch (file change by other user?)\n')
            conf = parse_qm_config(guest.raw)            # a working copy
            if conf.main.get('lock') and not skiplock:       # proxmox.md 3: lock
                raise ApiError(500, 'VM is locked (%s)\n' % conf.main['lock'])
            for key in list(new_values) + deletes:           # the old NIC too (5.3)
                if key.startswith('net'):
                    old = conf.pending.get(key, conf.main.get(key))
                    self.require_bridge_access(ctx, parse_net_lenient(old or ''))
            self.write_pending(conf, new_values, deletes, reverts, force)
            if vmid in self.cluster.running:
                hotplug_errors = self.hotplug_pending(conf, vmid)
            else:
                hotplug_errors = {}
                self.apply_pending(conf)
            guest.set_raw(serialise_qm_config(conf))
        return hotplug_errors

    @staticmethod
    def write_pending(conf, new_values, deletes, reverts, force):
        """Every change goes to [PENDING] first, except fast-plug keys (5.3)."""
        pending_deletes = parse_pending_delete(conf.pending.pop('delete', ''))
        for key in deletes:
            if key not in conf.main and key not in conf.pending:
                continue                 # PVE warns "cannot delete ... not set" and goes on
            conf.pending.pop(key, None)
            if key in FAST_PLUG_KEYS:
                conf.main.pop(key, None)
                pending_deletes.pop(key, None)
            else:
                pending_deletes[key] = force
        for key, value in new_values.items():
            pending_deletes.pop(key, None)
            if key in FAST_PLUG_KEYS:
                conf.main[key] = value
                conf.pending.pop(key, None)
            else:
                conf.pending[key] = value
        for key in reverts:
            conf.pending.pop(key, None)
            pending_deletes.pop(key, None)
        if pending_deletes:
            conf.pending['delete'] = print_pending_delete(pending_deletes)

    @staticmethod
    def apply_pending(conf):
        """Stopped VM: all pending entries are applied at once (5.3)."""
        for key in parse_pending_delete(conf.pending.pop('delete', '')):
            conf.main.pop(key, None)
        conf.main.update(conf.pending)
        conf.pending.clear()

    def hotplug_pending(self, conf, vmid):
        """Running VM: apply what can be applied live, keep the rest in [PENDING] (5.3)."""
        features = parse_hotplug(conf.main.get('hotplug'))
        errors = {}

        def allowed(key, value):
            """True = apply now, False = stays pending; may record a hotplug error."""
            base = re.sub(r'\d+$', '', key)
            if base == 'net':
                old = parse_net_lenient(conf.main[key]) if key in conf.main else None
                new = parse_net_lenient(value) if value is not None else None
                if old is not None and new is not None and \
                        ('bridge' in old) == ('bridge' in new) and \
                        all(str(old.get(k, '')).upper() == str(new.get(k, '')).upper()
                            for k in NET_REPLUG_KEYS):
                    return True          # bridge/tag/trunks/firewall/rate/link_down: live
                needed = 'network'
            elif key in LIVE_KEYS:
                return True
            elif key == 'tablet' or base == 'usb':
                needed = 'usb'
            elif key == 'vcpus':
                needed = 'cpu'
            elif key == 'memory':
                needed = 'memory'
            elif base in ('scsi', 'virtio', 'sata'):
                needed = 'disk'
            else:
                return False
            if needed not in features:
                return False
            if vmid in self.cluster.hotplug_fail:
                errors[key] = "hotplug problem - error on hot-unplugging device '%s'" % key
                return False
            return True

        pending_deletes = parse_pending_delete(conf.pending.pop('delete', ''))
        for key in sorted(pending_deletes):
            if key not in conf.main or allowed(key, None):
                conf.main.pop(key, None)
                del pending_deletes[key]
        for key in sorted(conf.pending):
            if allowed(key, conf.pending[key]):
                conf.main[key] = conf.pending.pop(key)
        if pending_deletes:
            conf.pending['delete'] = print_pending_delete(pending_deletes)
        return errors

    # ---- guest agent, firewall ------------------------------------------------------------
    def get_vm_agent_osinfo(self, ctx, params, node, vmid):
        """{"result": {...}} or the assert_agent_available errors (proxmox.md 5.6)."""
        if not (ctx.has('/vms/%d' % vmid, 'VM.GuestAgent.Audit', 'VM.GuestAgent.Unrestricted',
                        'VM.Monitor')):
            ctx.require('/vms/%d' % vmid, 'VM.GuestAgent.Audit')
        guest = self.cluster.qemu_guest(node, vmid)
        if not agent_enabled(guest.main.get('agent')):
            raise ApiError(500, 'No QEMU guest agent configured\n')
        if vmid not in self.cluster.running:
            raise ApiError(500, 'VM %d is not running\n' % vmid)
        info = self.cluster.agent.get(vmid)
        if info is None:
            raise ApiError(500, 'QEMU guest agent is not running\n')
        return {'result': info}

    def firewall_options(self, name):
        text = self.cluster.firewall.get(name, '')
        result = {key: self.number(value)
                  for key, value in parse_firewall_options(text).items()}
        result['digest'] = sha1_hex(text)
        return result

    def get_vm_firewall_options(self, ctx, params, node, vmid):
        ctx.require('/vms/%d' % vmid, 'VM.Audit')
        self.cluster.qemu_guest(node, vmid)
        return self.firewall_options(str(vmid))

    def get_cluster_firewall_options(self, ctx, params):
        ctx.require('/', 'Sys.Audit')
        return self.firewall_options('cluster')

    # ---- node network, SDN ------------------------------------------------------------------
    def get_node_network(self, ctx, params, node):
        """Parsed interfaces; vnets added for any_bridge/vnet (proxmox.md 5.4)."""
        self.cluster.require_node(node)
        wanted = params.get('type')
        entries = [dict(e) for e in self.cluster.interfaces.get(node, [])]
        if wanted in ('any_bridge', 'vnet') and self.cluster.sdn:
            entries += [{'iface': vnet, 'type': 'vnet', 'active': 1, 'zone': props.get('zone')}
                        for _, vnet, props in self.cluster.sdn['vnets']]
        result = []
        for entry in entries:
            if wanted == 'any_bridge' and entry['type'] not in ('bridge', 'OVSBridge', 'vnet'):
                continue
            if wanted not in (None, 'any_bridge') and entry['type'] != wanted:
                continue
            if not ctx.has('/nodes/' + node, 'Sys.Audit', 'Sys.Modify'):
                zone = entry.get('zone') or 'localnetwork'
                if entry['type'] not in ('bridge', 'OVSBridge', 'vnet') or not ctx.has(
                        '/sdn/zones/%s/%s' % (zone, entry['iface']), 'SDN.Audit', 'SDN.Use'):
                    continue
            if 'mtu' in entry:
                entry['mtu'] = self.number(entry['mtu'])
            result.append(entry)
        return result

    def require_sdn(self, rel_path):
        if self.cluster.sdn is None:         # SDN packages absent (proxmox.md 5.5)
            raise not_implemented('GET', rel_path)
        return self.cluster.sdn

    def sdn_object(self, props):
        return {k: (self.number(v) if k in ('mtu', 'tag', 'vlanaware', 'isolate-ports')
                    else v) for k, v in props.items()}

    def get_sdn_zones(self, ctx, params):
        sdn = self.require_sdn('/cluster/sdn/zones')
        result = []
        for zone_type, zone, props in sdn['zones']:
            if params.get('type') not in (None, zone_type):
                continue
            if ctx.has('/sdn/zones/' + zone, 'SDN.Audit', 'SDN.Allocate'):
                result.append(dict(self.sdn_object(props), zone=zone, type=zone_type,
                                   digest=sdn['zones_digest']))
        return result

    def get_sdn_vnets(self, ctx, params):
        sdn = self.require_sdn('/cluster/sdn/vnets')
        result = []
        for _, vnet, props in sdn['vnets']:
            if ctx.has('/sdn/zones/%s/%s' % (props.get('zone'), vnet), 'SDN.Audit',
                       'SDN.Allocate'):
                result.append(dict(self.sdn_object(props), vnet=vnet, type='vnet',
                                   digest=sdn['vnets_digest']))
        return result

    def get_sdn_controllers(self, ctx, params):
        sdn = self.require_sdn('/cluster/sdn/controllers')
        result = []
        for controller_type, name, props in sdn['controllers']:
            if params.get('type') not in (None, controller_type):
                continue
            if ctx.has('/sdn/controllers/' + name, 'SDN.Audit', 'SDN.Allocate'):
                result.append(dict(self.sdn_object(props), controller=name,
                                   type=controller_type, digest=sdn['controllers_digest']))
        return result

    # ---- access -----------------------------------------------------------------------------
    def get_access_permissions(self, ctx, params):
        """The token's effective privileges: {path: {privilege: 1}} for "/" and every
        path it has an ACL on (or only `path`). A token may read its own; another
        user's needs Sys.Audit on /access."""
        userid = params.get('userid', ctx.token_id)
        if userid != ctx.token_id:
            ctx.require('/access', 'Sys.Audit')
        if userid not in self.tokens.tokens:
            raise ApiError(500, "no such user ('%s')\n" % userid)
        entry = self.tokens.tokens[userid]
        paths = [params['path']] if 'path' in params else \
            sorted({'/'} | {p.rstrip('/') or '/' for p in entry.get('acl', {})})
        result = {}
        for path in paths:
            granted = self.tokens.privileges(userid, path)
            if ALL_PRIVILEGES in granted:
                granted = set(KNOWN_PRIVILEGES)
            if granted:
                result[path] = {priv: 1 for priv in sorted(granted)}
        return result

    # ---- tasks ----------------------------------------------------------------------------
    def get_task_status(self, ctx, params, node, upid):
        """{status: running|stopped, exitstatus} (proxmox.md 5.2)."""
        if not RE_UPID.match(upid):
            raise param_error({'upid': 'unable to parse worker upid'})
        with self.cluster.lock:
            task = self.cluster.tasks.get(upid)
            if task is None or task['node'] != node:
                raise ApiError(500, 'no such task\n')
            if task['user'] != ctx.token_id:
                ctx.require('/nodes/' + node, 'Sys.Audit')
            task['polls'] += 1
            result = {k: v for k, v in task.items() if k not in ('polls', 'exitstatus')}
            if task['polls'] <= self.options.task_running_polls:
                result['status'] = 'running'
            else:
                result.update(status='stopped', exitstatus=task['exitstatus'])
        return result
