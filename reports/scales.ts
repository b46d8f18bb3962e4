/** Axis scales for the report's charts: value -> pixel, with tick values and their labels. */

export interface Scale {
  (value: number): number;
  ticks(): number[];
  format(value: number): string;
}

const niceStep = (span: number, count: number) => {
  const raw = span / Math.max(count, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit >= 5 ? 10 : unit >= 2 ? 5 : unit >= 1 ? 2 : 1) * power;
};

export function formatNumber(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

/**
 * Domain [lo, hi] onto [from, to]; a zero-width domain is widened so it still has a middle.
 * `integer` keeps ticks on whole numbers (trials, epochs).
 */
export function linearScale([lo, hi]: [number, number], [from, to]: [number, number], tickCount = 5, integer = false): Scale {
  if (!(hi > lo)) [lo, hi] = lo === 0 ? [-1, 1] : [lo - Math.abs(lo) * 0.1, hi + Math.abs(hi) * 0.1];
  const scale = ((v: number) => from + ((v - lo) / (hi - lo)) * (to - from)) as Scale;
  scale.ticks = () => {
    const step = integer ? Math.max(1, Math.round(niceStep(hi - lo, tickCount))) : niceStep(hi - lo, tickCount);
    const ticks: number[] = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
    return ticks;
  };
  scale.format = formatNumber;
  return scale;
}

/** Log10 scale for positive domains (learning rates); ticks at powers of ten. */
export function logScale([lo, hi]: [number, number], [from, to]: [number, number]): Scale {
  if (!(lo > 0)) throw new Error(`logScale needs a positive domain, got [${lo}, ${hi}]`);
  if (!(hi > lo)) [lo, hi] = [lo / 2, lo * 2];
  const [a, b] = [Math.log10(lo), Math.log10(hi)];
  const scale = ((v: number) => from + ((Math.log10(v) - a) / (b - a)) * (to - from)) as Scale;
  scale.ticks = () => {
    const ticks: number[] = [];
    for (let p = Math.ceil(a - 1e-9); p <= b + 1e-9; p++) ticks.push(10 ** p);
    // Under one decade: the ends, so the axis still says something.
    return ticks.length >= 2 ? ticks : [lo, hi];
  };
  scale.format = formatNumber;
  return scale;
}

export const extent = (values: readonly number[]): [number, number] => {
  const finite = values.filter(Number.isFinite);
  return finite.length ? [Math.min(...finite), Math.max(...finite)] : [0, 1];
};

/** The extent widened by `share` of its span on each side, so marks at the ends are not cut. */
export function padded([lo, hi]: [number, number], share = 0.05): [number, number] {
  const pad = (hi - lo) * share || Math.abs(lo) * share || share;
  return [lo - pad, hi + pad];
}

/** Padding for a log axis: a factor on each side. */
export const paddedLog = ([lo, hi]: [number, number], factor = 1.15): [number, number] => [lo / factor, hi * factor];
