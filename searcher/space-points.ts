/**
 * The points of a discrete space (int and categorical params only): how many there are, the n-th
 * one, and a key that says whether two trials tried the same point. Conditional params count
 * only under the parent value that activates them, so the grid holds no point twice.
 *
 * Points are decoded from an index, never listed, so a space of millions of points costs nothing.
 */
import type { ParamSpec } from '../contracts/space';
import type { HyperValue } from '../contracts/trial-config';

type Params = Readonly<Record<string, ParamSpec>>;

/** Whether a param is sampled, given the values already chosen for the unconditional params. */
export function isActive(spec: ParamSpec, chosen: Readonly<Record<string, HyperValue>>): boolean {
  if (spec.condition === undefined) return true;
  const parent = chosen[spec.condition.param];
  return parent !== undefined && sameValue(parent, spec.condition.equals);
}

/** Values are numbers, strings, booleans or number lists: JSON equality is exact for all four. */
export function sameValue(a: HyperValue, b: HyperValue): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Unconditional params first: a condition's parent is always unconditional (space validation). */
export function sampleOrder(params: Params): string[] {
  const names = Object.keys(params).sort();
  return [...names.filter((n) => params[n]!.condition === undefined), ...names.filter((n) => params[n]!.condition !== undefined)];
}

/** How many values one param can take; Infinity for a continuous one. */
function valueCount(spec: ParamSpec): number {
  switch (spec.type) {
    case 'int':
      return Math.max(0, Math.floor((spec.high - spec.low) / spec.step) + 1);
    case 'categorical':
      return spec.values.length;
    default:
      return Infinity;
  }
}

function valueOf(spec: ParamSpec, i: number): HyperValue {
  if (spec.type === 'int') return spec.low + i * spec.step;
  if (spec.type === 'categorical') return spec.values[i]!;
  throw new Error(`a ${spec.type} param has no discrete values`);
}

export function isFullyDiscrete(params: Params): boolean {
  return Object.values(params).every((spec) => spec.type === 'int' || spec.type === 'categorical');
}

/**
 * The space splits into independent groups: each unconditional param with the children it gates.
 * A group's size is the sum, over the parent's values, of the product of the active children's sizes.
 */
interface Group {
  parent: string;
  /** Per parent value index: the children it activates (empty when the parent gates none). */
  children: string[][];
  /** Per parent value index: how many points that value contributes. */
  sizes: number[];
  size: number;
}

function groups(params: Params): Group[] {
  const names = Object.keys(params).sort();
  const gated = (parent: string) => names.filter((n) => params[n]!.condition?.param === parent);
  return names
    .filter((n) => params[n]!.condition === undefined || params[params[n]!.condition!.param] === undefined)
    .map((parent) => {
      const spec = params[parent]!;
      const childNames = gated(parent);
      const count = valueCount(spec);
      // A param that gates nothing is its own group: no need to walk its values.
      if (childNames.length === 0) return { parent, children: [], sizes: [], size: count };
      const children: string[][] = [];
      const sizes: number[] = [];
      for (let i = 0; i < count; i++) {
        const value = valueOf(spec, i);
        const active = childNames.filter((c) => sameValue(params[c]!.condition!.equals, value));
        children.push(active);
        sizes.push(active.reduce((product, c) => product * valueCount(params[c]!), 1));
      }
      const size = sizes.reduce((a, b) => a + b, 0);
      return { parent, children, sizes, size };
    });
}

/** The number of distinct points; Infinity when any param is continuous. */
export function gridSize(params: Params): number {
  return groups(params).reduce((product, g) => product * g.size, 1);
}

/** The index-th point (0 <= index < gridSize), decoded group by group in mixed radix. */
export function pointAt(params: Params, index: number): Record<string, HyperValue> {
  const point: Record<string, HyperValue> = {};
  let rest = index;
  for (const group of groups(params)) {
    let within = rest % group.size;
    rest = Math.floor(rest / group.size);
    if (group.sizes.length === 0) {
      point[group.parent] = valueOf(params[group.parent]!, within);
      continue;
    }
    let i = 0;
    while (within >= group.sizes[i]!) within -= group.sizes[i++]!;
    point[group.parent] = valueOf(params[group.parent]!, i);
    for (const child of group.children[i]!) {
      const spec = params[child]!;
      const count = valueCount(spec);
      point[child] = valueOf(spec, within % count);
      within = Math.floor(within / count);
    }
  }
  return point;
}

/** Identifies a point by the searched values a trial holds (fixed values and the seed aside). */
export function pointKey(params: Params, values: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(Object.keys(params).sort().map((name) => [name, values[name] ?? null]));
}
