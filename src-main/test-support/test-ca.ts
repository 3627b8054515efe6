// Test support: a private certificate authority and a server certificate for 127.0.0.1 and
// localhost, made with the real `openssl` CLI, for the TLS variants of the Keystone and Flock
// test-service fixtures (checks that trust a custom CA, and the TLS-error cases: an untrusted
// CA, a wrong host name). Everything lives in `dir`; nothing touches the system trust store.
//
//   const ca = await makeTestCa(dir);  // ca.caPath (PEM), ca.certPath, ca.keyPath (server)
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCa {
  /** The CA certificate (PEM): what a client trusts. */
  readonly caPath: string;
  /** The server certificate (PEM, SAN IP:127.0.0.1, DNS:localhost), signed by the CA. */
  readonly certPath: string;
  /** The server's private key (PEM, unencrypted). */
  readonly keyPath: string;
}

export async function makeTestCa(dir: string, name = 'stx-lab'): Promise<TestCa> {
  const p = (f: string): string => join(dir, `${name}-${f}`);
  const days = ['-days', '2'];
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', [
    ...['req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.pem'), ...days],
    ...['-subj', `/CN=${name} test CA`],
    ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'],
  ]);
  await run('openssl', [
    ...['req', ...ec, '-keyout', p('server.key'), '-out', p('server.csr')],
    ...['-subj', '/CN=127.0.0.1'],
  ]);
  const ext = p('server.ext');
  writeFileSync(
    ext,
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
  );
  await run('openssl', [
    ...['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key')],
    ...['-CAcreateserial', '-out', p('server.pem'), ...days, '-extfile', ext],
  ]);
  return { caPath: p('ca.pem'), certPath: p('server.pem'), keyPath: p('server.key') };
}
