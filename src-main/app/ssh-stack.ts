// Builds the SSH side of the app once: host-key checking against the OpenSSH files and the
// app's own known_hosts, the connection pool, and one executor that also serves localhost.
import { homedir } from 'node:os';
import { join } from 'node:path';

import { RoutingExecutor } from '../core/fanout/routing-executor';
import type { HostsService } from '../core/inventory/hosts-service';
import { hostPasswordRef, type SecretStore } from '../core/secrets/secret-store';
import { HostKeyStore } from '../core/ssh/host-key-store';
import { KnownHostsVerifier } from '../core/ssh/known-hosts';
import { LocalExecutor } from '../core/ssh/local-exec';
import { SshPool } from '../core/ssh/pool';
import type { PromptBroker } from '../core/ssh/prompt-broker';
import { SshExecutor } from '../core/ssh/ssh-exec';
import type {
  CredentialPrompter,
  HostKeyCheck,
  SshTarget,
  UnknownKeyDecision,
} from '../core/ssh/types';
import type { AuditLog } from '../core/store/audit';

export interface SshStackOptions {
  readonly dataDir: string;
  readonly audit: AuditLog;
  readonly secrets: SecretStore;
  readonly hosts: HostsService;
  readonly broker: PromptBroker;
  readonly actor: string;
  /** Replaces ~/.ssh/known_hosts (the CLI's --known-hosts). */
  readonly userKnownHosts?: string;
  /** Replaces asking the person (the CLI: refuse, or --accept-new). */
  readonly decideUnknown?: (target: SshTarget, check: HostKeyCheck) => Promise<boolean>;
  readonly prompter?: CredentialPrompter;
}

export interface SshStack {
  readonly executor: RoutingExecutor;
  readonly pool: SshPool;
  readonly verifier: KnownHostsVerifier;
  readonly keyStore: HostKeyStore;
  dispose(): Promise<void>;
}

export function createSshStack(o: SshStackOptions): SshStack {
  const userFile = o.userKnownHosts ?? join(homedir(), '.ssh', 'known_hosts');
  const systemFile = '/etc/ssh/ssh_known_hosts';
  const appFile = join(o.dataDir, 'known_hosts');
  const verifier = new KnownHostsVerifier({ files: [userFile, systemFile, appFile] });
  const keyStore = new HostKeyStore({ file: appFile, otherFiles: [userFile, systemFile] });
  const audit = (entry: Parameters<AuditLog['record']>[0]): void => o.audit.record(entry);
  // Passwords typed during this process, for hosts whose password is not stored.
  const typed = new Map<string, string>();

  const decideUnknown: UnknownKeyDecision = async (target, check, keyBlob) => {
    const otherTypes = (check as { otherTypes?: readonly string[] }).otherTypes ?? [];
    const yes = o.decideUnknown
      ? await o.decideUnknown(target, check)
      : await o.broker.hostKey({
          host: target.host,
          port: target.port,
          keyType: check.keyType,
          fingerprint: check.fingerprint,
          otherTypes: [...otherTypes],
        });
    if (yes) {
      keyStore.trust(target.host, target.port, keyBlob);
      audit({
        actor: o.actor,
        action: 'hostkey.trust',
        target: target.name,
        detail: {
          host: `${target.host}:${target.port}`,
          key: `${check.keyType} ${check.fingerprint}`,
        },
      });
    }
    return yes;
  };

  const prompter: CredentialPrompter = o.prompter ?? {
    async password(target) {
      const host = o.hosts.findByName(target.name);
      const stored = host ? o.secrets.get(hostPasswordRef(host.id)) : undefined;
      if (stored !== undefined) return stored;
      const key = `${target.user}@${target.host}:${target.port}`;
      const cached = typed.get(key);
      if (cached !== undefined) return cached;
      const [value] =
        (await o.broker.credentials({
          host: target.name,
          kind: 'password',
          prompts: [{ prompt: `Password for ${key}`, echo: false }],
        })) ?? [];
      if (value !== undefined) typed.set(key, value);
      return value;
    },
    async passphrase(keyPath) {
      const [value] =
        (await o.broker.credentials({
          host: keyPath,
          kind: 'passphrase',
          prompts: [{ prompt: `Passphrase for ${keyPath}`, echo: false }],
        })) ?? [];
      return value;
    },
    async keyboardInteractive(target, prompts) {
      return o.broker.credentials({ host: target.name, kind: 'keyboard-interactive', prompts });
    },
  };

  const pool = new SshPool({
    hostVerifier: verifier,
    decideUnknown,
    prompter,
    audit,
    actor: o.actor,
    onHostKey: (target, check, accepted) => {
      if (check.status === 'known') return;
      audit({
        actor: o.actor,
        action: accepted ? 'hostkey.accepted' : 'hostkey.refused',
        target: target.name,
        detail: { status: check.status, key: `${check.keyType} ${check.fingerprint}` },
      });
    },
  });
  const executor = new RoutingExecutor({
    local: new LocalExecutor({ audit, actor: o.actor }),
    remote: new SshExecutor(pool),
  });
  return { executor, pool, verifier, keyStore, dispose: () => pool.dispose() };
}
