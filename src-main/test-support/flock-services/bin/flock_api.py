#!/usr/bin/python3
"""Small stand-ins for the StarlingX Flock REST APIs, run as systemd units in the test host.

  flock_api.py sysinv   -> 127.0.0.1:$SYSINV_API_PORT (default 6385)
  flock_api.py fm       -> 127.0.0.1:$FM_API_PORT     (default 18002)

Response shapes follow ../../../../shared/reference/starlingx.md section 1.4 (sysinv: GET /, /v1,
/v1/isystems, /v1/ihosts, /v1/ihosts/<id|uuid|hostname>; fm: GET /, /v1, /v1/alarms (with the
q.field/q.value filter), /v1/alarms/<uuid>, /v1/alarms/summary, /v1/event_log).

Auth: when $KEYSTONE_URL is set, every /v1 call needs a valid X-Auth-Token. The token is checked
against that real Keystone with GET /v3/auth/tokens (X-Auth-Token and X-Subject-Token both set
to the caller's token: a user may validate its own token). No or a bad token -> 401 with
keystonemiddleware's body and WWW-Authenticate header; Keystone unreachable -> 503. Without
$KEYSTONE_URL the APIs answer anyone. $KEYSTONE_CA: a CA file to trust for an https Keystone.
Each request is logged to stdout (the journal).

TLS: with $FLOCK_TLS_CERT and $FLOCK_TLS_KEY (PEM files) the API serves HTTPS only.

Type=notify: READY=1 is sent once the socket is listening, so `systemctl start` returns only
when the port answers.
"""
import json
import os
import socket
import ssl
import sys
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SERVICE = sys.argv[1] if len(sys.argv) > 1 else ''
PORTS = {'sysinv': ('SYSINV_API_PORT', 6385), 'fm': ('FM_API_PORT', 18002)}
if SERVICE not in PORTS:
    print(f'usage: flock_api.py sysinv|fm (got {SERVICE!r})', file=sys.stderr, flush=True)
    sys.exit(2)
ENV, DEFAULT_PORT = PORTS[SERVICE]
PORT = int(os.environ.get(ENV) or DEFAULT_PORT)
KEYSTONE = (os.environ.get('KEYSTONE_URL') or '').rstrip('/')
KEYSTONE_CA = os.environ.get('KEYSTONE_CA') or None
TLS_CERT, TLS_KEY = os.environ.get('FLOCK_TLS_CERT'), os.environ.get('FLOCK_TLS_KEY')
HOST = socket.gethostname()
BASE = f"{'https' if TLS_CERT else 'http'}://127.0.0.1:{PORT}"

