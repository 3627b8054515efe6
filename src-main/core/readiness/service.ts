// Hosts × OS: detection, packages, readiness, drift and host comparison behind one service, by
// inventory host name. Each call detects the host's OS, picks its profile and builds the right
// PackageManager; the data files (profiles, package map, rules) are loaded once, on first use.
import { AppError } from '../../shared/errors';
import type {
  DriftReport,
  HostComparison,
  HostDetection,
  ReadinessEvent,
  ReadinessMatrix,
} from '../../shared/models/readiness';
import type { InventorySource } from '../fanout/exec-service';
import { targetsFor } from '../fanout/targets';
import { resolvePattern } from '../inventory/patterns';
import { detectOs, type OsFacts } from '../os/detect';
import { loadProfiles, matchProfile, type OsProfile, type ProfileMatch } from '../os/profiles';
import { compareSnapshots, enabledServices, type HostSnapshot } from '../packages/compare-hosts';
import { driftReport, loadManifest } from '../packages/drift';
import { createPackageManager } from '../packages/factory';
import type {
  AvailablePackage,
  OperationResult,
  PackageManager,
  PackageProgress,
  PackageRecord,
  VerifyReport,
} from '../packages/package-manager';
import { loadPackageMap, type PackageMap } from '../packages/package-map';
import type { Executor, SshTarget } from '../ssh/types';
import { runReadiness } from './engine';
import { resourcePaths, type ResourcePaths } from './resources';
import { expandRules, loadRuleSet, type ExpandedRule } from './rules';

interface Data {
  readonly profiles: OsProfile[];
  readonly map: PackageMap;
  readonly rules: ExpandedRule[];
}

interface HostPm {
  readonly target: SshTarget;
  readonly facts: OsFacts;
  readonly match: ProfileMatch;
  readonly pm: PackageManager;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
}
export interface LongCallOptions extends CallOptions {
  readonly onProgress?: (e: PackageProgress) => void;
}

export class HostOsService {
  #data: Data | undefined;
  #paths: ResourcePaths | undefined;

  /** resourcesDir: a folder, or a function finding it (called on first use, not at start). */
  constructor(
    private readonly inventory: InventorySource,
    private readonly executor: Executor,
    private readonly resourcesDir: string | (() => string),
    private readonly options: { sudo?: boolean } = {},
  ) {}

  get paths(): ResourcePaths {
    this.#paths ??= resourcePaths(
      typeof this.resourcesDir === 'string' ? this.resourcesDir : this.resourcesDir(),
    );
    return this.#paths;
  }

  data(): Data {
    if (!this.#data) {
      const profiles = loadProfiles(this.paths.profiles);
      const map = loadPackageMap(this.paths.packageMap);
      const rules = expandRules(loadRuleSet(this.paths.readinessRules), map);
      this.#data = { profiles, map, rules };
    }
    return this.#data;
  }

  target(host: string): SshTarget {
    return targetsFor([host], this.inventory.hosts())[0]!;
  }

  async detect(host: string, o: CallOptions = {}): Promise<HostDetection> {
    const target = this.target(host);
    const facts = await detectOs(this.executor, target, o.signal ? { signal: o.signal } : {});
    const m = matchProfile(facts, this.data().profiles);
    return {
      host,
      facts,
      profile: m
        ? {
            id: m.profile.id,
            name: m.profile.name,
            family: m.profile.family,
            format: m.profile.packages.format,
            manager: m.profile.packages.manager,
            fallback: m.fallback,
            ties: m.ties,
          }
        : null,
    };
  }

  async #pm(host: string, o: CallOptions): Promise<HostPm> {
    const target = this.target(host);
    const facts = await detectOs(this.executor, target, o.signal ? { signal: o.signal } : {});
    const match = matchProfile(facts, this.data().profiles);
    if (!match) {
      const os = facts.osRelease.PRETTY_NAME ?? facts.osRelease.ID ?? 'this OS';
      throw new AppError('not_found', `no OS profile matches ${host} (${os})`);
    }
    const pm = createPackageManager(match.profile, this.executor, {
      ...(this.options.sudo !== undefined ? { sudo: this.options.sudo } : {}),
    });
    return { target, facts, match, pm };
  }

  async listPackages(host: string, o: CallOptions = {}): Promise<PackageRecord[]> {
    const h = await this.#pm(host, o);
    return h.pm.listInstalled(h.target, o);
  }

  async query(host: string, name: string, o: CallOptions = {}): Promise<PackageRecord | null> {
    const h = await this.#pm(host, o);
    return h.pm.query(h.target, name, o);
  }

  async search(host: string, term: string, o: CallOptions = {}): Promise<AvailablePackage[]> {
    const h = await this.#pm(host, o);
    return h.pm.search(h.target, term, o);
  }

  async verify(host: string, name?: string, o: LongCallOptions = {}): Promise<VerifyReport> {
    const h = await this.#pm(host, o);
    return h.pm.verify(h.target, name, o);
  }

  async install(
    host: string,
    names: readonly string[],
    o: LongCallOptions = {},
  ): Promise<OperationResult> {
    const h = await this.#pm(host, o);
    return h.pm.install(h.target, { names }, o);
  }

  async remove(
    host: string,
    names: readonly string[],
    o: LongCallOptions = {},
  ): Promise<OperationResult> {
    const h = await this.#pm(host, o);
    return h.pm.remove(h.target, names, o);
  }

  async drift(host: string, manifestFile: string, o: CallOptions = {}): Promise<DriftReport> {
    const manifest = loadManifest(manifestFile);
    const h = await this.#pm(host, o);
    const installed = await h.pm.listInstalled(h.target, o);
    return driftReport({
      host,
      manifest,
      map: this.data().map,
      profile: h.match.profile,
      installed,
    });
  }

  async snapshot(host: string, o: CallOptions = {}): Promise<HostSnapshot> {
    const h = await this.#pm(host, o);
    const [packages, services] = await Promise.all([
      h.pm.listInstalled(h.target, o),
      enabledServices(this.executor, h.target, o.signal),
    ]);
    return { host, facts: h.facts, profile: h.match.profile.id, packages, services };
  }

  async compare(a: string, b: string, o: CallOptions = {}): Promise<HostComparison> {
    const [sa, sb] = await Promise.all([this.snapshot(a, o), this.snapshot(b, o)]);
    return compareSnapshots(sa, sb);
  }

  async readiness(
    pattern: string,
    o: CallOptions & { forks?: number; onEvent?: (e: ReadinessEvent) => void } = {},
  ): Promise<ReadinessMatrix> {
    const inv = { hosts: this.inventory.hosts(), groups: this.inventory.groups() };
    const resolved = resolvePattern(pattern, inv);
    if (resolved.error) {
      throw AppError.field(
        'invalid_input',
        'pattern',
        `${resolved.error.message} (column ${resolved.error.column})`,
      );
    }
    if (resolved.hosts.length === 0) {
      throw AppError.field('invalid_input', 'pattern', `"${pattern}" matches no host`);
    }
    const targets = targetsFor(resolved.hosts, inv.hosts);
    const d = this.data();
    const m = await runReadiness(
      targets,
      { executor: this.executor, profiles: d.profiles, map: d.map, rules: d.rules },
      {
        ...(o.forks !== undefined ? { forks: o.forks } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.onEvent ? { onEvent: o.onEvent } : {}),
      },
    );
    return { ...m, unknown: resolved.unknown };
  }
}
