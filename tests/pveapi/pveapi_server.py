#!/usr/bin/env python3
"""pveapi_server: a small HTTPS server that imitates the Proxmox VE HTTP API for the tests
of vmnetlint's libcurl client. Python 3 standard library only.

API facts come from research/proxmox.md (sections cited in comments). The data comes from a
pmxcfs-style fixture tree (--fixtures) or is synthesised (--generate). Faults (latency,
resets, truncation, garbage, huge or slow bodies, hangs, error statuses) are injected from
--faults or through the unauthenticated /__control endpoint. See README.md next to this file.
"""

import argparse
import hashlib
import http.server
import io
import json
import os
import random
import re
import select
import signal
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse
from collections import Counter
from http import HTTPStatus

sys.dont_write_bytecode = True          # keep tests/pveapi free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pvemodel as model  # noqa: E402

API_PREFIX = '/api2/json'
CONTROL_PREFIX = '/__control'
MAX_BODY_BYTES = 1024 * 1024
FAULT_ACTIONS = ('status', 'forbid', 'missing', 'reset', 'truncate', 'garbage', 'slow', 'huge',
                 'hang', 'latency')

# --------------------------------------------------------------------------------------
# TLS certificates (proxmox.md 5.8)

def make_cert(directory):
    """Self-signed cert for CN=127.0.0.1 (SAN IP:127.0.0.1, DNS:localhost) via openssl."""
    os.makedirs(directory, exist_ok=True)
    cert, key = os.path.join(directory, 'cert.pem'), os.path.join(directory, 'key.pem')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256',
                    '-days', '30', '-subj', '/CN=127.0.0.1',
                    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
                    '-keyout', key, '-out', cert],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cert, key


def cert_fingerprint(cert_path):
    """SHA-256 of the DER cert, upper-case hex, colon-separated, as PVE shows it (5.8)."""
    with open(cert_path) as handle:
        der = ssl.PEM_cert_to_DER_cert(handle.read())
    return ':'.join('%02X' % byte for byte in hashlib.sha256(der).digest())


# --------------------------------------------------------------------------------------
# --generate N: a deterministic synthetic cluster

GENERATED_INTERFACES = '''auto lo
iface lo inet loopback

iface eno1 inet manual

iface eno2 inet manual
\tmtu 9000

iface eno3 inet manual

iface eno4 inet manual

auto bond0
iface bond0 inet manual
\tbond-slaves eno3 eno4
\tbond-miimon 100
\tbond-mode 802.3ad

auto vmbr0
iface vmbr0 inet static
\taddress 10.0.0.%(octet)d/24
\tgateway 10.0.0.1
\tbridge-ports eno1
\tbridge-stp off
\tbridge-fd 0
\tbridge-vlan-aware yes
\tbridge-vids 2-4094

auto vmbr1
iface vmbr1 inet manual
\tbridge-ports eno2
\tbridge-stp off
\tbridge-fd 0
\tmtu 9000

auto vmbr2
iface vmbr2 inet manual
\tbridge-ports bond0
\tbridge-stp off
\tbridge-fd 0
'''
GENERATED_ZONES = ('vxlan: vxz1\n\tpeers 10.0.0.11,10.0.0.12,10.0.0.13\n\tipam pve\n\n'
                   'vlan: vlz1\n\tbridge vmbr0\n\tipam pve\n')
GENERATED_VNETS = ('vnet: vxnet1\n\tzone vxz1\n\ttag 100000\n\n'
                   'vnet: vlnet20\n\tzone vlz1\n\ttag 20\n')


