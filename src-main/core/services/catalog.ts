// The Flock service catalog (resources/services/flock.yaml): validated data, unit names per OS
// family, and start order. Bad data names its file:line:column; cycles in `after` are refused.
import { readFileSync } from 'node:fs';

import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';

import { AppError } from '../../shared/errors';
import type { CatalogServiceDto } from '../../shared/models/services';
import { dataError, parseYamlData } from '../os/yaml-data';

const Id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'not a service id');
const Unit = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9@._:+-]*$/, 'not a unit name');

const PortSchema = z.strictObject({
  port: z.number().int().min(1).max(65535),
  proto: z.enum(['tcp', 'udp']).default('tcp'),
  role: z.string().min(1).optional(),
});

const ServiceSchema = z.strictObject({
  title: z.string().min(1),
  component: z.string().min(1),
  description: z.string().default(''),
  units: z
    .strictObject({
      debian: Unit.optional(),
      rhel: Unit.optional(),
      clear: Unit.optional(),
      sm: Unit.optional().describe('the SM service name on StarlingX controllers'),
    })
    .refine((u) => Object.keys(u).length > 0, 'a service needs at least one unit'),
  ports: z.array(PortSchema).default([]),
  after: z.array(Id).default([]),
  hosts: z.array(z.enum(['controller', 'worker', 'storage', 'all'])).min(1),
  checks: z.string().min(1).optional(),
  catalog_type: z.string().min(1).optional(),
  log: z.string().startsWith('/').optional().describe('log file for hosts without a journal'),
});

export const CatalogSchema = z.strictObject({ services: z.record(Id, ServiceSchema) });

export type CatalogService = z.output<typeof ServiceSchema> & { readonly name: string };
export type OsFamily = 'debian' | 'rhel' | 'clear';

export interface Catalog {
  readonly file: string;
  readonly services: ReadonlyMap<string, CatalogService>;
}

function posOf(text: string, file: string, path: (string | number)[]) {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const node = doc.getIn(path, true) as { range?: [number, number] } | undefined;
  const { line, col } = lc.linePos(node?.range?.[0] ?? 0);
  return { file, line, column: col };
}

export function parseCatalog(text: string, file: string): Catalog {
  const data = parseYamlData(text, file, CatalogSchema);
  const services = new Map<string, CatalogService>();
  for (const [name, s] of Object.entries(data.services)) services.set(name, { ...s, name });
  for (const s of services.values()) {
    s.after.forEach((dep, i) => {
      if (!services.has(dep)) {
        throw dataError(
          posOf(text, file, ['services', s.name, 'after', i]),
          `services.${s.name}.after: unknown service "${dep}"`,
        );
      }
    });
  }
  const cycle = findCycle(services);
  if (cycle) {
    throw dataError(
      posOf(text, file, ['services', cycle[0]!, 'after']),
      `services: start order has a cycle: ${cycle.join(' → ')}`,
    );
  }
  return { file, services };
}

export function loadCatalog(file: string): Catalog {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError(
      'not_found',
      `service catalog not readable: ${file} (${(e as Error).message})`,
    );
  }
  return parseCatalog(text, file);
}

function findCycle(services: ReadonlyMap<string, CatalogService>): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 2) return undefined;
    if (state.get(n) === 1) return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 1);
    stack.push(n);
    for (const d of services.get(n)?.after ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 2);
    return undefined;
  };
  for (const n of services.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}

/**
 * The order to act in. start/restart: dependencies first (stable: catalog order among equals);
 * stop: the reverse. With `closure`, dependencies (start) or dependents (stop) are added.
 * Names not in the catalog (plain unit names) keep their given position relative to each other,
 * after the catalog services for start, before them for stop.
 */
export function actionOrder(
  catalog: Catalog,
  names: readonly string[],
  action: 'start' | 'stop' | 'restart',
  closure = false,
): string[] {
  const known = names.filter((n) => catalog.services.has(n));
  const unknown = names.filter((n) => !catalog.services.has(n));
  const wanted = new Set(known);
  if (closure) {
    const grow = (n: string): void => {
      const next =
        action === 'stop'
          ? [...catalog.services.values()].filter((s) => s.after.includes(n)).map((s) => s.name)
          : (catalog.services.get(n)?.after ?? []);
      for (const m of next) {
        if (!wanted.has(m)) {
          wanted.add(m);
          grow(m);
        }
      }
    };
    for (const n of known) grow(n);
  }
  const out: string[] = [];
  const done = new Set<string>();
  const visit = (n: string): void => {
    if (done.has(n)) return;
    done.add(n);
    for (const d of catalog.services.get(n)?.after ?? []) if (wanted.has(d)) visit(d);
    out.push(n);
  };
  for (const n of catalog.services.keys()) if (wanted.has(n)) visit(n);
  const uniqUnknown = [...new Set(unknown)];
  return action === 'stop' ? [...uniqUnknown, ...out.reverse()] : [...out, ...uniqUnknown];
}

/** The unit a service has on a family (or sm); undefined when it does not run there. */
export function unitFor(s: CatalogService, key: OsFamily | 'sm'): string | undefined {
  return s.units[key];
}

export function catalogDto(catalog: Catalog): CatalogServiceDto[] {
  return [...catalog.services.values()].map((s) => ({
    name: s.name,
    title: s.title,
    component: s.component,
    description: s.description,
    units: { ...s.units },
    ports: s.ports.map((p) => ({
      port: p.port,
      proto: p.proto,
      ...(p.role ? { role: p.role } : {}),
    })),
    after: s.after,
    hosts: s.hosts,
    ...(s.checks ? { checks: s.checks } : {}),
    ...(s.catalog_type ? { catalogType: s.catalog_type } : {}),
  }));
}
