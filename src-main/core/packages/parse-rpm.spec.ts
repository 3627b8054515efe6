import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRpmQuery, parseYumList, splitEvr } from './parse-rpm';

// reference/: copied verbatim from shared/reference/starlingx.md §8.1 (CentOS 7 / CentOS 8).
// rpm418/: recorded from rpm 4.18 (Debian's rpm package) by rpm.int.spec.ts's package.
const data = (...p: string[]): string =>
  readFileSync(join(import.meta.dirname, 'testdata', ...p), 'utf8');

describe('parseRpmQuery', () => {
  it('reads the reference rpm -qa --queryformat sample; (none) epochs are dropped', () => {
    expect(parseRpmQuery(data('reference', 'rpm-qa.txt'))).toEqual([
      { name: 'bash', version: '4.2.46', release: '34.el7', arch: 'x86_64', installed: true },
      {
        name: 'openssh-server',
        version: '7.4p1',
        release: '21.el7',
        arch: 'x86_64',
        installed: true,
      },
    ]);
  });

  it('reads a recorded rpm 4.18 query of a noarch package', () => {
    expect(parseRpmQuery(data('rpm418', 'rpm-q-qf.txt'))).toEqual([
      { name: 'stx-lab-test-pkg', version: '1.0', release: '1', arch: 'noarch', installed: true },
    ]);
  });
});

describe('splitEvr', () => {
  it('splits [epoch:]version-release', () => {
    expect(splitEvr('1:1.30.0-7.el8')).toEqual({ epoch: '1', version: '1.30.0', release: '7.el8' });
    expect(splitEvr('4.2.46-34.el7')).toEqual({ version: '4.2.46', release: '34.el7' });
  });
});

describe('parseYumList', () => {
  it('reads yum list installed (CentOS 7), skipping the plugin banner', () => {
    expect(parseYumList(data('reference', 'yum-list-installed-centos7.txt'))).toEqual([
      {
        section: 'Installed Packages',
        name: 'bash',
        arch: 'x86_64',
        evr: '4.2.46-34.el7',
        repo: '@anaconda',
      },
      {
        section: 'Installed Packages',
        name: 'openssh-server',
        arch: 'x86_64',
        evr: '7.4p1-21.el7',
        repo: '@base',
      },
    ]);
  });

  it('reads dnf list installed with an epoch', () => {
    expect(parseYumList(data('reference', 'dnf-list-installed.txt'))).toEqual([
      {
        section: 'Installed Packages',
        name: 'NetworkManager',
        arch: 'x86_64',
        evr: '1:1.30.0-7.el8',
        repo: '@anaconda',
      },
    ]);
  });

  it('joins a wrapped row (long name alone on its line, as the reference describes)', () => {
    // The reference sample's rows, with the first name moved onto its own line the way yum wraps.
    const text = data('reference', 'yum-list-installed-centos7.txt').replace(
      'bash.x86_64                4.2.46',
      'bash.x86_64\n                           4.2.46',
    );
    expect(parseYumList(text).map((r) => [r.name, r.evr, r.repo])).toEqual([
      ['bash', '4.2.46-34.el7', '@anaconda'],
      ['openssh-server', '7.4p1-21.el7', '@base'],
    ]);
  });
});
