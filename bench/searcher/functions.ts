/**
 * The benchmark's objectives (minimised, with known minima) and their spaces. optuna_runner.py
 * holds the same functions; main.ts checks both agree at probe points before comparing.
 */
import type { ParamSpec } from '../../contracts/space';
import type { HyperValue } from '../../contracts/trial-config';

export interface BenchFunction {
  name: string;
  params: Record<string, ParamSpec>;
  minimum: number;
  f(p: Readonly<Record<string, HyperValue>>): number;
  /** A point where TypeScript and Python must give the same value. */
  probe: Record<string, HyperValue>;
}

const num = (p: Readonly<Record<string, HyperValue>>, name: string) => p[name] as number;

const branin: BenchFunction = {
  name: 'branin',
  params: { x1: { type: 'uniform', low: -5, high: 10 }, x2: { type: 'uniform', low: 0, high: 15 } },
  minimum: 0.39788735772973816,
  f(p) {
    const x1 = num(p, 'x1');
    const x2 = num(p, 'x2');
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
  },
  probe: { x1: 1.5, x2: 7.25 },
};

const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
];
const H_NAMES = ['x0', 'x1', 'x2', 'x3', 'x4', 'x5'];

const hartmann6: BenchFunction = {
  name: 'hartmann6',
  params: Object.fromEntries(H_NAMES.map((n) => [n, { type: 'uniform', low: 0, high: 1 }])),
  minimum: -3.322368011415515,
  f(p) {
    let sum = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++) inner += H_A[i]![j]! * (num(p, H_NAMES[j]!) - H_P[i]![j]!) ** 2;
      sum += H_ALPHA[i]! * Math.exp(-inner);
    }
    return -sum;
  },
  probe: Object.fromEntries(H_NAMES.map((n, i) => [n, 0.1 + 0.13 * i])),
};

/** Shaped like a real sweep: a log learning rate, an int, a categorical and a uniform. */
const BATCH_PENALTY: Record<string, number> = { 64: 0.3, 128: 0, 256: 0.1, 512: 0.4 };
const mixed4: BenchFunction = {
  name: 'mixed4',
  params: {
    max_lr: { type: 'loguniform', low: 1e-4, high: 1 },
    crop_pad: { type: 'int', low: 0, high: 8, step: 1, log: false },
    batch_size: { type: 'categorical', values: [64, 128, 256, 512] },
    dropout: { type: 'uniform', low: 0, high: 0.9 },
  },
  minimum: 0,
  f(p) {
    return (
      (Math.log10(num(p, 'max_lr')) + 2) ** 2 +
      0.05 * (num(p, 'crop_pad') - 3) ** 2 +
      BATCH_PENALTY[String(p.batch_size)]! +
      2 * (num(p, 'dropout') - 0.2) ** 2
    );
  },
  probe: { max_lr: 0.003, crop_pad: 5, batch_size: 256, dropout: 0.45 },
};

export const FUNCTIONS: readonly BenchFunction[] = [branin, hartmann6, mixed4];