HOST_UUID = '298d7b2e-6d4b-4b3c-8b0e-3f1f0c6a7d01'
IHOSTS = [{
    'id': 1, 'uuid': HOST_UUID, 'hostname': HOST, 'personality': 'controller',
    'administrative': 'unlocked', 'operational': 'enabled', 'availability': 'available',
    'mgmt_ip': '192.168.204.3', 'mgmt_mac': '08:00:27:3d:c2:fe', 'bm_ip': '', 'bm_type': None,
    'bm_username': None, 'config_status': None,
    'config_applied': '03e22d8d-3ab1-4c4c-a1c4-1b7b5b6e0f11',
    'config_target': '03e22d8d-3ab1-4c4c-a1c4-1b7b5b6e0f11',
    'capabilities': {'Personality': 'Controller-Active', 'stor_function': 'monitor'},
    'uptime': 0, 'task': '', 'action': 'none',
    'links': [{'href': f'{BASE}/v1/ihosts/{HOST_UUID}', 'rel': 'self'},
              {'href': f'{BASE}/ihosts/{HOST_UUID}', 'rel': 'bookmark'}],
}]
ISYSTEMS = [{
    'uuid': '5af4b0b0-8a63-4d53-9f1c-1b1a0b8f2c10', 'name': 'flock-lab', 'system_type': 'All-in-one',
    'system_mode': 'simplex', 'software_version': '24.09', 'region_name': 'RegionOne',
    'description': 'systemd-nspawn test host', 'timezone': 'UTC', 'https_enabled': False,
}]
ALARMS = [
    {'uuid': 'a1f0c2de-0d0e-4b5a-9a57-3b7a3c0f4e01', 'alarm_id': '250.001', 'severity': 'major',
     'alarm_state': 'set', 'alarm_type': 'operational-violation',
     'entity_type_id': 'host', 'entity_instance_id': f'host={HOST}',
     'reason_text': f'{HOST} Configuration is out-of-date.',
     'probable_cause': 'config-out-of-date', 'proposed_repair_action':
     'Administratively lock and unlock host to update config.',
     'service_affecting': False, 'mgmt_affecting': 'warning', 'degrade_affecting': 'False',
     'suppression_status': 'unsuppressed', 'timestamp': '2026-11-01T12:11:10.405609'},
    {'uuid': 'b7c3d9e1-2a4f-4c61-8d2e-5f6a7b8c9d02', 'alarm_id': '100.103', 'severity': 'minor',
     'alarm_state': 'set', 'alarm_type': 'operational-violation',
     'entity_type_id': 'host.memory', 'entity_instance_id': f'host={HOST}.memory=platform',
     'reason_text': 'Memory threshold exceeded ; threshold 80.00%, actual 81.12%',
     'probable_cause': 'threshold-crossed', 'proposed_repair_action': 'Monitor and if condition persists, contact next level of support.',
     'service_affecting': False, 'mgmt_affecting': 'warning', 'degrade_affecting': 'False',
     'suppression_status': 'unsuppressed', 'timestamp': '2026-11-01T12:21:25.237489'},
]
LIST_FIELDS = ('uuid', 'alarm_id', 'severity', 'timestamp', 'entity_instance_id',
               'suppression_status', 'reason_text', 'mgmt_affecting', 'degrade_affecting')
STARTED = time.time()
_valid = {}  # token -> expiry (monotonic)


def log(msg):
    print(f'{SERVICE}-api: {msg}', flush=True)


def check_token(token):
    """None when allowed, else (status, body, headers)."""
    if not KEYSTONE:
        return None
    unauth = (401, {'error': {'code': 401, 'title': 'Unauthorized',
                              'message': 'The request you have made requires authentication.'}},
              {'WWW-Authenticate': f'Keystone uri="{KEYSTONE}"'})
    if not token:
        return unauth
    if _valid.get(token, 0) > time.monotonic():
        return None
    req = urllib.request.Request(f'{KEYSTONE}/v3/auth/tokens?nocatalog',
                                 headers={'X-Auth-Token': token, 'X-Subject-Token': token})
    try:
        ctx = ssl.create_default_context(cafile=KEYSTONE_CA) if KEYSTONE_CA else None
        with urllib.request.urlopen(req, timeout=5, context=ctx) as r:
            if r.status == 200:
                _valid[token] = time.monotonic() + 30
                return None
    except urllib.error.HTTPError as e:
        if e.code in (401, 403, 404):
            return unauth
        log(f'keystone answered {e.code} while validating a token')
    except OSError as e:
        log(f'keystone unreachable while validating a token: {e}')
    return (503, {'error': {'code': 503, 'title': 'Service Unavailable',
                            'message': 'The Keystone service is temporarily unavailable.'}}, {})


def version_doc(path):
    links = [{'href': f'{BASE}/v1/', 'rel': 'self'}]
    if SERVICE == 'sysinv':
        doc = {'id': 'v1', 'links': links, 'media_types': [
            {'base': 'application/json', 'type': 'application/vnd.openstack.sysinv.v1+json'}]}
        for r in ('ihosts', 'isystems'):
            doc[r] = [{'href': f'{BASE}/v1/{r}/', 'rel': 'self'}]
    else:
        doc = {'id': 'v1', 'links': links, 'media_types': [
            {'base': 'application/json', 'type': 'application/vnd.openstack.fm.v1+json'}]}
        for r in ('alarms', 'event_log', 'event_suppression'):
            doc[r] = [{'href': f'{BASE}/v1/{r}/', 'rel': 'self'}]
    if path == '/':
        name = 'Stx System API' if SERVICE == 'sysinv' else 'Fault Management API'
        return 200, {'name': name, 'description': f'{name} (Flock test service)',
                     'versions': [{'id': 'v1', 'links': links}], 'default_version': {'id': 'v1', 'links': links}}
    return 200, doc


