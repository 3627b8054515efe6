import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfiles } from '../os/profiles';
import { checkPackageName } from './names';
import { loadPackageMap, parsePackageMap, resolveAll, resolveDependency } from './package-map';

const resources = join(import.meta.dirname, '../../../resources');
const map = loadPackageMap(join(resources, 'package-map.yaml'));
const profiles = loadProfiles(join(resources, 'os-profiles'));
const os = (id: string) => profiles.find((p) => p.id === id)!;

describe('the shipped package map (reference §7)', () => {
  it('holds the ~35+ StarlingX dependencies, every override naming a real profile', () => {
    expect(Object.keys(map.packages).length).toBeGreaterThanOrEqual(35);
    const ids = new Set(profiles.map((p) => p.id));
    for (const [dep, entry] of Object.entries(map.packages)) {
      for (const id of Object.keys(entry.overrides ?? {}))
        expect(ids.has(id), `${dep} → ${id}`).toBe(true);
    }
  });

  it('every name it resolves to passes package-name validation, on every OS', () => {
    for (const p of profiles)
      for (const r of resolveAll(map, p))
        for (const n of r.names) expect(checkPackageName(n)).toBe(n);
  });

  it('resolves by package format: rpm, deb, Clear bundle', () => {
    expect(resolveDependency(map, 'python3', os('centos-7'))).toMatchObject({
      kind: 'names',
      names: ['python3', 'python3-devel'],
      confidence: 'V',
    });
    expect(resolveDependency(map, 'python3', os('ubuntu-22.04')).names).toEqual([
      'python3',
      'python3-dev',
    ]);
    expect(resolveDependency(map, 'python3', os('clear-linux')).names).toEqual(['python3-basic']);
    expect(resolveDependency(map, 'redfish-client', os('starlingx-centos')).names).toEqual([
      'Redfishtool',
    ]);
  });

  it('"none" entries: puppet, lighttpd, drbd and etcd on Clear Linux', () => {
    for (const dep of ['puppet', 'lighttpd', 'drbd', 'etcd']) {
      expect(resolveDependency(map, dep, os('clear-linux')), dep).toMatchObject({
        kind: 'none',
        names: [],
      });
    }
    expect(resolveDependency(map, 'puppet', os('clear-linux')).note).toMatch(/never a bundle/);
  });

  it('alternatives and per-OS overrides', () => {
    expect(resolveDependency(map, 'ntp', os('rocky-9'))).toMatchObject({
      kind: 'alternative',
      names: ['chrony'],
      overridden: true,
      confidence: 'I',
    });
    expect(resolveDependency(map, 'ntp', os('centos-7'))).toMatchObject({
      kind: 'names',
      names: ['ntp'],
      overridden: false,
    });
    expect(resolveDependency(map, 'postgresql-server', os('debian-11')).names).toEqual([
      'postgresql-13',
    ]);
    expect(resolveDependency(map, 'python2-headers', os('debian-12'))).toMatchObject({
      kind: 'none',
    });
    expect(resolveDependency(map, 'python2-headers', os('debian-11'))).toMatchObject({
      kind: 'names',
      names: ['python2-dev'],
    });
    expect(resolveDependency(map, 'psycopg2', os('clear-linux'))).toMatchObject({
      kind: 'unknown',
    });
  });

  it('an unknown dependency is not_found', () => {
    expect(() => resolveDependency(map, 'flux-capacitor', os('debian-12'))).toThrow(
      /not in the package map/,
    );
  });
});

describe('package map errors name the file and line', () => {
  it('a name with a shell metacharacter is refused at load time', () => {
    const text =
      'version: 1\npackages:\n  x:\n    purpose: p\n    rpm: a\n    deb: "b;reboot"\n    clear: none\n';
    expect(() => parsePackageMap(text, 'm.yaml')).toThrow(/^m\.yaml:6:\d+: packages\.x\.deb: /);
  });
});
