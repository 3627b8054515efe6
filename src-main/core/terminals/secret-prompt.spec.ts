import { describe, expect, it } from 'vitest';

import { SecretPromptDetector } from './secret-prompt';

const at = (text: string, typed = ''): boolean => {
  const d = new SecretPromptDetector();
  d.feed(text, typed);
  return d.active;
};

describe('SecretPromptDetector', () => {
  it.each([
    'Password: ',
    '[sudo] password for ops: ',
    "ops@ctl-0's password: ",
    "Enter passphrase for key '/home/ops/.ssh/id_ed25519': ",
    'Enter PIN for YubiKey: ',
    'New password: ',
    'Retype new password: ',
    'Verification code: ',
    '\x1b[1mPassword:\x1b[0m ',
    'last line\r\nPassword:',
  ])('detects %j', (prompt) => {
    expect(at(prompt)).toBe(true);
  });

  it.each([
    'ops@ctl-0:~$ ',
    'Password changed.\r\nops@ctl-0:~$ ',
    'password: ok\r\nnext line\r\n',
    'Compiling pinctrl.c\r\n',
  ])('ignores %j', (text) => {
    expect(at(text)).toBe(false);
  });

  it('does not take the echo of a typed command for a prompt', () => {
    expect(at('ops@ctl-0:~$ grep password:', 'grep password:')).toBe(false);
  });

  it('reports the change when the prompt appears and when output moves on', () => {
    const d = new SecretPromptDetector();
    expect(d.feed('ops@h:~$ sudo -k ls\r\n')).toBeUndefined();
    expect(d.feed('[sudo] password for ops: ')).toBe(true);
    expect(d.prompt).toBe('[sudo] password for ops:');
    expect(d.feed('\r\n')).toBe(false);
    expect(d.active).toBe(false);
  });
});
