import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { actionOrder, loadCatalog, parseCatalog } from './catalog';

const FILE = join(import.meta.dirname, '../../../resources/services/flock.yaml');

describe('the Flock catalog', () => {
  const cat = loadCatalog(FILE);
  it('has every service the issue names', () => {
    for (const n of [
      'keystone',
      'sysinv-api',
      'sysinv-conductor',
      'sysinv-agent',
      'fm-api',
      'fm-mgr',
      'mtcAgent',
      'mtcClient',
      'hbsAgent',
      'hbsClient',
      'pmon',
      'hwmon',
      'nfv-vim',
      'vim-api',
      'sm',
      'sm-api',
      'software',
      'dcmanager',
    ]) {
      expect(cat.services.has(n), n).toBe(true);
    }
    expect(cat.services.get('sysinv-api')!.ports[0]).toMatchObject({ port: 6385, proto: 'tcp' });
    expect(cat.services.get('fm-mgr')!.units.debian).toBe('fminit.service');
  });

  it('starts dependencies first and stops in reverse', () => {
    const start = actionOrder(cat, ['sysinv-api', 'fm-api', 'sysinv-conductor', 'fm-mgr'], 'start');
    expect(start.indexOf('sysinv-conductor')).toBeLessThan(start.indexOf('sysinv-api'));
    expect(start.indexOf('fm-mgr')).toBeLessThan(start.indexOf('fm-api'));
    const stop = actionOrder(cat, ['sysinv-api', 'fm-api', 'sysinv-conductor', 'fm-mgr'], 'stop');
    expect(stop.indexOf('sysinv-api')).toBeLessThan(stop.indexOf('sysinv-conductor'));
    expect(stop).toEqual([...start].reverse());
  });

  it('adds dependencies (start) or dependents (stop) when asked', () => {
    expect(actionOrder(cat, ['sysinv-api'], 'start', true)).toEqual([
      'keystone',
      'sysinv-conductor',
      'sysinv-api',
    ]);
    const stop = actionOrder(cat, ['sysinv-conductor'], 'stop', true);
    expect(stop.at(-1)).toBe('sysinv-conductor');
    expect(stop).toContain('sysinv-agent');
    expect(stop.indexOf('sysinv-agent')).toBeLessThan(stop.indexOf('sysinv-api'));
  });

  it('keeps unit names that are not in the catalog', () => {
    expect(actionOrder(cat, ['cron.service', 'sysinv-api'], 'start')).toEqual([
      'sysinv-api',
      'cron.service',
    ]);
  });
});

describe('catalog bad input', () => {
  it('names file:line:column for a schema error', () => {
    const text =
      'services:\n  a:\n    title: A\n    component: x\n    units: { debian: a.service }\n    hosts: [controller]\n    ports: [{ port: 99999 }]\n';
    expect(() => parseCatalog(text, 'x.yaml')).toThrow(
      /^x\.yaml:7:\d+: services\.a\.ports\.0\.port/,
    );
  });
  it('refuses unknown dependencies at their position', () => {
    const text =
      'services:\n  a:\n    title: A\n    component: x\n    units: { debian: a.service }\n    hosts: [all]\n    after: [ghost]\n';
    expect(() => parseCatalog(text, 'x.yaml')).toThrow(
      /^x\.yaml:7:13: services\.a\.after: unknown service "ghost"/,
    );
  });
  it('refuses a cycle and names it', () => {
    const svc = (n: string, dep: string): string =>
      `  ${n}:\n    title: ${n}\n    component: x\n    units: { debian: ${n}.service }\n    hosts: [all]\n    after: [${dep}]\n`;
    const text = `services:\n${svc('a', 'b')}${svc('b', 'c')}${svc('c', 'a')}`;
    expect(() => parseCatalog(text, 'x.yaml')).toThrow(/cycle: a → b → c → a/);
  });
  it('reports YAML syntax errors with their position', () => {
    expect(() => parseCatalog('services:\n  a: [\n', 'x.yaml')).toThrow(/^x\.yaml:\d+:\d+: YAML:/);
  });
});
