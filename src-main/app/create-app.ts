// Composition root: builds every service once and exposes them as one dispatcher that
// implements the contract. Each face (Electron IPC, WebSocket, CLI) connects to the same object.
import { KindRegistry } from '../core/flows/kinds/kind';
import type { FlowsService } from '../core/flows/service';
import { AuditLog } from '../core/store/audit';
import { openStore, type Db } from '../core/store/database';
import { ExecService } from '../core/fanout/exec-service';
import { HostsService } from '../core/inventory/hosts-service';
import { HostOsService } from '../core/readiness/service';
import { findResourcesDir } from '../core/readiness/resources';
import { PromptBroker } from '../core/ssh/prompt-broker';
import { MemorySecretStore, type SecretStore } from '../core/secrets/secret-store';
import type { Handlers } from '../shared/contract-kit';
import { contract, type AppContract } from '../shared/contract';
import type { AppInfo, Face } from '../shared/models/app';
import { createDispatcher, type Dispatcher, type Logger } from './dispatcher';
import { createHandlers, type Services } from './handlers';
import { createFlowsFeature } from './features/flows';
import { createServicesFeature } from './features/services';
import { createTerminalsFeature } from './features/terminals';
import type { FeatureContext } from './features/types';
import { createSshStack, type SshStack, type SshStackOptions } from './ssh-stack';
import { APP_NAME, APP_VERSION } from './version';

export interface AppOptions {
  readonly dataDir: string;
  readonly face: Face;
  readonly log?: Logger;
  readonly nativeBinding?: string | undefined;
  /** Builds the secret store once the database is open; default: memory only. */
  readonly secrets?: (db: Db) => SecretStore;
  /** CLI overrides: its own known_hosts file, and its own answers to prompts. */
  readonly ssh?: Pick<SshStackOptions, 'userKnownHosts' | 'decideUnknown' | 'prompter'>;
  /**
   * The resources folder (os-profiles/, package-map.yaml, readiness/, manifests/). Default:
   * found by walking up from the running module (sources and built bundle alike), or
   * $STX_LAB_RESOURCES; see core/readiness/resources.ts.
   */
  readonly resourcesDir?: string;
}

export interface App {
  readonly dispatcher: Dispatcher<AppContract>;
  readonly hosts: HostsService;
  readonly exec: ExecService;
  readonly hostOs: HostOsService;
  /** Flow runs (the CLI's `run` / `runs` use it directly: another inventory, live events). */
  readonly flows: FlowsService;
  /** What the handlers are built from (tests build dispatchers of their own on it). */
  readonly services: Services;
  readonly ssh: SshStack;
  /** Every handler of the contract (core and features), as the app's dispatcher uses them. */
  readonly handlers: Handlers<AppContract>;
  readonly info: () => AppInfo;
  readonly log: Logger;
  close(): void;
}

export const consoleLogger: Logger = {
  info: (m) => console.log(`[stx-lab] ${m}`),
  warn: (m) => console.warn(`[stx-lab] warning: ${m}`),
  error: (m) => console.error(`[stx-lab] error: ${m}`),
};

const MEMORY_NOTE =
  'Passwords are kept in memory for this session only; you will be asked again after a restart.';

export function createApp(options: AppOptions): App {
  const log = options.log ?? consoleLogger;
  const store = openStore(options.dataDir, { nativeBinding: options.nativeBinding });
  if (store.notice) {
    log.warn(
      `the database could not be used (${store.notice.reason}); it was moved to ` +
        `${store.notice.movedTo} and a new one was created`,
    );
  }
  const secrets = options.secrets?.(store.db) ?? new MemorySecretStore(MEMORY_NOTE);
  const audit = new AuditLog(store.db);
  const hosts = new HostsService(store.db, secrets, audit);
  const info = (): AppInfo => ({
    name: APP_NAME,
    version: APP_VERSION,
    face: options.face,
    dataDir: options.dataDir,
    secretStore: secrets.info,
    storeNotice: store.notice,
  });
  // The dispatcher needs the handlers and the handlers publish through the dispatcher.
  const publish: Services['publish'] = (name, payload) => dispatcher.publish(name, payload);
  const broker = new PromptBroker({
    hostKey: (p) => publish('prompt.hostkey', { ...p, otherTypes: [...p.otherTypes] }),
    credentials: (p) =>
      publish('prompt.credentials', { ...p, prompts: p.prompts.map((q) => ({ ...q })) }),
    closed: (id) => publish('prompt.closed', { id }),
  });
  const ssh = createSshStack({
    dataDir: options.dataDir,
    audit,
    secrets,
    hosts,
    broker,
    actor: options.face,
    ...options.ssh,
  });
  const exec = new ExecService(
    { hosts: () => hosts.list(), groups: () => hosts.listGroups() },
    ssh.executor,
  );
  const hostOs = new HostOsService(
    { hosts: () => hosts.list(), groups: () => hosts.listGroups() },
    ssh.executor,
    options.resourcesDir ?? (() => findResourcesDir()),
  );
  const services: Services = { info, hosts, exec, broker, ssh, audit, hostOs, publish };
  const resourcesDir = (): string => options.resourcesDir ?? findResourcesDir();
  const featureContext: FeatureContext = {
    db: store.db,
    dataDir: options.dataDir,
    log,
    resourcesDir,
    services,
    ssh,
    kinds: new KindRegistry(),
  };
  const terminals = createTerminalsFeature(featureContext);
  const flows = createFlowsFeature(featureContext);
  const servicesFeature = createServicesFeature(featureContext);
  const features = [terminals, flows, servicesFeature];
  const handlers: Handlers<AppContract> = {
    ...createHandlers(services),
    ...terminals.handlers,
    ...flows.handlers,
    ...servicesFeature.handlers,
  };
  const dispatcher: Dispatcher<AppContract> = createDispatcher(contract, handlers, log);
  return {
    dispatcher,
    hosts,
    exec,
    hostOs,
    flows: flows.service,
    services,
    ssh,
    handlers,
    info,
    log,
    close: () => {
      for (const f of features) void f.dispose?.();
      void ssh.dispose();
      store.db.close();
    },
  };
}
