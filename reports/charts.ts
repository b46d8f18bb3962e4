/**
 * The report's charts as self-contained SVG: line and scatter charts, horizontal bars, parallel
 * coordinates, and heatmaps (drawn as one embedded PNG). Every chart is an `<svg class="chart">`
 * with a `data-chart` name; hovering a mark shows its values (SVG `<title>`).
 */
import { seriesColor, viridis, viridisCss } from './colors';
import { encodePng } from './png';
import { extent, formatNumber, linearScale, logScale, padded, paddedLog, type Scale } from './scales';

const W = 760;
const H = 300;
const M = { left: 64, right: 24, top: 36, bottom: 46 };
/** Room right of the plot for a legend, so it never covers the data. */
const LEGEND_W = 170;

/**
 * The charts' look, inside every SVG, so a chart written on its own (the lr-find plot) looks as it
 * does in the report.
 */
const STYLE =
  '<style>.title{font:600 14px system-ui,sans-serif;fill:#222}text{font:11px system-ui,sans-serif;fill:#444}.label{font-size:12px;fill:#333}' +
  '.tick line{stroke:#eee}.axis{stroke:#888}.series{fill:none;stroke-width:1.6}.series:hover{stroke-width:3}.pc{stroke-width:1.4;opacity:.85}' +
  '.empty{fill:#999;font-size:13px}</style>';

export const escapeXml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function frame(id: string, title: string, body: string, height = H): string {
  return (
    `<svg class="chart" data-chart="${escapeXml(id)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="${escapeXml(title)}">` +
    `${STYLE}<rect width="${W}" height="${height}" fill="#fff"/><text class="title" x="${M.left}" y="20">${escapeXml(title)}</text>${body}</svg>`
  );
}

/** Tick labels and axis lines; grid lines across the plot unless `grid` is false (over a heatmap). */
function axes(x: Scale, y: Scale, xLabel: string, yLabel: string, opts: { right?: number; grid?: boolean } = {}): string {
  const bottom = H - M.bottom;
  const right = opts.right ?? W - M.right;
  const grid = opts.grid ?? true;
  const xt = x.ticks().map((t) => `<g class="tick">${grid ? `<line x1="${x(t)}" x2="${x(t)}" y1="${M.top}" y2="${bottom}"/>` : ''}<text x="${x(t)}" y="${bottom + 16}" text-anchor="middle">${x.format(t)}</text></g>`);
  const yt = y.ticks().map((t) => `<g class="tick">${grid ? `<line x1="${M.left}" x2="${right}" y1="${y(t)}" y2="${y(t)}"/>` : ''}<text x="${M.left - 6}" y="${y(t) + 4}" text-anchor="end">${y.format(t)}</text></g>`);
  return (
    `<g class="axes">${xt.join('')}${yt.join('')}` +
    `<line class="axis" x1="${M.left}" x2="${right}" y1="${bottom}" y2="${bottom}"/><line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${bottom}"/>` +
    `<text class="label" x="${(M.left + right) / 2}" y="${H - 8}" text-anchor="middle">${escapeXml(xLabel)}</text>` +
    `<text class="label" transform="translate(14 ${(M.top + bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text></g>`
  );
}

export interface Series {
  name: string;
  points: Array<[number, number]>;
  color?: string;
  /** Draw points as dots (a scatter), a line through them, or both. */
  style?: 'line' | 'dots' | 'both' | 'step';
}

export interface LineChartOptions {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  xLog?: boolean;
  /** Whole-number ticks on x (trials, epochs). */
  xInteger?: boolean;
  /** Shown only when there are few series. */
  legend?: boolean;
}

