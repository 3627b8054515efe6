// An Executor that remembers what it ran (argv, exit code, output excerpt): how a readiness rule
// that goes through a PackageManager gets its evidence without the adapter knowing about it.
import type { Evidence } from '../../shared/models/readiness';
import type { ExecOptions, ExecResult, Executor, SshTarget } from '../ssh/types';

export const EXCERPT_CHARS = 2000;

export function excerpt(stdout: string, stderr = ''): string {
  const text = [stdout.trimEnd(), stderr.trimEnd()].filter((s) => s !== '').join('\n');
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}\n… (cut)` : text;
}

export function evidenceOf(argv: readonly string[], r: ExecResult): Evidence {
  return { argv: [...argv], exitCode: r.exitCode, output: excerpt(r.stdout, r.stderr) };
}

export class RecordingExecutor implements Executor {
  readonly calls: Evidence[] = [];
  constructor(private readonly inner: Executor) {}

  async exec(target: SshTarget, options: ExecOptions): Promise<ExecResult> {
    try {
      const r = await this.inner.exec(target, options);
      this.calls.push(evidenceOf(options.argv, r));
      return r;
    } catch (e) {
      this.calls.push({ argv: [...options.argv], exitCode: null, output: (e as Error).message });
      throw e;
    }
  }
}
