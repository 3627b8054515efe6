import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseBundleList,
  parseCheckUpdate,
  parseSwupdDiagnose,
  parseSwupdInfo,
  parseSwupdSearch,
} from './parse-swupd';

// Copied from shared/reference/starlingx.md §5.1 (swupd-client functional tests, v4–v7 era):
// side-by-side samples split into their two files, inline `# …` annotations removed.
const data = (name: string): string =>
  readFileSync(join(import.meta.dirname, 'testdata', 'reference', name), 'utf8');

describe('swupd parsers (recorded outputs)', () => {
  it('bundle-list', () => {
    expect(parseBundleList(data('swupd-bundle-list.txt'))).toEqual([
      { name: 'os-core' },
      { name: 'test-bundle1' },
      { name: 'test-bundle2' },
    ]);
  });

  it('bundle-list --all --status', () => {
    expect(parseBundleList(data('swupd-bundle-list-all-status.txt'))).toEqual([
      { name: 'os-core', status: 'installed' },
      { name: 'test-bundle1' },
      { name: 'test-bundle4', status: 'explicitly installed' },
    ]);
  });

  it('info', () => {
    expect(parseSwupdInfo(data('swupd-info.txt'))).toEqual({
      distribution: 'Swupd Test Distro',
      version: '10',
    });
    expect(parseSwupdInfo('Installed version: 10 (format 1)\n').version).toBe('10');
  });

  it('check-update', () => {
    expect(parseCheckUpdate(data('swupd-check-update.txt'))).toEqual({
      current: '10',
      latest: '100',
      available: true,
    });
  });

  it('diagnose (clean)', () => {
    expect(parseSwupdDiagnose(data('swupd-diagnose.txt'))).toEqual({
      issues: [],
      inspected: 11,
      mismatched: 0,
      completed: true,
    });
  });

  it('2018-era verify wording: counts read, the run is not clean', () => {
    // Quoted in the reference prose, paths elided there.
    const text =
      'Verifying version 23300\nInspected 237180 files\n423 files did not match\nVerify successful\n';
    expect(parseSwupdDiagnose(text)).toMatchObject({
      inspected: 237180,
      mismatched: 423,
      completed: true,
    });
  });

  it('search (2018/19 format): best result and alternatives', () => {
    expect(parseSwupdSearch(data('swupd-search.txt'))).toEqual([
      {
        name: 'containers-virt',
        summary: 'Run container applications from Dockerhub in lightweight virtual machines',
      },
      { name: 'cloud-native-basic', summary: 'Contains ClearLinux native software for Cloud' },
    ]);
  });

  it('search-file (newer format)', () => {
    expect(parseSwupdSearch(data('swupd-search-file.txt'))).toEqual([
      { name: 'alfa-zulu', summary: '1 MB to install' },
    ]);
  });
});
