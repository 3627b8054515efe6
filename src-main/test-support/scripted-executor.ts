// An Executor that answers recorded outputs by argv (for parser/adapter unit tests); any command
// it has no answer for throws, so a test also proves which commands ran. Records every call.
import type { ExecOptions, ExecResult, Executor } from '../core/ssh/types';

export type Answer = Partial<Pick<ExecResult, 'exitCode' | 'stdout' | 'stderr'>>;

export function scripted(answers: Record<string, Answer>): Executor & { calls: ExecOptions[] } {
  const calls: ExecOptions[] = [];
  return {
    calls,
    exec(_target, options) {
      calls.push(options);
      const a = answers[options.argv.join(' ')];
      if (!a) return Promise.reject(new Error(`unexpected command: ${options.argv.join(' ')}`));
      return Promise.resolve({
        exitCode: 0,
        signal: null,
        stdout: '',
        stderr: '',
        durationMs: 1,
        truncated: false,
        ...a,
      });
    },
  };
}
