/**
 * Arbitrary spaces and histories for property tests, and the check that a suggestion fits its space.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseSpace, type ParamSpec, type Space } from '../../contracts/space';
import type { HyperValue } from '../../contracts/trial-config';
import { randomPoint } from '../../searcher/random';
import type { Observation } from '../../searcher/searcher';
import { isActive, sameValue } from '../../searcher/space-points';

const bounds = (min: number, max: number) =>
  fc.tuple(fc.double({ min, max, noNaN: true }), fc.double({ min, max, noNaN: true })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
const intBounds = (min: number, max: number) =>
  fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

/** Params over real trainer fields; `discrete` keeps to int and categorical (for grid search). */
export function paramsArb(discrete: boolean): fc.Arbitrary<Record<string, unknown>> {
  type Spec = Record<string, unknown>;
  const dropout: fc.Arbitrary<Spec> = discrete
    ? fc.constant({ type: 'categorical', values: [0, 0.1, 0.2] })
    : bounds(0, 0.95).map(([low, high]) => ({ type: 'uniform', low, high }));
  const maxLr: fc.Arbitrary<Spec> = discrete
    ? fc.constant({ type: 'categorical', values: [0.01, 0.03] })
    : bounds(-5, 0).map(([a, b]) => ({ type: 'loguniform', low: 10 ** a, high: 10 ** b }));
  const cropPad = fc.tuple(intBounds(0, 8), fc.integer({ min: 1, max: 3 })).map(([[low, high], step]) => ({ type: 'int', low, high, step }));
  const batch = fc.oneof(
    intBounds(2, 600).map(([low, high]) => ({ type: 'int', low, high, log: true })),
    fc.constant({ type: 'categorical', values: [64, 128, 256] }),
  );
  // erase_p gates two conditional params: present only when it is 0.5.
  const erase = fc.constant({
    erase_p: { type: 'categorical', values: [0, 0.5] },
    erase_count: { type: 'int', low: 1, high: 4, condition: { param: 'erase_p', equals: 0.5 } },
    erase_size: discrete
      ? { type: 'categorical', values: [0.1, 0.3], condition: { param: 'erase_p', equals: 0.5 } }
      : { type: 'uniform', low: 0.05, high: 0.5, condition: { param: 'erase_p', equals: 0.5 } },
  });
  return fc
    .record(
      { dropout: fc.option(dropout), max_lr: fc.option(maxLr), crop_pad: fc.option(cropPad), batch_size: fc.option(batch), erase: fc.option(erase) },
    )
    .map(({ erase: gated, ...rest }) => ({
      ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null)),
      ...(gated ?? {}),
    }))
    .filter((params) => Object.keys(params).length > 0);
}

export function parsed(json: Record<string, unknown>): Space {
  const result = parseSpace({ name: 'prop', trials: 1, ...json });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  return result.space;
}

/** A history of points the space allows, in any mix of states and objective values. */
export function historyArb(space: Space, maxLength = 30): fc.Arbitrary<Observation[]> {
  const entry = fc.record({
    state: fc.constantFrom('completed', 'completed', 'completed', 'running', 'failed', 'stopped'),
    value: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(Number.NaN), fc.constant(null)),
  });
  return fc.array(entry, { maxLength }).map((entries) =>
    entries.map(({ state, value }, trial) => ({
      trial,
      params: randomPoint(space, 10_000 + trial),
      state,
      value: state === 'completed' ? value : null,
    })),
  );
}

function onGrid(spec: ParamSpec & { type: 'int' }, v: number): boolean {
  return Number.isInteger(v) && v >= spec.low && v <= spec.high && (v - spec.low) % spec.step === 0;
}

/** Every searched value within its distribution; conditional params present exactly when active. */
export function assertFits(space: Space, values: Readonly<Record<string, HyperValue>>): void {
  for (const name of Object.keys(values)) assert.ok(name in space.params, `unexpected key ${name}`);
  for (const [name, spec] of Object.entries(space.params)) {
    const active = isActive(spec, values);
    assert.equal(name in values, active, `${name} present=${name in values}, active=${active}`);
    if (!active) continue;
    const v = values[name]!;
    if (spec.type === 'categorical') assert.ok(spec.values.some((c) => sameValue(c, v)), `${name}=${JSON.stringify(v)}`);
    else if (spec.type === 'int') assert.ok(onGrid(spec, v as number), `${name}=${v} not on int grid ${JSON.stringify(spec)}`);
    else assert.ok(typeof v === 'number' && v >= spec.low && v <= spec.high, `${name}=${v} outside [${spec.low}, ${spec.high}]`);
  }
}
