// File transfer over SFTP with progress, cancel and a sha256 check: the file lands under a
// temporary name, is checked (local sha256 vs. `sha256sum` run remotely through the quoting
// helper) and only then renamed into place, so a partial or corrupt file is never visible.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';

import type { SFTPWrapper } from 'ssh2';

import { AppError } from '../../shared/errors';
import type { SshConnection } from './connection';
import type { SshPool } from './pool';
import type { Executor, SshTarget } from './types';

export interface TransferOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (bytes: number, total: number) => void;
  /** Compare sha256 of both sides before the file is renamed into place (default true). */
  readonly verify?: boolean;
}

export interface TransferResult {
  readonly bytes: number;
  /** Hex sha256 of the file (both sides, when verified). */
  readonly sha256: string;
  readonly durationMs: number;
}

function openSftp(conn: SshConnection): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) =>
    conn.client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp))),
  );
}

async function localSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const tmpName = (path: string, sep: 'posix' | 'local'): string => {
  const suffix = `.stx-part-${randomBytes(4).toString('hex')}`;
  return sep === 'posix'
    ? posix.join(posix.dirname(path), `.${posix.basename(path)}${suffix}`)
    : join(dirname(path), `.${basename(path)}${suffix}`);
};

export class SshFiles {
  constructor(
    private readonly pool: SshPool,
    private readonly executor: Executor,
  ) {}

  async upload(
    target: SshTarget,
    localPath: string,
    remotePath: string,
    options: TransferOptions = {},
  ): Promise<TransferResult> {
    const t0 = Date.now();
    const total = (await stat(localPath)).size;
    const tmp = tmpName(remotePath, 'posix');
    const localHash = localSha256(localPath);
    localHash.catch(() => {});
    await this.withSftp(target, options, 'upload', async (sftp, onAbort) => {
      await new Promise<void>((resolve, reject) => {
        onAbort(() =>
          reject(
            new AppError('cancelled', `upload to ${target.name} cancelled`, { host: target.name }),
          ),
        );
        sftp.fastPut(
          localPath,
          tmp,
          { concurrency: 64, chunkSize: 32768, step: (done) => options.onProgress?.(done, total) },
          (err) =>
            err ? reject(this.transferError(target, 'upload', remotePath, err)) : resolve(),
        );
      });
    }).catch(async (err: unknown) => {
      await this.removeRemote(target, tmp);
      throw err;
    });
    const sha256 = await localHash;
    if (options.verify ?? true) {
      const remote = await this.remoteSha256(target, tmp, options.signal).catch(
        async (err: unknown) => {
          await this.removeRemote(target, tmp);
          throw err;
        },
      );
      if (remote !== sha256) {
        await this.removeRemote(target, tmp);
        throw new AppError(
          'internal',
          `checksum mismatch after upload to ${target.name}:${remotePath}`,
          {
            host: target.name,
            path: remotePath,
            local: sha256,
            remote,
          },
        );
      }
    }
    await this.withSftp(
      target,
      {},
      'rename',
      (sftp) =>
        new Promise<void>((resolve, reject) =>
          sftp.ext_openssh_rename(tmp, remotePath, (err) =>
            err ? reject(this.transferError(target, 'rename', remotePath, err)) : resolve(),
          ),
        ),
    );
    this.audit(target, 'ssh.upload', {
      local: localPath,
      remote: remotePath,
      bytes: total,
      sha256,
    });
    return { bytes: total, sha256, durationMs: Date.now() - t0 };
  }

  async download(
    target: SshTarget,
    remotePath: string,
    localPath: string,
    options: TransferOptions = {},
  ): Promise<TransferResult> {
    const t0 = Date.now();
    const tmp = tmpName(localPath, 'local');
    try {
      await this.withSftp(target, options, 'download', async (sftp, onAbort) => {
        await new Promise<void>((resolve, reject) => {
          onAbort(() =>
            reject(
              new AppError('cancelled', `download from ${target.name} cancelled`, {
                host: target.name,
              }),
            ),
          );
          sftp.fastGet(
            remotePath,
            tmp,
            {
              concurrency: 64,
              chunkSize: 32768,
              step: (done, _c, all) => options.onProgress?.(done, all),
            },
            (err) =>
              err ? reject(this.transferError(target, 'download', remotePath, err)) : resolve(),
          );
        });
      });
      const sha256 = await localSha256(tmp);
      if (options.verify ?? true) {
        const remote = await this.remoteSha256(target, remotePath, options.signal);
        if (remote !== sha256) {
          throw new AppError(
            'internal',
            `checksum mismatch after download of ${target.name}:${remotePath}`,
            {
              host: target.name,
              path: remotePath,
              local: sha256,
              remote,
            },
          );
        }
      }
      const total = (await stat(tmp)).size;
      await rename(tmp, localPath);
      this.audit(target, 'ssh.download', {
        local: localPath,
        remote: remotePath,
        bytes: total,
        sha256,
      });
      return { bytes: total, sha256, durationMs: Date.now() - t0 };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /** Hex sha256 of a remote file, through `sha256sum` on stdin (no filename escaping games). */
  async remoteSha256(target: SshTarget, remotePath: string, signal?: AbortSignal): Promise<string> {
    const r = await this.executor.exec(target, {
      argv: ['sh', '-c', 'exec sha256sum < "$1"', 'stx-sha256', remotePath],
      ...(signal ? { signal } : {}),
    });
    const hex = /^([0-9a-f]{64})\b/.exec(r.stdout)?.[1];
    if (r.exitCode !== 0 || !hex) {
      throw new AppError(
        'unavailable',
        `cannot checksum ${target.name}:${remotePath}: ${r.stderr.trim() || `exit ${r.exitCode}`}`,
        {
          host: target.name,
          path: remotePath,
        },
      );
    }
    return hex;
  }

  private async withSftp<T>(
    target: SshTarget,
    options: TransferOptions,
    what: string,
    work: (sftp: SFTPWrapper, onAbort: (cb: () => void) => void) => Promise<T>,
  ): Promise<T> {
    const lease = await this.pool.channel(
      target,
      openSftp,
      options.signal ? { signal: options.signal } : {},
    );
    const sftp = lease.value;
    const signal = options.signal;
    let abortCb: (() => void) | undefined;
    const onAbort = (): void => {
      abortCb?.();
      sftp.end(); // stops fastPut/fastGet; their callbacks fail
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted)
        throw new AppError('cancelled', `${what} cancelled`, { host: target.name });
      return await work(sftp, (cb) => (abortCb = cb));
    } finally {
      signal?.removeEventListener('abort', onAbort);
      sftp.end();
      lease.release();
    }
  }

  private transferError(target: SshTarget, what: string, path: string, err: Error): AppError {
    return new AppError('unavailable', `${what} ${target.name}:${path} failed: ${err.message}`, {
      host: target.name,
      path,
      cause: err.message,
    });
  }

  private async removeRemote(target: SshTarget, path: string): Promise<void> {
    await this.executor.exec(target, { argv: ['rm', '-f', '--', path] }).catch(() => undefined);
  }

  private audit(target: SshTarget, action: string, detail: Record<string, unknown>): void {
    this.pool.audit({
      actor: this.pool.actor,
      action,
      target: target.name,
      detail: { host: `${target.host}:${target.port}`, user: target.user, ...detail },
    });
  }
}
