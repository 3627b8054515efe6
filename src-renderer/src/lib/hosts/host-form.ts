// The Add/Edit host form as plain data, and its translation to and from the contract.
import type { AuthKind, Connection, Host, HostInput, Role } from '@shared/models/hosts';
import { DEFAULT_SSH_PORT } from '@shared/models/host-constants';

export type BmcChoice = '' | 'redfish' | 'ipmi';

export interface HostForm {
  id: number | undefined;
  name: string;
  address: string;
  port: string;
  user: string;
  roles: Role[];
  /** Existing groups ticked in the form. */
  groups: string[];
  /** New group names typed by the user, comma separated. */
  newGroups: string;
  bmcType: BmcChoice;
  bmcAddress: string;
  bmcUser: string;
  auth: AuthKind;
  keyPath: string;
  /** Write-only: empty keeps the stored password. */
  password: string;
  notes: string;
  /** ProxyJump hops as typed, comma separated. */
  jump: string;
  /** 'local' (the console's own machine) has no address, SSH sign-in or jump hosts to edit. */
  connection: Connection;
}

export function emptyForm(): HostForm {
  return {
    id: undefined,
    name: '',
    address: '',
    port: String(DEFAULT_SSH_PORT),
    user: '',
    roles: [],
    groups: [],
    newGroups: '',
    bmcType: '',
    bmcAddress: '',
    bmcUser: '',
    auth: 'agent',
    keyPath: '',
    password: '',
    notes: '',
    jump: '',
    connection: 'ssh',
  };
}

export function formFromHost(host: Host): HostForm {
  return {
    id: host.id,
    name: host.name,
    address: host.address,
    port: String(host.port),
    user: host.user ?? '',
    roles: [...host.roles],
    groups: [...host.groups],
    newGroups: '',
    bmcType: host.bmc?.type ?? '',
    bmcAddress: host.bmc?.address ?? '',
    bmcUser: host.bmc?.user ?? '',
    auth: host.auth.kind,
    keyPath: host.auth.kind === 'key' ? host.auth.keyPath : '',
    password: '',
    notes: host.notes,
    jump: host.jump.join(', '),
    connection: host.connection,
  };
}

export function splitNames(text: string): string[] {
  return text
    .split(/[,\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The groups the form sends, in order: ticked ones first, then typed ones; no repeats. */
export function formGroups(form: HostForm): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const g of [...form.groups, ...splitNames(form.newGroups)]) {
    const key = g.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(g);
    }
  }
  return out;
}

function portValue(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  // The server coerces the port (z.coerce): anything but digits goes as typed, so that the
  // server's message names what is wrong with it, at the field.
  return (/^\d+$/.test(t) ? Number(t) : t) as number;
}

export function formToInput(form: HostForm): HostInput {
  const auth: HostInput['auth'] =
    form.auth === 'key' ? { kind: 'key', keyPath: form.keyPath } : { kind: form.auth };
  const input: HostInput = {
    name: form.name,
    address: form.address,
    port: portValue(form.port),
    user: form.user,
    roles: form.roles,
    groups: formGroups(form),
    bmc: form.bmcType ? { type: form.bmcType, address: form.bmcAddress, user: form.bmcUser } : null,
    auth,
    notes: form.notes,
    jump: form.connection === 'local' ? [] : splitNames(form.jump),
    connection: form.connection,
  };
  if (form.id !== undefined) input.id = form.id;
  if (form.auth === 'password' && form.password !== '') input.password = form.password;
  return input;
}

/** Paths of server field errors that have a place in the form. */
const FIELD_PATHS = new Set([
  'name',
  'address',
  'port',
  'user',
  'bmc.type',
  'bmc.address',
  'bmc.user',
  'auth.kind',
  'auth.keyPath',
  'password',
  'notes',
]);

export interface FormErrors {
  /** By field: the paths above, plus 'roles' and 'groups' for any of their items. */
  readonly fields: Record<string, string>;
  /** Everything that has no field of its own. */
  readonly general: string[];
}

/** Fields a local host does not show: it is reached without SSH. */
const LOCAL_HIDDEN = new Set(['address', 'port', 'user', 'auth', 'password', 'bmc', 'jump']);

/** Whether the form shows the field of this path right now (BMC and sign-in fields come and go). */
function shown(form: HostForm, path: string): boolean {
  if (form.connection === 'local' && LOCAL_HIDDEN.has(path.split('.')[0] ?? '')) return false;
  if (path.startsWith('bmc.')) return form.bmcType !== '';
  if (path === 'auth.keyPath') return form.auth === 'key';
  if (path === 'password') return form.auth === 'password';
  return path !== 'notes';
}

/** Splits server field errors into those shown at a field and the rest, for the general line. */
export function splitErrors(byPath: Record<string, string>, form: HostForm): FormErrors {
  const groups = formGroups(form);
  const fields: Record<string, string> = {};
  const general: string[] = [];
  for (const [path, message] of Object.entries(byPath)) {
    const [head, index] = path.split('.');
    if (FIELD_PATHS.has(path) && shown(form, path)) fields[path] ??= message;
    else if (head === 'roles') fields.roles ??= message;
    else if (head === 'jump' && shown(form, path)) {
      const hop = index === undefined ? undefined : splitNames(form.jump)[Number(index)];
      fields.jump ??= hop === undefined ? message : `"${hop}": ${message}`;
    } else if (head === 'groups') {
      const name = index === undefined ? undefined : groups[Number(index)];
      fields.groups ??= name === undefined ? message : `"${name}": ${message}`;
    } else general.push(path ? `${path}: ${message}` : message);
  }
  return { fields, general };
}
