// How OpenSSH names hosts and key types in its "authenticity of host" question.

/** `host` on port 22, `[host]:port` otherwise, as known_hosts and ssh write it. */
export function sshHostPort(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

const KEY_NAMES: Record<string, string> = {
  'ssh-ed25519': 'ED25519',
  'ssh-rsa': 'RSA',
  'rsa-sha2-256': 'RSA',
  'rsa-sha2-512': 'RSA',
  'ssh-dss': 'DSA',
  'ssh-ed448': 'ED448',
  'sk-ssh-ed25519@openssh.com': 'ED25519-SK',
  'sk-ecdsa-sha2-nistp256@openssh.com': 'ECDSA-SK',
};

/** `ED25519`, `ECDSA`, `RSA`: the word ssh puts before "key fingerprint is". */
export function keyTypeName(keyType: string): string {
  if (keyType.startsWith('ecdsa-sha2-')) return 'ECDSA';
  return KEY_NAMES[keyType] ?? keyType.toUpperCase();
}
