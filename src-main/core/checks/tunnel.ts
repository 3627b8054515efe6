// `via: host`: every API host:port a run touches gets one local forward (127.0.0.1:0 → that
// host:port, as seen from the SSH host) over the pooled connection; the HTTP client dials the
// forward while keeping the original URL (Host header, TLS name).
import { startLocalForward, type LocalForward } from '../ssh/forward';
import type { SshPool } from '../ssh/pool';
import type { SshTarget } from '../ssh/types';
import type { Dialer } from './http';

export class TunnelSet {
  readonly #forwards = new Map<string, Promise<LocalForward>>();
  readonly errors: string[] = [];

  constructor(
    private readonly pool: SshPool,
    private readonly target: SshTarget,
    private readonly onOpen?: (remote: string, local: string) => void,
  ) {}

  readonly dial: Dialer = async (host, port) => {
    const key = `${host}:${port}`;
    let f = this.#forwards.get(key);
    if (!f) {
      f = startLocalForward(this.pool, this.target, {
        remoteHost: host,
        remotePort: port,
        onError: (e) => this.errors.push(e.message),
      }).then((fw) => {
        this.onOpen?.(key, `${fw.host}:${fw.port}`);
        return fw;
      });
      this.#forwards.set(key, f);
      f.catch(() => this.#forwards.delete(key));
    }
    const fw = await f;
    return { host: fw.host, port: fw.port };
  };

  async close(): Promise<void> {
    const all = [...this.#forwards.values()];
    this.#forwards.clear();
    await Promise.all(all.map((p) => p.then((f) => f.close()).catch(() => undefined)));
  }
}
