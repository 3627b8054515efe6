// SSH command-line and ProxyJump helpers shared by the ssh_config and Ansible importers:
// a POSIX-shell-like tokeniser (Ansible uses Python's shlex for host lines and ssh args), the
// ProxyJump list syntax, and extraction of a jump chain from `ansible_ssh_common_args`.
// Nothing here runs anything: values are data.

export interface Token {
  readonly value: string;
  /** 0-based offset of the token's first character in the input. */
  readonly offset: number;
}

export type ShlexResult =
  | { tokens: Token[]; error?: undefined }
  | { tokens?: undefined; error: { message: string; offset: number } };

/** shlex.split(posix=True), optionally with `#` comments (as Ansible's INI host lines). */
export function shlexSplit(text: string, options: { comments?: boolean } = {}): ShlexResult {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if (options.comments && c === '#') break;
    const offset = i;
    let value = '';
    while (i < text.length && !/\s/.test(text[i]!)) {
      const ch = text[i]!;
      if (ch === "'") {
        const end = text.indexOf("'", i + 1);
        if (end < 0) return { error: { message: 'no closing quotation', offset: i } };
        value += text.slice(i + 1, end);
        i = end + 1;
      } else if (ch === '"') {
        i += 1;
        let closed = false;
        while (i < text.length) {
          const d = text[i]!;
          if (d === '"') {
            closed = true;
            i += 1;
            break;
          }
          if (d === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1]!)) {
            value += text[i + 1];
            i += 2;
          } else {
            value += d;
            i += 1;
          }
        }
        if (!closed) return { error: { message: 'no closing quotation', offset } };
      } else if (ch === '\\') {
        if (i + 1 >= text.length) return { error: { message: 'no escaped character', offset: i } };
        value += text[i + 1];
        i += 2;
      } else {
        value += ch;
        i += 1;
      }
    }
    tokens.push({ value, offset });
  }
  return { tokens };
}

/** A ProxyJump value → hops (`none` → []). */
export function jumpList(value: string): string[] {
  const v = value.trim();
  if (v === '' || v.toLowerCase() === 'none') return [];
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** One hop: `[user@]host[:port]` or `ssh://[user@]host[:port]`. */
export function parseJumpHop(
  hop: string,
): { user?: string; host: string; port?: number } | undefined {
  const m = /^(?:ssh:\/\/)?(?:([^@\s]+)@)?(\[[^\]\s]+\]|[^:@/\s]+)(?::(\d{1,5}))?\/?$/.exec(hop);
  if (!m) return undefined;
  const host = m[2]!.replace(/^\[|\]$/g, '');
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { ...(m[1] ? { user: m[1] } : {}), host, ...(port ? { port } : {}) };
}

// ssh(1) options that take an argument (from its usage line).
const SSH_ARG_OPTS = new Set('BbcDEeFIiJLlmOopQRSWw'.split(''));

/** The jump chain an `ssh -W %h:%p … dest` ProxyCommand describes, or undefined. */
function jumpFromProxyCommand(cmd: string): string[] | undefined {
  const r = shlexSplit(cmd);
  if (!r.tokens) return undefined;
  const argv = r.tokens.map((t) => t.value);
  if (!/(^|\/)ssh$/.test(argv[0] ?? '')) return undefined;
  let user: string | undefined;
  let port: string | undefined;
  let dest: string | undefined;
  let chain: string[] = [];
  let hasW = false;
  for (let i = 1; i < argv.length; i += 1) {
    const a = argv[i]!;
    if (!a.startsWith('-') || a === '-') {
      dest ??= a;
      continue;
    }
    for (let j = 1; j < a.length; j += 1) {
      const f = a[j]!;
      if (!SSH_ARG_OPTS.has(f)) continue;
      const val = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
      if (val === undefined) return undefined;
      if (f === 'W') hasW = true;
      else if (f === 'l') user = val;
      else if (f === 'p') port = val;
      else if (f === 'J') chain = jumpList(val);
      else if (f === 'o') {
        const m = /^\s*(\w+)\s*[= ]\s*(.*)$/.exec(val);
        const k = m?.[1]?.toLowerCase();
        if (k === 'user') user = m![2];
        if (k === 'port') port = m![2];
        if (k === 'proxyjump') chain = jumpList(m![2]!);
      }
      break;
    }
  }
  if (!hasW || dest === undefined) return undefined;
  const at = dest.includes('@') ? '' : user ? `${user}@` : '';
  return [...chain, `${at}${dest}${port && !dest.includes(':') ? `:${port}` : ''}`];
}

