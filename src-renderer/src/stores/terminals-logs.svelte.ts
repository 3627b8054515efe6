// Recorded terminal sessions: the list (per host), a search across them, and one open log read
// in pages (plain text, escape sequences removed by the server).
import type {
  TerminalLogChunk,
  TerminalLogInfo,
  TerminalLogSearchReport,
} from '@shared/models/terminals';

import { backend } from '../platform/backend';
import { errorMessage } from './errors';

const PAGE = 512 * 1024;

export interface OpenLog {
  readonly info: TerminalLogInfo | undefined;
  readonly id: string;
  readonly text: string;
  readonly nextOffset: number;
  readonly size: number;
  /** Where the search hit that opened it is (byte offset), if any. */
  readonly hitOffset: number | null;
}

export class TerminalLogsStore {
  logs = $state.raw<TerminalLogInfo[]>([]);
  loading = $state(false);
  error = $state('');
  query = $state('');
  results = $state.raw<TerminalLogSearchReport | null>(null);
  searching = $state(false);
  open = $state.raw<OpenLog | null>(null);
  reading = $state(false);

  /** Logs grouped by host, hosts in name order, newest log first. */
  readonly byHost: [string, TerminalLogInfo[]][] = $derived.by(() => {
    const hosts = this.logs
      .map((l) => l.host)
      .filter((h, i, all) => all.indexOf(h) === i)
      .sort((a, b) => a.localeCompare(b));
    return hosts.map((h) => [h, this.logs.filter((l) => l.host === h)]);
  });

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.logs = await backend.call('terminals.logs.list', {});
      this.error = '';
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.loading = false;
    }
  }

  async search(): Promise<void> {
    const query = this.query.trim();
    if (query === '') {
      this.results = null;
      return;
    }
    this.searching = true;
    try {
      this.results = await backend.call('terminals.logs.search', { query });
      this.error = '';
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.searching = false;
    }
  }

  /** Opens a log from its start (or from a search hit: the page holding it). */
  async view(id: string, hitOffset: number | null = null): Promise<void> {
    this.reading = true;
    try {
      const chunk = await this.#read(id, 0);
      this.open = {
        info: this.logs.find((l) => l.id === id),
        id,
        text: chunk.content,
        nextOffset: chunk.nextOffset,
        size: chunk.size,
        hitOffset,
      };
      // A hit further in: keep reading until the page that holds it.
      while (
        hitOffset !== null &&
        this.open.nextOffset <= hitOffset &&
        this.open.nextOffset < this.open.size
      ) {
        await this.more();
      }
      this.error = '';
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.reading = false;
    }
  }

  async more(): Promise<void> {
    const open = this.open;
    if (!open || open.nextOffset >= open.size) return;
    const chunk = await this.#read(open.id, open.nextOffset);
    this.open = {
      ...open,
      text: open.text + chunk.content,
      nextOffset: chunk.nextOffset,
      size: chunk.size,
    };
  }

  async remove(id: string): Promise<void> {
    try {
      await backend.call('terminals.logs.delete', { id });
      if (this.open?.id === id) this.open = null;
      await this.load();
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  #read(id: string, offset: number): Promise<TerminalLogChunk> {
    return backend.call('terminals.logs.read', { id, offset, limit: PAGE, format: 'text' });
  }
}

export const terminalLogs = new TerminalLogsStore();
