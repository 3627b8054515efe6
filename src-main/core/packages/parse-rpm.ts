// Parsers for rpm queries and yum/dnf list output (LC_ALL=C). Formats: reference §8.1 and
// outputs recorded from rpm 4.18 (testdata/rpm/).
import type { PackageRecord } from './package-manager';

/** The query format the adapter asks for (reference §8.1). */
export const RPM_QUERY_FORMAT = '%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\n';

const none = (v: string | undefined): string | undefined =>
  v === undefined || v === '(none)' || v === '' ? undefined : v;

export function parseRpmQuery(text: string): PackageRecord[] {
  const out: PackageRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const [name, epoch, version, release, arch] = line.split('\t');
    if (!name || version === undefined) continue;
    const e = none(epoch);
    const r = none(release);
    const a = none(arch);
    out.push({
      name,
      ...(e ? { epoch: e } : {}),
      version,
      ...(r ? { release: r } : {}),
      ...(a ? { arch: a } : {}),
      installed: true,
    });
  }
  return out;
}

/** `[epoch:]version-release` as yum/dnf print it. */
export function splitEvr(evr: string): { epoch?: string; version: string; release?: string } {
  let rest = evr;
  let epoch: string | undefined;
  const m = /^(\d+):/.exec(rest);
  if (m) {
    epoch = m[1];
    rest = rest.slice(m[0].length);
  }
  const dash = rest.lastIndexOf('-');
  return {
    ...(epoch ? { epoch } : {}),
    version: dash > 0 ? rest.slice(0, dash) : rest,
    ...(dash > 0 ? { release: rest.slice(dash + 1) } : {}),
  };
}

export interface YumListRow {
  /** The header the row sat under: `Installed Packages`, `Available Packages`, `Updated Packages`, … */
  readonly section: string;
  readonly name: string;
  readonly arch: string;
  /** `[epoch:]version-release` as printed. */
  readonly evr: string;
  /** The repo id; `@repo` (installed from) keeps its `@`. */
  readonly repo: string;
}

const SECTION =
  /^(Installed Packages|Available Packages|Updated Packages|Available Upgrades|Upgraded Packages|Extra Packages|Obsoleting Packages|Recently Added Packages|Reinstallable Packages|Downgradable Packages|Autoremove Packages)\s*$/;

/**
 * `yum list …` / `dnf list …`: a section header, then `name.arch  [epoch:]version-release  repo`
 * rows. Long names wrap, so tokens are gathered across lines until a row has its three.
 * Noise before the first header (`Loaded plugins:`, `Last metadata expiration check:`) is skipped.
 */
export function parseYumList(text: string): YumListRow[] {
  const out: YumListRow[] = [];
  let section: string | undefined;
  let pending: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    const head = SECTION.exec(line.trim());
    if (head) {
      section = head[1]!;
      pending = [];
      continue;
    }
    if (!section || line.trim() === '') continue;
    // Obsoleting rows have an indented second line naming what is obsoleted; skip those.
    if (section === 'Obsoleting Packages' && /^\s/.test(line) && pending.length === 0) continue;
    pending.push(...line.trim().split(/\s+/));
    while (pending.length >= 3) {
      const [nameArch, evr, repo] = pending.splice(0, 3) as [string, string, string];
      const dot = nameArch.lastIndexOf('.');
      if (dot <= 0) continue;
      out.push({ section, name: nameArch.slice(0, dot), arch: nameArch.slice(dot + 1), evr, repo });
    }
  }
  return out;
}