export interface JumpFromArgs {
  /** The chain, when the args name one (`[]` for ProxyJump=none). */
  readonly jump?: string[];
  readonly warning?: string;
  readonly error?: string;
}

/** Reads `-J`, `-o ProxyJump=…` and `-o ProxyCommand="ssh -W %h:%p … bastion"` out of ssh args. */
export function jumpFromSshArgs(args: string): JumpFromArgs {
  const r = shlexSplit(args);
  if (r.error)
    return { error: `ssh arguments: ${r.error.message} at column ${r.error.offset + 1}` };
  const argv = r.tokens.map((t) => t.value);
  let jump: string[] | undefined;
  let warning: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i]!;
    let opt: string | undefined;
    if (a === '-J' || a === '-o') opt = argv[++i];
    else if (a.startsWith('-J') || a.startsWith('-o')) opt = a.slice(2);
    else continue;
    if (opt === undefined) return { error: `ssh arguments: ${a} needs a value` };
    if (a.startsWith('-J')) {
      jump = jumpList(opt);
      continue;
    }
    const m = /^\s*(\w+)\s*(?:=|\s)\s*([\s\S]*)$/.exec(opt);
    const key = m?.[1]?.toLowerCase();
    const value = m?.[2] ?? '';
    if (key === 'proxyjump') jump = jumpList(value);
    else if (key === 'proxycommand') {
      if (value.trim().toLowerCase() === 'none') jump = [];
      else {
        const chain = jumpFromProxyCommand(value);
        if (chain) jump = chain;
        else warning = `ProxyCommand "${value}" is not an "ssh -W %h:%p" jump; not used`;
      }
    }
  }
  return { ...(jump ? { jump } : {}), ...(warning ? { warning } : {}) };
}

export const KNOWN_KEYWORDS = new Set(
  (
    'addkeystoagent addressfamily batchmode bindaddress bindinterface canonicaldomains ' +
    'canonicalizefallbacklocal canonicalizehostname canonicalizemaxdots canonicalizepermittedcnames ' +
    'casignaturealgorithms certificatefile challengeresponseauthentication checkhostip ciphers ' +
    'clearallforwardings compression connectionattempts connecttimeout controlmaster controlpath ' +
    'controlpersist dynamicforward enableescapecommandline enablesshkeysign escapechar ' +
    'exitonforwardfailure fingerprinthash forkafterauthentication forwardagent forwardx11 ' +
    'forwardx11timeout forwardx11trusted gatewayports globalknownhostsfile gssapiauthentication ' +
    'gssapiclientidentity gssapidelegatecredentials gssapikexalgorithms gssapikeyexchange ' +
    'gssapirenewalforcesrekey gssapiserveridentity gssapitrustdns hashknownhosts host ' +
    'hostbasedacceptedalgorithms hostbasedauthentication hostbasedkeytypes hostkeyalgorithms ' +
    'hostkeyalias hostname identitiesonly identityagent identityfile ignoreunknown include ipqos ' +
    'kbdinteractiveauthentication kbdinteractivedevices kexalgorithms knownhostscommand localcommand ' +
    'localforward loglevel logverbose macs match nohostauthenticationforlocalhost ' +
    'numberofpasswordprompts obscurekeystroketiming passwordauthentication permitlocalcommand ' +
    'permitremoteopen pkcs11provider port preferredauthentications protocol proxycommand proxyjump ' +
    'proxyusefdpass pubkeyacceptedalgorithms pubkeyacceptedkeytypes pubkeyauthentication rekeylimit ' +
    'remotecommand remoteforward requesttty requiredrsasize revokedhostkeys securitykeyprovider ' +
    'sendenv serveralivecountmax serveraliveinterval sessiontype setenv stdinnull streamlocalbindmask ' +
    'streamlocalbindunlink stricthostkeychecking syslogfacility tag tcpkeepalive tunnel tunneldevice ' +
    'updatehostkeys usekeychain user userknownhostsfile verifyhostkeydns visualhostkey xauthlocation ' +
    'channeltimeout'
  ).split(' '),
);