def generate_tree(count, seed):
    """N VMs over pve1..pve3: firewalls (opnsense;carp, pfsense), Linux, Windows and
    appliances, with and without virtio multiqueue. Same seed, same cluster."""
    rng = random.Random(seed)
    nodes = ['pve1', 'pve2', 'pve3']
    files = {'sdn/zones.cfg': GENERATED_ZONES, 'sdn/vnets.cfg': GENERATED_VNETS,
             'firewall/cluster.fw': '[OPTIONS]\nenable: 1\n'}
    for index, node in enumerate(nodes, 1):
        files['nodes/%s/interfaces' % node] = GENERATED_INTERFACES % {'octet': 10 + index}
    state = {'running': [], 'agent': {}}
    for index in range(count):
        vmid, node = 100 + index, nodes[index % len(nodes)]
        role = rng.choices(['opnsense', 'pfsense', 'linux', 'windows', 'appliance'],
                           weights=[12, 5, 55, 18, 10])[0]
        conf = model.QmConfig()
        main = conf.main
        cores = rng.choice([1, 2, 2, 4, 4, 8])
        main.update({'boot': 'order=scsi0;net0', 'cores': str(cores), 'sockets': '1',
                     'memory': str(rng.choice([1024, 2048, 4096, 8192])),
                     'scsihw': 'virtio-scsi-single',
                     'scsi0': 'local-lvm:vm-%d-disk-0,iothread=1,size=32G' % vmid,
                     'smbios1': 'uuid=%08x-0000-4000-8000-%012x' % (vmid, rng.getrandbits(48)),
                     'name': '%s-%d' % (role, vmid), 'ostype': 'other'})
        nics = []
        if role in ('opnsense', 'pfsense'):
            queues = ',queues=%d' % rng.choice([4, 8]) if rng.random() < 0.6 else ''
            main['tags'] = 'carp;opnsense' if role == 'opnsense' else 'pfsense'
            nics = ['virtio=%s,bridge=vmbr0,firewall=1' + queues,
                    'virtio=%s,bridge=vmbr1' + queues,
                    'virtio=%s,bridge=vmbr0,tag=100' + queues]
            if rng.random() < 0.7:
                main['agent'] = '1'
            if rng.random() < 0.3:
                main['hotplug'] = 'disk,usb'
            main['description'] = 'OPNsense firewall\nCARP pair member' \
                if role == 'opnsense' else 'pfSense'
            files['firewall/%d.fw' % vmid] = '[OPTIONS]\nenable: 1\n' + \
                ('macfilter: 0\n' if rng.random() < 0.5 else '')
        elif role == 'linux':
            main['ostype'] = 'l26'
            bridge = 'vxnet1' if rng.random() < 0.3 else 'vmbr0'
            extra = ',firewall=1' if rng.random() < 0.5 else ''
            extra += ',mtu=1' if rng.random() < 0.1 else ''
            extra += ',queues=%d' % cores if rng.random() < 0.3 else ''
            extra += ',tag=%d' % rng.randint(2, 4094) if bridge == 'vmbr0' and \
                rng.random() < 0.2 else ''
            nics = ['virtio=%s,bridge=' + bridge + extra]
            if rng.random() < 0.6:
                main['agent'] = '1'
        elif role == 'windows':
            main['ostype'] = rng.choice(['win10', 'win11'])
            nics = [rng.choice(['e1000', 'virtio']) + '=%s,bridge=vmbr0,firewall=1']
        else:
            nics = [rng.choice(['vmxnet3', 'rtl8139', 'e1000']) + '=%s,bridge=vmbr2']
        for number, template in enumerate(nics):
            main['net%d' % number] = template % model.random_mac(rng)
        if rng.random() < 0.04:
            main['template'] = '1'
        elif rng.random() < 0.6:
            state['running'].append(vmid)
            if main.get('agent') == '1':
                state['agent'][str(vmid)] = generated_osinfo(role)
        if rng.random() < 0.02:
            main['lock'] = 'backup'
        if rng.random() < 0.05:
            conf.pending['net0'] = main['net0'] + ('' if 'queues' in main['net0']
                                                   else ',queues=2')
        files['nodes/%s/qemu-server/%d.conf' % (node, vmid)] = model.serialise_qm_config(conf)
    files['state.json'] = json.dumps(state)
    return files


def generated_osinfo(role):
    if role in ('opnsense', 'pfsense'):
        return {'id': 'freebsd', 'name': 'FreeBSD', 'pretty-name': 'FreeBSD 14.3-RELEASE-p1',
                'version-id': '14.3', 'kernel-release': '14.3-RELEASE-p1',
                'machine': 'amd64'}
    if role == 'windows':
        return {'id': 'mswindows', 'name': 'Microsoft Windows',
                'pretty-name': 'Windows 10 Pro', 'version-id': '10', 'machine': 'x86_64'}
    return {'id': 'debian', 'name': 'Debian GNU/Linux', 'version-id': '13',
            'pretty-name': 'Debian GNU/Linux 13 (trixie)', 'machine': 'x86_64'}


