/**
 * A small store of labelled series and its Prometheus text exposition (format 0.0.4).
 *
 * Ours rather than a client library's because the exporter must drop every series of a finished
 * trial at once (by label match), which registry-style clients only do one exact label set at a time.
 */
export type Labels = Record<string, string>;
export type MetricType = 'gauge' | 'counter';

export interface MetricDefinition {
  name: string;
  type: MetricType;
  help: string;
}

interface Series {
  labels: Labels;
  value: number;
}

function seriesKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0000');
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export class SeriesStore {
  private readonly metrics = new Map<string, { def: MetricDefinition; series: Map<string, Series> }>();

  constructor(definitions: readonly MetricDefinition[]) {
    for (const def of definitions) this.metrics.set(def.name, { def, series: new Map() });
  }

  private metric(name: string) {
    const metric = this.metrics.get(name);
    if (!metric) throw new Error(`metric ${name} is not defined`);
    return metric;
  }

  set(name: string, labels: Labels, value: number): void {
    this.metric(name).series.set(seriesKey(labels), { labels, value });
  }

  /** Counters only go up. */
  inc(name: string, labels: Labels, by = 1): void {
    const metric = this.metric(name);
    if (metric.def.type !== 'counter') throw new Error(`${name} is a ${metric.def.type}, not a counter`);
    const key = seriesKey(labels);
    metric.series.set(key, { labels, value: (metric.series.get(key)?.value ?? 0) + Math.max(0, by) });
  }

  get(name: string, labels: Labels): number | undefined {
    return this.metric(name).series.get(seriesKey(labels))?.value;
  }

  /** Removes, across every metric, the series whose labels include all of `match`. */
  remove(match: Labels): number {
    let removed = 0;
    for (const { series } of this.metrics.values()) {
      for (const [key, s] of series) {
        if (Object.entries(match).every(([k, v]) => s.labels[k] === v)) {
          series.delete(key);
          removed += 1;
        }
      }
    }
    return removed;
  }

  seriesCount(): number {
    let count = 0;
    for (const { series } of this.metrics.values()) count += series.size;
    return count;
  }

  exposition(): string {
    const lines: string[] = [];
    for (const { def, series } of this.metrics.values()) {
      lines.push(`# HELP ${def.name} ${def.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${def.name} ${def.type}`);
      for (const s of series.values()) {
        const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
        lines.push(`${def.name}${labels.length ? `{${labels.join(',')}}` : ''} ${formatValue(s.value)}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}
