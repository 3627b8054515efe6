// Where inside the Flows screen we are, from the address: `#/flows` (library),
// `#/flows/flow/<file>` (one flow and its inputs form), `#/flows/run/<id>` (live or finished run),
// `#/flows/replay/<id>`, `#/flows/present/<id>` (presenter; `/replay` after it for a replay),
// `#/flows/history`.
export type FlowsRoute =
  | { readonly view: 'library' }
  | { readonly view: 'history' }
  | { readonly view: 'flow'; readonly file: string }
  | { readonly view: 'run'; readonly id: string }
  | { readonly view: 'replay'; readonly id: string }
  | { readonly view: 'present'; readonly id: string; readonly replay: boolean };

function decode(s: string | undefined): string | null {
  if (!s) return null;
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

export function parseFlowsHash(hash: string): FlowsRoute {
  const parts = hash.replace(/^#\/?/, '').split('/');
  if (parts[0] !== 'flows') return { view: 'library' };
  const arg = decode(parts[2]);
  switch (parts[1]) {
    case 'history':
      return { view: 'history' };
    case 'flow':
      return arg ? { view: 'flow', file: arg } : { view: 'library' };
    case 'run':
      return arg ? { view: 'run', id: arg } : { view: 'history' };
    case 'replay':
      return arg ? { view: 'replay', id: arg } : { view: 'history' };
    case 'present':
      return arg
        ? { view: 'present', id: arg, replay: parts[3] === 'replay' }
        : { view: 'history' };
    default:
      return { view: 'library' };
  }
}

export const flowsHref = {
  library: (): string => '#/flows',
  history: (): string => '#/flows/history',
  flow: (file: string): string => `#/flows/flow/${encodeURIComponent(file)}`,
  run: (id: string): string => `#/flows/run/${encodeURIComponent(id)}`,
  replay: (id: string): string => `#/flows/replay/${encodeURIComponent(id)}`,
  present: (id: string, isReplay = false): string =>
    `#/flows/present/${encodeURIComponent(id)}${isReplay ? '/replay' : ''}`,
};