# --------------------------------------------------------------------------------------
# fault injection

class FaultRule:
    """One rule: {"path": regex, "method"?, "action", "times"?, "every"?, ...action
    parameters}. See README.md for the actions."""

    def __init__(self, spec):
        if not isinstance(spec, dict) or spec.get('action') not in FAULT_ACTIONS:
            raise ValueError('fault rule needs "action", one of %s: %r'
                             % (', '.join(FAULT_ACTIONS), spec))
        self.spec = spec
        self.action = spec['action']
        self.path_re = re.compile(spec.get('path', '.*'))
        self.method = spec.get('method')
        self.times = spec.get('times')
        self.every = spec.get('every')
        self.matched = 0
        self.applied = 0

    def check(self, method, path):
        """Count a matching request; True if the rule applies to it."""
        if self.method and self.method.upper() != method:
            return False
        if not self.path_re.search(path):
            return False
        self.matched += 1
        if self.times is not None and self.applied >= self.times:
            return False
        if self.every and self.matched % int(self.every) != 0:
            return False
        self.applied += 1
        return True


class FaultSet:
    def __init__(self, specs=()):
        self.lock = threading.Lock()
        self.rules = [FaultRule(spec) for spec in specs]

    def replace(self, specs):
        rules = [FaultRule(spec) for spec in specs]
        with self.lock:
            self.rules = rules

    def select(self, method, path):
        """(extra latency in ms, the first applying non-latency rule or None)."""
        extra_ms, chosen = 0, None
        with self.lock:
            for rule in self.rules:
                if chosen is not None and rule.action != 'latency':
                    continue
                if rule.check(method, path):
                    if rule.action == 'latency':
                        extra_ms += int(rule.spec.get('ms', 0))
                    else:
                        chosen = rule
        return extra_ms, chosen

    def describe(self):
        with self.lock:
            return [dict(rule.spec, matched=rule.matched, applied=rule.applied)
                    for rule in self.rules]


