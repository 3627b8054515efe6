// Detects a terminal waiting for a secret: a password, passphrase or PIN prompt at the very end
// of its output (echo is off at such prompts, so what is typed next never shows). Pure.
import { stripAnsi } from '../../shared/terminal-ansi';

const TAIL_CHARS = 400;

// "Password:", "[sudo] password for ops:", "Enter passphrase for key '/k':", "PIN for token:",
// "Verification code:", "root@host's password:", "New password:", "Retype new password:".
const SECRET_PROMPT =
  /(?:^|[\s[('"])(?:(?:\S+'s\s+)?(?:new\s+|current\s+|old\s+|retype\s+(?:new\s+)?|re-?enter\s+(?:new\s+)?|confirm\s+)?(?:password|passphrase|passcode|pass\s*phrase|pin|one-time\s+code|otp|verification\s+code|token\s+code)\b[^\n:]{0,80}[:?]|password\s*:|mot\s+de\s+passe\s*:|kennwort\s*:|passwort\s*:)\s*$/i;

export class SecretPromptDetector {
  private tail = '';
  private state = false;
  private promptText: string | undefined;

  get active(): boolean {
    return this.state;
  }
  get prompt(): string | undefined {
    return this.promptText;
  }
  /** The last line of output so far (escape sequences removed). */
  get lastLine(): string {
    return this.tail
      .slice(this.tail.lastIndexOf('\n') + 1)
      .trim()
      .slice(-200);
  }

  /**
   * Feeds output text; returns the new state when it changed (true: at a secret prompt now,
   * false: the prompt is gone because more output came), else undefined. `typed` is the line
   * typed since the last Enter: output that merely echoes it (`grep password:`) is no prompt.
   */
  feed(text: string, typed = ''): boolean | undefined {
    // A prompt sits at the very end: only the end of a large chunk matters (and stripping
    // 64 KiB of output per chunk would cost more than everything else on the path).
    const plain = stripAnsi(text.length > 2 * TAIL_CHARS ? text.slice(-2 * TAIL_CHARS) : text);
    if (plain.length === 0) return undefined;
    this.tail = (this.tail + plain).slice(-TAIL_CHARS);
    const lastLine = this.tail.slice(this.tail.lastIndexOf('\n') + 1);
    const echo = typed.trim().length > 0 && lastLine.trimEnd().endsWith(typed.trimEnd());
    const now = lastLine.length > 0 && !echo && SECRET_PROMPT.test(lastLine);
    if (now) this.promptText = lastLine.trim().slice(-200);
    if (now === this.state) return undefined;
    this.state = now;
    if (!now) this.promptText = undefined;
    return now;
  }
}