export function lineChart(o: LineChartOptions): string {
  const all = o.series.flatMap((s) => s.points).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  if (all.length === 0) return frame(o.id, o.title, `<text class="empty" x="${W / 2}" y="${H / 2}" text-anchor="middle">no data yet</text>`);
  const legend = o.legend === true && o.series.length <= 10;
  const right = W - M.right - (legend ? LEGEND_W : 0);
  const xs = extent(all.map((p) => p[0]));
  const x = o.xLog ? logScale(paddedLog(xs), [M.left, right]) : linearScale(padded(xs, 0.02), [M.left, right], 5, o.xInteger);
  const y = linearScale(padded(extent(all.map((p) => p[1]))), [H - M.bottom, M.top]);
  const marks = o.series.map((s, i) => {
    const color = s.color ?? seriesColor(i);
    const pts = s.points.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
    const style = s.style ?? 'line';
    let out = '';
    if (style !== 'dots' && pts.length > 1) {
      const d = pts
        .map(([a, b], k) => {
          if (k === 0) return `M${x(a).toFixed(1)},${y(b).toFixed(1)}`;
          return style === 'step' ? `H${x(a).toFixed(1)}V${y(b).toFixed(1)}` : `L${x(a).toFixed(1)},${y(b).toFixed(1)}`;
        })
        .join('');
      out += `<path class="series" d="${d}" stroke="${color}"><title>${escapeXml(s.name)}</title></path>`;
    }
    if (style === 'dots' || style === 'both' || pts.length === 1) {
      out += pts
        .map(([a, b]) => `<circle class="dot" cx="${x(a).toFixed(1)}" cy="${y(b).toFixed(1)}" r="3.5" fill="${color}"><title>${escapeXml(`${s.name}: ${formatNumber(a)}, ${formatNumber(b)}`)}</title></circle>`)
        .join('');
    }
    return out;
  });
  const key = legend
    ? o.series.map((s, i) => `<g class="legend"><rect x="${right + 16}" y="${M.top + 4 + i * 16}" width="10" height="10" fill="${s.color ?? seriesColor(i)}"/><text x="${right + 32}" y="${M.top + 13 + i * 16}">${escapeXml(s.name)}</text></g>`).join('')
    : '';
  return frame(o.id, o.title, axes(x, y, o.xLabel, o.yLabel, { right }) + marks.join('') + key);
}

export function barChart(o: { id: string; title: string; xLabel: string; bars: Array<{ label: string; value: number; note?: string }> }): string {
  const rowH = 26;
  const height = M.top + M.bottom + Math.max(1, o.bars.length) * rowH;
  const left = 150;
  // Room on the right for each bar's note.
  const x = linearScale([0, Math.max(...o.bars.map((b) => b.value), 1e-9)], [left, W - M.right - 190]);
  const rows = o.bars.map((b, i) => {
    const top = M.top + i * rowH;
    return (
      `<g class="bar"><text x="${left - 8}" y="${top + 17}" text-anchor="end">${escapeXml(b.label)}</text>` +
      `<rect x="${left}" y="${top + 4}" width="${Math.max(1, x(b.value) - left).toFixed(1)}" height="${rowH - 8}" fill="${seriesColor(0)}"><title>${escapeXml(`${b.label}: ${b.note ?? formatNumber(b.value)}`)}</title></rect>` +
      `<text x="${(x(b.value) + 6).toFixed(1)}" y="${top + 17}">${escapeXml(b.note ?? formatNumber(b.value))}</text></g>`
    );
  });
  const bottom = height - M.bottom;
  const ticks = x.ticks().map((t) => `<g class="tick"><line x1="${x(t)}" x2="${x(t)}" y1="${M.top}" y2="${bottom}"/><text x="${x(t)}" y="${bottom + 16}" text-anchor="middle">${x.format(t)}</text></g>`);
  const label = `<text class="label" x="${(left + W - M.right) / 2}" y="${height - 8}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`;
  return frame(o.id, o.title, `<g class="axes">${ticks.join('')}</g>${rows.join('')}${label}`, height);
}

export interface ParallelAxis {
  name: string;
  kind: 'linear' | 'log' | 'categorical';
  /** For categorical axes: the categories in order. */
  categories?: string[];
}

export interface ParallelLine {
  label: string;
  /** One per axis; null where the line has no value (a conditional param not sampled). */
  values: Array<number | string | null>;
  /** Colour position in [0, 1] (viridis). */
  shade: number;
}