class Stats:
    """Request counters for /__control: totals, per path, concurrency, connections."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.requests_total = 0
        self.per_path = Counter()
        self.per_status = Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        self.connections_accepted = 0
        self.connections_used = 0

    def connection_accepted(self):
        with self.lock:
            self.connections_accepted += 1

    def request_started(self, key, first_on_connection):
        with self.lock:
            self.requests_total += 1
            self.per_path[key] += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            if first_on_connection:
                self.connections_used += 1

    def request_finished(self, status):
        with self.lock:
            self.in_flight -= 1
            self.per_status[str(status or 'none')] += 1

    def snapshot(self):
        with self.lock:
            return {'requests_total': self.requests_total, 'per_path': dict(self.per_path),
                    'per_status': dict(self.per_status), 'in_flight': self.in_flight,
                    'max_in_flight': self.max_in_flight,
                    'connections': self.connections_used,
                    'connections_accepted': self.connections_accepted}


# --------------------------------------------------------------------------------------
# the API

def status_phrase(status):
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return 'Error'


class Response:
    def __init__(self, status, body, content_type='application/json;charset=UTF-8',
                 reason=None, headers=()):
        self.status, self.body, self.content_type = status, body, content_type
        self.reason = reason or status_phrase(status)
        self.headers = list(headers)


def json_response(status, payload, reason=None, headers=()):
    return Response(status, json.dumps(payload, sort_keys=True).encode(), reason=reason,
                    headers=headers)


def error_response(status, message, errors=None, headers=()):
    """Error envelope: {"data": null, "message": ..., "errors"?}; the reason phrase
    carries the message too (proxmox.md 5.1)."""
    payload = {'data': None, 'message': message if message.endswith('\n') else message + '\n'}
    if errors:
        payload['errors'] = errors
    return json_response(status, payload, reason=message.strip(), headers=headers)


# --------------------------------------------------------------------------------------
# HTTP layer

class RequestBodyError(Exception):
    pass


class ApiRequestHandler(http.server.BaseHTTPRequestHandler):
    # Answer at once on reused connections: with Nagle on, each response
    # waits for the client's delayed ACK (~40 ms).
    disable_nagle_algorithm = True
    protocol_version = 'HTTP/1.1'               # keep-alive; every response has a length
    server_version = 'pve-api-daemon/3.0'
    sys_version = ''
    timeout = 120                               # idle keep-alive connections

    def setup(self):
        super().setup()
        self.connection_used = False

    def version_string(self):
        return self.server_version

    def do_GET(self):
        self.handle_any('GET')

    def do_POST(self):
        self.handle_any('POST')

    def do_PUT(self):
        self.handle_any('PUT')

    def do_DELETE(self):
        self.handle_any('DELETE')

    def log_request(self, code='-', size='-'):
        pass                                    # logged in handle_any, without the query

    def log_message(self, format, *args):       # noqa: A002 (stdlib signature)
        self.server.log('%s %s' % (self.client_address[0], format % args))

    # ---- request parsing ------------------------------------------------------------------
    def read_body(self):
        if 'chunked' in self.headers.get('Transfer-Encoding', '').lower():
            chunks, total = [], 0
            while True:
                size = int(self.rfile.readline().split(b';')[0].strip() or b'0', 16)
                if size == 0:
                    while self.rfile.readline() not in (b'\r\n', b'\n', b''):
                        pass
                    return b''.join(chunks)
                total += size
                if total > MAX_BODY_BYTES:
                    raise RequestBodyError('request body too large')
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get('Content-Length') or 0)
        if length > MAX_BODY_BYTES:
            raise RequestBodyError('request body too large')
        return self.rfile.read(length) if length > 0 else b''

    def request_params(self, query, body):
        """Query string merged with a form or JSON body (proxmox.md 5.1)."""
        params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
        if body:
            content_type = self.headers.get('Content-Type', '')
            if 'application/json' in content_type:
                data = json.loads(body.decode('utf-8'))
                if not isinstance(data, dict):
                    raise ValueError('JSON body must be an object')
                for key, value in data.items():
                    if isinstance(value, bool):
                        value = '1' if value else '0'
                    elif isinstance(value, list):
                        value = ','.join(str(v) for v in value)
                    if value is not None:
                        params[key] = str(value)
            else:
                params.update(urllib.parse.parse_qsl(body.decode('utf-8'),
                                                     keep_blank_values=True))
        params.pop('_dc', None)                 # ExtJS cache buster, ignored by PVE
        return params

    # ---- main flow ------------------------------------------------------------------------
    def handle_any(self, method):
        app = self.server
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        try:
            body = self.read_body()
        except (RequestBodyError, ValueError) as err:
            self.close_connection = True
            self.send(error_response(413 if isinstance(err, RequestBodyError) else 400,
                                     str(err)))
            return
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + '/'):
            self.handle_control(method, path, body)
            return
        rel_path = path[len(API_PREFIX):] if path.startswith(API_PREFIX + '/') else None
        if rel_path is not None and len(rel_path) > 1:
            rel_path = rel_path.rstrip('/')
        first = not self.connection_used
        self.connection_used = True
        app.stats.request_started('%s %s' % (method, rel_path or path), first)
        status = None
        try:
            status = self.serve_api(method, rel_path, path, url.query, body)
        finally:
            app.stats.request_finished(status)
            app.log('%s "%s %s" %s' % (self.client_address[0], method, path,
                                        status if status else 'no response'))

    def serve_api(self, method, rel_path, path, query, body):
        app = self.server
        extra_ms, rule = app.faults.select(method, rel_path if rel_path is not None else path)
        delay_ms = app.options.latency_ms + extra_ms + random.uniform(0, app.options.jitter_ms)
        if delay_ms > 0:
            app.stop_event.wait(delay_ms / 1000.0)
        action = rule.action if rule else None
        if action == 'reset':
            self.reset_connection()
            return None
        if action == 'hang':
            self.hang(rule.spec)
            return None
        if action == 'huge':
            return self.send_huge(rule.spec)
        if action == 'status':
            status = int(rule.spec.get('status', 500))
            message = rule.spec.get('message') or status_phrase(status)
            headers = [('Retry-After', str(rule.spec['retry_after']))] \
                if 'retry_after' in rule.spec else []
            response = error_response(status, message, headers=headers)
        elif action == 'forbid':
            # a token without the privilege (proxmox.md 5.1: 403 names path and privilege)
            response = error_response(403, 'Permission check failed (%s, %s)' % (
                rule.spec.get('acl_path', '/'), rule.spec.get('privilege', 'Sys.Audit')))
        elif action == 'missing':
            # 501: a path this release does not have (5.1); 404: what a proxy answers
            status = int(rule.spec.get('status', 501))
            response = error_response(status, "Method '%s %s' not implemented" % (
                method, rel_path) if status == 501 else 'Not Found')
        elif action == 'garbage':
            body_text = rule.spec.get('body', '<html><head><title>502 Bad Gateway</title></head>'
                                              '<body><h1>Bad Gateway</h1></body></html>\n')
            response = Response(200, body_text.encode(), rule.spec.get(
                'content_type', 'text/html; charset=utf-8'))
        elif rel_path is None:
            response = error_response(501, "Method '%s %s' not implemented" % (method, path))
        else:
            try:
                params = self.request_params(query, body)
            except (ValueError, UnicodeDecodeError) as err:
                response = error_response(400, 'unable to parse request body: %s' % err)
            else:
                response = self.call_api(method, rel_path, params)
        if action == 'truncate':
            return self.send_truncated(response)
        if action == 'slow':
            return self.send_slowly(response, rule.spec)
        self.send(response)
        return response.status

    def call_api(self, method, rel_path, params):
        try:
            data = self.server.api.route(method, rel_path, params,
                                         self.headers.get('Authorization'))
            return json_response(200, {'data': data})
        except model.ApiError as err:
            return error_response(err.status, err.message, err.errors)
        except Exception as err:  # noqa: BLE001 - any bug becomes a visible 500
            self.server.log('internal error: %s' % traceback.format_exc())
            return error_response(500, 'internal error: %s' % err)

    # ---- response writers -----------------------------------------------------------------
    def send_head(self, response, length):
        reason = re.sub(r'[^\x20-\x7e]', '?', response.reason)[:200]
        self.send_response(response.status, reason)
        self.send_header('Content-Type', response.content_type)
        self.send_header('Content-Length', str(length))
        self.send_header('Cache-Control', 'max-age=0')
        self.send_header('Pragma', 'no-cache')
        for name, value in response.headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header('Connection', 'close')
        self.end_headers()

    def send(self, response):
        self.send_head(response, len(response.body))
        self.wfile.write(response.body)

    def abort_connection(self, linger_zero):
        """Close without a TLS close_notify; with SO_LINGER 0 the peer gets a RST."""
        self.close_connection = True
        try:
            if linger_zero:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack('ii', 1, 0))
            self.wfile.flush()
        except OSError:
            pass
        for stream in (self.wfile, self.rfile, self.connection):
            try:
                stream.close()
            except OSError:
                pass
        # the stdlib flushes and closes these after the request; give it harmless ones
        self.wfile, self.rfile = io.BytesIO(), io.BytesIO()

    def reset_connection(self):
        self.abort_connection(linger_zero=True)

    def send_truncated(self, response):
        """Headers with the full Content-Length, half the body, then close (no RST)."""
        self.send_head(response, len(response.body))
        self.wfile.write(response.body[:len(response.body) // 2])
        self.abort_connection(linger_zero=False)
        return response.status

    def send_slowly(self, response, spec):
        self.send_head(response, len(response.body))
        chunk = max(1, int(spec.get('chunk', 16)))
        delay = int(spec.get('delay_ms', 200)) / 1000.0
        try:
            for offset in range(0, len(response.body), chunk):
                self.wfile.write(response.body[offset:offset + chunk])
                self.wfile.flush()
                if self.server.stop_event.wait(delay):
                    break
        except (OSError, ssl.SSLError):
            self.close_connection = True
        return response.status

    def send_huge(self, spec):
        """A valid JSON body of exactly spec["bytes"] bytes, streamed in 64 KiB pieces and
        never built in memory; stops quietly when the client goes away."""
        total = max(32, int(spec.get('bytes', 1 << 30)))
        prefix = b'{"data":['
        item = b'{"id":"qemu/100","type":"qemu","vmid":100,"node":"pve1","status":"running"},'
        tail_fixed = b'{"pad":""}]}'
        items = max(0, (total - len(prefix) - len(tail_fixed)) // len(item))
        pad = total - len(prefix) - len(tail_fixed) - items * len(item)
        self.send_head(Response(200, b''), total)
        block_items = 65536 // len(item)
        try:
            self.wfile.write(prefix)
            remaining = items
            while remaining > 0:
                if self.server.stop_event.is_set():
                    raise OSError('server stopping')
                count = min(block_items, remaining)
                self.wfile.write(item * count)
                remaining -= count
            self.wfile.write(b'{"pad":"' + b'x' * pad + b'"}]}')
        except (OSError, ssl.SSLError):
            self.abort_connection(linger_zero=False)
        return 200

    def hang(self, spec):
        """Never answer: wait until the client closes, the server stops or spec["ms"]."""
        deadline = time.monotonic() + int(spec['ms']) / 1000.0 if 'ms' in spec else None
        self.close_connection = True
        try:
            self.connection.settimeout(0.5)
            while not self.server.stop_event.is_set():
                if deadline is not None and time.monotonic() >= deadline:
                    break
                readable, _, _ = select.select([self.connection], [], [], 0.25)
                if readable and not self.connection.recv(4096):
                    break                          # the client gave up
        except (OSError, ssl.SSLError, ValueError):
            pass
        self.abort_connection(linger_zero=False)

    # ---- /__control -----------------------------------------------------------------------
    def handle_control(self, method, path, body):
        """No auth. GET: counters and faults. POST: {"faults": [...], "reset_counters":
        bool, "running": [...], "agent": {...}, "hotplug_fail": [...]} or a bare list of
        faults. GET /__control/raw/<vmid>: the config file as stored now."""
        app = self.server
        match = re.match(r'^/__control/raw/(\d+)$', path)
        if method == 'GET' and match:
            guest = app.cluster.guests.get(int(match.group(1)))
            if guest is None:
                self.send(error_response(404, 'no such guest'))
            else:
                self.send(Response(200, guest.raw.encode('utf-8', 'surrogateescape'),
                                   'text/plain; charset=utf-8'))
            return
        if path != CONTROL_PREFIX or method not in ('GET', 'POST'):
            self.send(error_response(404, 'unknown control request'))
            return
        if method == 'POST':
            try:
                request = json.loads(body.decode('utf-8') or '{}')
                if isinstance(request, list):
                    request = {'faults': request}
                if 'faults' in request:
                    app.faults.replace(request['faults'])
                if request.get('reset_counters'):
                    with app.stats.lock:
                        app.stats.reset()
                with app.cluster.lock:
                    app.cluster.set_runtime_state(request)
            except (ValueError, TypeError, AttributeError, re.error) as err:
                self.send(error_response(400, 'bad control request: %s' % err))
                return
        with app.cluster.lock:
            state = {'running': sorted(app.cluster.running),
                     'hotplug_fail': sorted(app.cluster.hotplug_fail)}
        self.send(json_response(200, {'data': dict(app.stats.snapshot(), state=state,
                                                   faults=app.faults.describe())}))


class PveApiServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, options, api, faults, ssl_context):
        self.options, self.api, self.cluster = options, api, api.cluster
        self.faults, self.stats = faults, Stats()
        self.ssl_context = ssl_context
        self.stop_event = threading.Event()
        self.log_lock = threading.Lock()
        super().__init__(('127.0.0.1', options.port), ApiRequestHandler)

    def log(self, message):
        if not self.options.quiet:
            with self.log_lock:
                sys.stderr.write('pveapi_server: %s\n' % message.rstrip())
                sys.stderr.flush()

    def get_request(self):
        request = super().get_request()
        self.stats.connection_accepted()
        return request

    def finish_request(self, request, client_address):
        """TLS handshake in the connection's own thread, so a stuck client blocks nobody."""
        if self.ssl_context is None:
            super().finish_request(request, client_address)
            return
        try:
            request.settimeout(30)
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError) as err:
            self.log('TLS handshake with %s failed: %s' % (client_address[0], err))
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)
        finally:
            tls.close()

    def handle_error(self, request, client_address):
        self.log('connection error from %s: %s' % (client_address[0],
                                                    sys.exc_info()[1]))