def not_found(path):
    return 404, {'error_message': json.dumps({'faultstring': f'Resource {path} could not be found.',
                                              'faultcode': 'Client', 'debuginfo': None})}


def sysinv(path, query):
    if path == '/v1/ihosts':
        hosts = [dict(h, uptime=int(time.time() - STARTED)) for h in IHOSTS]
        return 200, {'ihosts': hosts}
    if path.startswith('/v1/ihosts/'):
        key = path.split('/')[3]
        for h in IHOSTS:
            if key in (str(h['id']), h['uuid'], h['hostname']):
                return 200, dict(h, uptime=int(time.time() - STARTED))
        return not_found(path)
    if path == '/v1/isystems':
        return 200, {'isystems': ISYSTEMS}
    return not_found(path)


def fm(path, query):
    if path == '/v1/alarms':
        alarms = ALARMS
        field, value = query.get('q.field', []), query.get('q.value', [])
        for f, v in zip(field, value):
            alarms = [a for a in alarms if str(a.get(f)) == v]
        return 200, {'ialarms': [{k: a[k] for k in LIST_FIELDS} for a in alarms]}
    if path == '/v1/alarms/summary':
        count = lambda s: sum(1 for a in ALARMS if a['severity'] == s)
        summary = {'critical': count('critical'), 'major': count('major'),
                   'minor': count('minor'), 'warnings': count('warning')}
        status = 'critical' if summary['critical'] else 'degraded' if summary['major'] else 'OK'
        return 200, dict(summary, status=status)
    if path.startswith('/v1/alarms/'):
        uuid = path.split('/')[3]
        for a in ALARMS:
            if a['uuid'] == uuid:
                return 200, a
        return not_found(path)
    if path == '/v1/event_log':
        return 200, {'event_log': [dict(a, state='set', event_log_id=a['alarm_id']) for a in ALARMS]}
    return not_found(path)


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = f'flock-{SERVICE}/1.0'

    def handle(self):
        if isinstance(self.request, ssl.SSLSocket):
            try:
                self.request.do_handshake()  # in this thread, not in the accept loop
            except (ssl.SSLError, OSError) as e:
                log(f'{self.client_address[0]} TLS handshake failed: {e}')
                return
        super().handle()

    def reply(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlsplit(self.path)
        path = url.path.rstrip('/') or '/'
        if path in ('/', '/v1'):
            return self.reply(*version_doc(path))
        denied = check_token(self.headers.get('X-Auth-Token'))
        if denied:
            return self.reply(*denied)
        handler = sysinv if SERVICE == 'sysinv' else fm
        self.reply(*handler(path, parse_qs(url.query)))

    def do_POST(self):
        self.reply(405, {'error_message': 'read-only Flock test service'})

    do_PUT = do_PATCH = do_DELETE = do_POST

    def log_message(self, fmt, *args):
        log(f'{self.address_string()} {fmt % args}')


def notify_ready():
    addr = os.environ.get('NOTIFY_SOCKET')
    if not addr:
        return
    if addr.startswith('@'):
        addr = '\0' + addr[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
        s.connect(addr)
        s.sendall(b'READY=1')


def main():
    ThreadingHTTPServer.allow_reuse_address = True
    server = ThreadingHTTPServer(('127.0.0.1', PORT), Handler)
    if TLS_CERT:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(TLS_CERT, TLS_KEY)
        server.socket = ctx.wrap_socket(server.socket, server_side=True,
                                        do_handshake_on_connect=False)
    auth = f'tokens checked against {KEYSTONE}' if KEYSTONE else 'no authentication'
    log(f"listening on 127.0.0.1:{PORT} ({'https' if TLS_CERT else 'http'}, {auth})")
    notify_ready()
    server.serve_forever()


if __name__ == '__main__':
    main()
