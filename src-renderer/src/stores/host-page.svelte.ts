// One host's page: its OS facts, its installed packages (filtered in place), and install/remove
// operations with their streamed output. Loaded again whenever the page shows another host.
import type {
  HostDetection,
  OperationResultDto,
  PackageProgressDto,
  PackageRecordDto,
} from '@shared/models/readiness';

import { backend } from '../platform/backend';
import { errorMessage } from './errors';

export type PackageAction = 'install' | 'remove';

/** Output lines kept in the log panel. */
const LOG_LIMIT = 5000;

export interface LogLine {
  readonly id: number;
  readonly text: string;
  readonly stream: 'stdout' | 'stderr' | 'info';
}

export class HostPageStore {
  host = $state('');
  detection = $state.raw<HostDetection | null>(null);
  detectError = $state('');
  detecting = $state(false);
  packages = $state.raw<PackageRecordDto[]>([]);
  packagesLoaded = $state(false);
  packagesError = $state('');
  filter = $state('');
  readonly shown: PackageRecordDto[] = $derived(filterPackages(this.packages, this.filter));

  /** The operation in progress or last finished. */
  action = $state<PackageAction | null>(null);
  busy = $state(false);
  log = $state.raw<LogLine[]>([]);
  result = $state.raw<OperationResultDto | null>(null);
  operationError = $state('');
  #generation = 0;
  #lineId = 0;

  /** Shows `host`: detection and packages are asked for again. */
  open(host: string): void {
    if (host === this.host && (this.detection || this.detecting)) return;
    this.host = host;
    this.filter = '';
    this.detection = null;
    this.packages = [];
    this.packagesLoaded = false;
    this.log = [];
    this.result = null;
    this.operationError = '';
    this.action = null;
    void this.reload();
  }

  async reload(): Promise<void> {
    const generation = ++this.#generation;
    const host = this.host;
    this.detecting = true;
    this.detectError = '';
    this.packagesError = '';
    const detect = backend.call('hosts.detect', { host }).then(
      (d) => {
        if (generation === this.#generation) this.detection = d;
      },
      (err: unknown) => {
        if (generation === this.#generation) this.detectError = errorMessage(err);
      },
    );
    const list = this.#loadPackages(generation);
    await Promise.all([detect, list]);
    if (generation === this.#generation) this.detecting = false;
  }

  async #loadPackages(generation: number): Promise<void> {
    try {
      const rows = await backend.call('packages.list', { host: this.host });
      if (generation !== this.#generation) return;
      this.packages = rows;
      this.packagesLoaded = true;
    } catch (err) {
      if (generation === this.#generation) this.packagesError = errorMessage(err);
    }
  }

  /** Installs or removes `names` (the person has confirmed); output streams into `log`. */
  async change(action: PackageAction, names: string[]): Promise<boolean> {
    this.action = action;
    this.busy = true;
    this.log = [];
    this.result = null;
    this.operationError = '';
    const method = action === 'install' ? 'packages.install' : 'packages.remove';
    try {
      this.result = await backend.call(
        method,
        { host: this.host, names },
        { onChunk: (chunk) => this.#progress(chunk) },
      );
      if (this.result.exitCode === 0) await this.#loadPackages(this.#generation);
      return this.result.exitCode === 0;
    } catch (err) {
      this.operationError = errorMessage(err);
      return false;
    } finally {
      this.busy = false;
    }
  }

  #progress(chunk: PackageProgressDto): void {
    const line: LogLine =
      chunk.phase === 'output'
        ? { id: ++this.#lineId, text: chunk.line ?? '', stream: chunk.stream ?? 'stdout' }
        : {
            id: ++this.#lineId,
            text: chunk.phase === 'start' ? `$ ${chunk.argv.join(' ')}` : 'done',
            stream: 'info',
          };
    const next = [...this.log, line];
    this.log = next.length > LOG_LIMIT ? next.slice(-LOG_LIMIT) : next;
  }
}

export function filterPackages(
  rows: readonly PackageRecordDto[],
  filter: string,
): PackageRecordDto[] {
  const q = filter.trim().toLowerCase();
  return q ? rows.filter((r) => r.name.toLowerCase().includes(q)) : [...rows];
}

export const hostPage = new HostPageStore();