# --------------------------------------------------------------------------------------
# command line

def load_tokens(path):
    """--tokens FILE, or one all-privileged token (secret from PVEAPI_TEST_SECRET)."""
    if path:
        with open(path) as handle:
            return json.load(handle)
    secret = os.environ.get('PVEAPI_TEST_SECRET', 'test-secret')
    return {model.DEFAULT_TOKEN_ID: {'secret': secret, 'privs': [model.ALL_PRIVILEGES]}}


def parse_args(argv):
    parser = argparse.ArgumentParser(description='Proxmox VE API imitation for tests.')
    parser.add_argument('--make-cert', metavar='DIR',
                        help='write DIR/cert.pem and DIR/key.pem, print the SHA-256 '
                             'fingerprint and exit')
    data = parser.add_mutually_exclusive_group()
    data.add_argument('--fixtures', metavar='DIR', help='pmxcfs-style fixture tree')
    data.add_argument('--generate', metavar='N', type=int, help='synthesise N VMs')
    parser.add_argument('--seed', type=int, default=1, help='seed for --generate and MACs')
    parser.add_argument('--port', type=int, default=0, help='0 = pick a free port')
    parser.add_argument('--port-file', metavar='FILE', help='write the port here when ready')
    parser.add_argument('--cert', metavar='FILE')
    parser.add_argument('--key', metavar='FILE')
    parser.add_argument('--plain-http', action='store_true', help='no TLS (debugging)')
    parser.add_argument('--tokens', metavar='FILE', help='API tokens JSON')
    parser.add_argument('--faults', metavar='FILE', help='fault rules JSON list')
    parser.add_argument('--latency-ms', type=float, default=0)
    parser.add_argument('--jitter-ms', type=float, default=0)
    parser.add_argument('--auth-delay-ms', type=float, default=0,
                        help='delay failed authentications (real PVE: about 3000)')
    parser.add_argument('--numbers-as-strings', action='store_true',
                        help='numeric config values as JSON strings')
    parser.add_argument('--task-running-polls', type=int, default=0,
                        help='task status says "running" for the first N polls')
    parser.add_argument('--pve-version', default='9.2.11')
    parser.add_argument('--max-seconds', type=float, default=600,
                        help='stop by itself after this long')
    parser.add_argument('--quiet', action='store_true', help='no request log on stderr')
    options = parser.parse_args(argv)
    if not options.make_cert:
        if options.fixtures is None and options.generate is None:
            parser.error('one of --fixtures DIR or --generate N is required')
        if not options.plain_http and not (options.cert and options.key):
            parser.error('--cert and --key are required (or --plain-http)')
    return options


