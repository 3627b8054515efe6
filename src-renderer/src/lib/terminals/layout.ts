// The split layout of one terminal tab: a tree whose leaves are terminal keys. Pure functions,
// so the store stays small and the geometry (which pane is "to the left") is unit-tested.

export type SplitDirection = 'row' | 'column';

export type Layout =
  | { readonly kind: 'leaf'; readonly key: string }
  | { readonly kind: 'split'; readonly dir: SplitDirection; readonly children: readonly Layout[] };

export type Move = 'left' | 'right' | 'up' | 'down';

export function leaf(key: string): Layout {
  return { kind: 'leaf', key };
}

/** The terminal keys in reading order. */
export function leaves(layout: Layout): string[] {
  return layout.kind === 'leaf' ? [layout.key] : layout.children.flatMap(leaves);
}

/**
 * Splits the pane `target` in two along `dir` ('row': side by side, 'column': one above the
 * other); the new pane comes after it. A split in the same direction as its parent adds a
 * sibling instead of nesting, so three panes side by side share the width equally.
 */
export function split(layout: Layout, target: string, dir: SplitDirection, key: string): Layout {
  if (layout.kind === 'leaf') {
    return layout.key === target ? { kind: 'split', dir, children: [layout, leaf(key)] } : layout;
  }
  const children: Layout[] = [];
  for (const child of layout.children) {
    if (child.kind === 'leaf' && child.key === target && layout.dir === dir) {
      children.push(child, leaf(key));
    } else {
      children.push(split(child, target, dir, key));
    }
  }
  return { ...layout, children };
}

/** The layout without `key` (null when it was the last pane); single children collapse. */
export function remove(layout: Layout, key: string): Layout | null {
  if (layout.kind === 'leaf') return layout.key === key ? null : layout;
  const children = layout.children
    .map((c) => remove(c, key))
    .filter((c): c is Layout => c !== null);
  if (children.length === 0) return null;
  if (children.length === 1) return children[0] as Layout;
  return { ...layout, children };
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Where each pane sits in the unit square (children share their parent equally). */
export function rects(layout: Layout, box: Rect = { x: 0, y: 0, w: 1, h: 1 }): Map<string, Rect> {
  const out = new Map<string, Rect>();
  if (layout.kind === 'leaf') {
    out.set(layout.key, box);
    return out;
  }
  const n = layout.children.length;
  layout.children.forEach((child, i) => {
    const part: Rect =
      layout.dir === 'row'
        ? { x: box.x + (box.w * i) / n, y: box.y, w: box.w / n, h: box.h }
        : { x: box.x, y: box.y + (box.h * i) / n, w: box.w, h: box.h / n };
    for (const [k, r] of rects(child, part)) out.set(k, r);
  });
  return out;
}

const EPS = 1e-9;

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.min(a1, b1) - Math.max(a0, b0);
}

/**
 * The pane next to `from` in direction `move`: among the panes that touch that edge and share
 * some of its span, the one sharing the most (then the first in reading order). Null at the edge.
 */
export function neighbour(layout: Layout, from: string, move: Move): string | null {
  const all = rects(layout);
  const a = all.get(from);
  if (!a) return null;
  let best: string | null = null;
  let bestShared = 0;
  for (const [key, b] of all) {
    if (key === from) continue;
    let touches: boolean;
    let shared: number;
    if (move === 'left' || move === 'right') {
      touches = move === 'left' ? Math.abs(b.x + b.w - a.x) < EPS : Math.abs(a.x + a.w - b.x) < EPS;
      shared = overlap(a.y, a.y + a.h, b.y, b.y + b.h);
    } else {
      touches = move === 'up' ? Math.abs(b.y + b.h - a.y) < EPS : Math.abs(a.y + a.h - b.y) < EPS;
      shared = overlap(a.x, a.x + a.w, b.x, b.x + b.w);
    }
    if (touches && shared > EPS && shared > bestShared + EPS) {
      best = key;
      bestShared = shared;
    }
  }
  return best;
}