export function parallelCoordinates(o: { id: string; title: string; axes: ParallelAxis[]; lines: ParallelLine[] }): string {
  const top = M.top + 14;
  const bottom = H - M.bottom;
  const gap = (W - M.left - M.right) / Math.max(o.axes.length - 1, 1);
  const scales = o.axes.map((axis, i) => {
    const column = o.lines.map((l) => l.values[i]).filter((v): v is number | string => v !== null);
    if (axis.kind === 'categorical') {
      const cats = axis.categories ?? [...new Set(column.map(String))];
      const at = (v: string) => (cats.length === 1 ? (top + bottom) / 2 : bottom - (cats.indexOf(v) / (cats.length - 1)) * (bottom - top));
      return { at: (v: number | string) => at(String(v)), ticks: cats.map((c) => [at(c), c] as const) };
    }
    const nums = column.filter((v): v is number => typeof v === 'number');
    const s = axis.kind === 'log' && nums.every((v) => v > 0) && nums.length ? logScale(extent(nums), [bottom, top]) : linearScale(extent(nums), [bottom, top], 4);
    return { at: (v: number | string) => s(Number(v)), ticks: s.ticks().map((t) => [s(t), s.format(t)] as const) };
  });
  const xs = o.axes.map((_, i) => M.left + i * gap);
  const lines = o.lines.map((l) => {
    let d = '';
    l.values.forEach((v, i) => {
      if (v === null) return;
      d += `${d === '' ? 'M' : 'L'}${xs[i]!.toFixed(1)},${scales[i]!.at(v).toFixed(1)}`;
    });
    return `<path class="series pc" d="${d}" stroke="${viridisCss(l.shade)}"><title>${escapeXml(l.label)}</title></path>`;
  });
  const axesSvg = o.axes.map((axis, i) => {
    const ticks = scales[i]!.ticks.map(([y, text]) => `<text x="${xs[i]! - 5}" y="${(y + 4).toFixed(1)}" text-anchor="end">${escapeXml(String(text))}</text>`);
    return `<g class="pc-axis"><line class="axis" x1="${xs[i]}" x2="${xs[i]}" y1="${top}" y2="${bottom}"/><text class="label" x="${xs[i]}" y="${top - 8}" text-anchor="middle">${escapeXml(axis.name)}</text>${ticks.join('')}</g>`;
  });
  return frame(o.id, o.title, lines.join('') + axesSvg.join(''));
}

export interface HeatmapOptions {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  /** x value of each column (e.g. the step of each stats window). */
  columns: number[];
  /** cells[column][row]; row 0 is drawn at the bottom. */
  cells: number[][];
  /** The value range the rows stand for, bottom to top. */
  rowRange: [number, number];
}

/** Cells shaded by value / max (viridis), drawn as one pixelated image. */
export function heatmap(o: HeatmapOptions): string {
  const cols = o.cells.length;
  const rows = o.cells[0]?.length ?? 0;
  if (cols === 0 || rows === 0) return frame(o.id, o.title, `<text class="empty" x="${W / 2}" y="${H / 2}" text-anchor="middle">no stats windows</text>`);
  const max = Math.max(...o.cells.flat(), 1e-12);
  const rgba = new Uint8Array(cols * rows * 4);
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) {
      const [red, green, blue] = viridis(o.cells[c]![r]! / max);
      rgba.set([red, green, blue, 255], ((rows - 1 - r) * cols + c) * 4);
    }
  }
  const png = encodePng(cols, rows, rgba).toString('base64');
  const x = linearScale(extent(o.columns), [M.left, W - M.right]);
  const y = linearScale(o.rowRange, [H - M.bottom, M.top]);
  const image =
    `<image class="heat" x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" preserveAspectRatio="none" ` +
    `style="image-rendering:pixelated" href="data:image/png;base64,${png}"><title>${escapeXml(o.title)}</title></image>`;
  return frame(o.id, o.title, image + axes(x, y, o.xLabel, o.yLabel, { grid: false }));
}