def main(argv=None):
    options = parse_args(sys.argv[1:] if argv is None else argv)
    if options.make_cert:
        cert, _ = make_cert(options.make_cert)
        print(cert_fingerprint(cert))
        return 0
    files = generate_tree(options.generate, options.seed) if options.generate is not None \
        else model.read_fixture_tree(options.fixtures)
    cluster = model.Cluster(files, random.Random(options.seed))
    ssl_context, fingerprint = None, None
    if not options.plain_http:
        ssl_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ssl_context.load_cert_chain(options.cert, options.key)
        fingerprint = cert_fingerprint(options.cert)
    fault_specs = []
    if options.faults:
        with open(options.faults) as handle:
            fault_specs = json.load(handle)
    tokens = model.TokenStore(load_tokens(options.tokens))
    api = model.PveApi(cluster, tokens, options, fingerprint)
    server = PveApiServer(options, api, FaultSet(fault_specs), ssl_context)
    stop = server.stop_event
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.2},
                     daemon=True).start()
    port = server.server_address[1]
    if options.port_file:
        temporary = options.port_file + '.tmp'
        with open(temporary, 'w') as handle:
            handle.write('%d\n' % port)
        os.replace(temporary, options.port_file)
    server.log('listening on %s://127.0.0.1:%d (%d guests on %d nodes)'
               % ('http' if options.plain_http else 'https', port, len(cluster.guests),
                  len(cluster.nodes)))
    deadline = time.monotonic() + options.max_seconds
    while not stop.is_set() and time.monotonic() < deadline:
        stop.wait(min(0.5, max(0.0, deadline - time.monotonic())))
    stop.set()
    server.shutdown()
    server.server_close()
    if options.port_file:
        try:
            os.unlink(options.port_file)
        except OSError:
            pass
    server.log('stopped')
    return 0


if __name__ == '__main__':
    sys.exit(main())
