import { describe, expect, it } from 'vitest';

import { leaf, leaves, neighbour, rects, remove, split } from './layout';

describe('terminal split layout', () => {
  it('splits a pane and keeps reading order', () => {
    let l = leaf('a');
    l = split(l, 'a', 'row', 'b');
    l = split(l, 'b', 'column', 'c');
    expect(leaves(l)).toEqual(['a', 'b', 'c']);
    expect(l).toEqual({
      kind: 'split',
      dir: 'row',
      children: [
        { kind: 'leaf', key: 'a' },
        {
          kind: 'split',
          dir: 'column',
          children: [
            { kind: 'leaf', key: 'b' },
            { kind: 'leaf', key: 'c' },
          ],
        },
      ],
    });
  });

  it('adds a sibling when splitting in the direction of the parent', () => {
    const l = split(split(leaf('a'), 'a', 'row', 'b'), 'a', 'row', 'c');
    expect(l.kind === 'split' && l.children.length).toBe(3);
    expect(leaves(l)).toEqual(['a', 'c', 'b']);
    expect(rects(l).get('c')).toEqual({ x: 1 / 3, y: 0, w: 1 / 3, h: 1 });
  });

  it('removes panes and collapses single children', () => {
    let l = split(split(leaf('a'), 'a', 'row', 'b'), 'b', 'column', 'c');
    l = remove(l, 'c') ?? leaf('x');
    expect(l).toEqual({
      kind: 'split',
      dir: 'row',
      children: [leaf('a'), leaf('b')],
    });
    expect(remove(remove(l, 'a') ?? leaf('x'), 'b')).toBeNull();
  });

  it('moves focus to the pane that touches the edge', () => {
    // a | b
    //   | c
    const l = split(split(leaf('a'), 'a', 'row', 'b'), 'b', 'column', 'c');
    expect(neighbour(l, 'a', 'right')).toBe('b');
    expect(neighbour(l, 'c', 'left')).toBe('a');
    expect(neighbour(l, 'b', 'down')).toBe('c');
    expect(neighbour(l, 'c', 'up')).toBe('b');
    expect(neighbour(l, 'a', 'left')).toBeNull();
    expect(neighbour(l, 'a', 'up')).toBeNull();
    expect(neighbour(l, 'nope', 'up')).toBeNull();
  });
});
