// What a feature (terminals, flows, services) gets from the composition root, and what it gives
// back: its handlers (one per request of its contract part) and a dispose for shutdown.
import type { KindRegistry } from '../../core/flows/kinds/kind';
import type { Db } from '../../core/store/database';
import type { Logger } from '../dispatcher';
import type { Services } from '../handlers';
import type { SshStack } from '../ssh-stack';

export interface FeatureContext {
  readonly db: Db;
  readonly dataDir: string;
  readonly log: Logger;
  /** The resources folder (os-profiles/, flows/, checks/, services/ …). */
  readonly resourcesDir: () => string;
  /** Everything the app already has: hosts, exec (fan-out), hostOs, broker, audit, publish. */
  readonly services: Services;
  readonly ssh: SshStack;
  /** Step kinds of flows: the flows feature runs them, other features register theirs. */
  readonly kinds: KindRegistry;
}

export interface Feature<H> {
  readonly handlers: H;
  dispose?(): void | Promise<void>;
}
