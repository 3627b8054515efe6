// Step kind `upload`: copy a file from the console's machine to the hosts over SFTP
// (core/ssh/sftp.ts: temporary name, sha256 check, rename into place); the local machine as a
// host gets a plain copy.
import { copyFile, stat } from 'node:fs/promises';

import { z } from 'zod';

import type { SshTarget } from '../../ssh/types';
import type { StepKind } from './kind';

export const UploadParams = z
  .object({
    /** A file on the console's machine. */
    src: z.string().min(1),
    /** The path on each host (absolute, or relative to the login directory). */
    dest: z.string().min(1),
    /** Compare sha256 of both sides before the file is put in place (default true). */
    verify: z.boolean().default(true),
  })
  .strict();

export interface FileTransfer {
  upload(
    target: SshTarget,
    localPath: string,
    remotePath: string,
    options: { signal?: AbortSignal; verify?: boolean },
  ): Promise<{ bytes: number; sha256: string }>;
}

export function uploadKind(files: FileTransfer): StepKind<z.output<typeof UploadParams>> {
  return {
    name: 'upload',
    summary: 'Copy a local file to the hosts (SFTP, sha256-checked).',
    params: UploadParams,
    needsHosts: true,
    async run(p, ctx) {
      const size = (await stat(p.src)).size;
      const queue = [...ctx.hosts];
      const done: string[] = [];
      const failed: string[] = [];
      let sha = '';
      const worker = async (): Promise<void> => {
        for (let h = queue.shift(); h && !ctx.signal.aborted; h = queue.shift()) {
          ctx.hostStarted?.(h.name);
          try {
            if (h.target.local) await copyFile(p.src, p.dest);
            const r = h.target.local
              ? { bytes: size, sha256: '' }
              : await files.upload(h.target, p.src, p.dest, {
                  signal: ctx.signal,
                  verify: p.verify,
                });
            sha = r.sha256 || sha;
            ctx.log(
              `${p.src} → ${p.dest} (${r.bytes} bytes${r.sha256 ? `, sha256 ${r.sha256}` : ''})`,
              {
                host: h.name,
                stream: 'info',
              },
            );
            ctx.hostResult(h.name, { ok: true, summary: `${r.bytes} bytes` });
            done.push(h.name);
          } catch (e) {
            const m = e instanceof Error ? e.message : String(e);
            ctx.log(m, { host: h.name, stream: 'stderr' });
            ctx.hostResult(h.name, { ok: false, summary: m });
            failed.push(h.name);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(ctx.forks, ctx.hosts.length) }, worker));
      return {
        ok: failed.length === 0 && done.length === ctx.hosts.length,
        summary: `${done.length} copied${failed.length ? ` · ${failed.length} failed` : ''}`,
        outputs: { bytes: size, sha256: sha, failed },
      };
    },
  };
}
