import { z } from 'zod';

// The parts of a dashboard's JSON that hold queries. Other keys are left alone (zod strips them),
// so this reads any dashboard, not only ours.
const targetSchema = z.object({ refId: z.string().optional(), expr: z.string() });

export interface PanelJson {
  type: string;
  id?: number | undefined;
  title?: string | undefined;
  description?: string | undefined;
  datasource?: { type?: string | undefined; uid?: string | undefined } | undefined;
  targets?: z.infer<typeof targetSchema>[] | undefined;
  // A collapsed row holds its panels; an open row's panels follow it at the top level.
  panels?: PanelJson[] | undefined;
}

const panelSchema: z.ZodType<PanelJson> = z.lazy(() =>
  z.object({
    type: z.string(),
    id: z.number().optional(),
    title: z.string().optional(),
    description: z.string().optional(),
    datasource: z.object({ type: z.string().optional(), uid: z.string().optional() }).optional(),
    targets: z.array(targetSchema).optional(),
    panels: z.array(panelSchema).optional(),
  }),
);

const variableSchema = z.object({
  type: z.string(),
  name: z.string(),
  // Prometheus query variables hold a string or, as saved by newer Grafana, { query: "..." }.
  query: z.union([z.string(), z.object({ query: z.string() })]).optional(),
});

const dashboardSchema = z.object({
  panels: z.array(panelSchema).default([]),
  templating: z.object({ list: z.array(variableSchema).default([]) }).default({ list: [] }),
});

/** A PromQL expression and where in the dashboard it is, for messages. */
export interface PromExpression {
  source: string;
  expr: string;
}

/** Every panel of a dashboard's JSON, the panels inside collapsed rows included, rows themselves too. */
export function dashboardPanels(dashboardJson: unknown): PanelJson[] {
  return flattenPanels(dashboardSchema.parse(dashboardJson).panels);
}

function flattenPanels(panels: PanelJson[]): PanelJson[] {
  return panels.flatMap((panel) => [panel, ...flattenPanels(panel.panels ?? [])]);
}

/**
 * Every PromQL expression of a dashboard's JSON: each panel target's `expr` and each query
 * variable's query. Variable queries use Grafana's `label_values(selector, label)`, which is not
 * PromQL; it becomes `group by (label) (selector)`, which returns one series per value the
 * variable would list. Grafana variables (`$sweep`, `$__rate_interval`) are left in place: see
 * substituteVariables.
 */
export function promExpressions(dashboardJson: unknown): PromExpression[] {
  const parsed = dashboardSchema.parse(dashboardJson);
  const fromVariables = parsed.templating.list
    .filter((variable) => variable.type === 'query' && variable.query !== undefined)
    .map((variable) => ({
      source: `variable ${variable.name}`,
      expr: labelValuesAsPromQL(typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '')),
    }));
  const fromPanels = flattenPanels(parsed.panels).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      source: `panel ${panel.id ?? '?'} "${panel.title ?? ''}" query ${target.refId ?? '?'}`,
      expr: target.expr,
    })),
  );
  return [...fromVariables, ...fromPanels];
}

const labelValuesCall = /^\s*label_values\((.+),\s*([A-Za-z_]\w*)\s*\)\s*$/s;

function labelValuesAsPromQL(query: string): string {
  const match = labelValuesCall.exec(query);
  if (!match) throw new Error(`expected a variable query of the form label_values(selector, label), got ${JSON.stringify(query)}`);
  return `group by (${match[2]}) (${match[1]!.trim()})`;
}

/**
 * Replaces Grafana variables in an expression: `$name` and `${name}` by values[name]. Names are
 * given without the `$`: { sweep: 'demo-…', __rate_interval: '20s', __range: '1h' }. A variable
 * with no value is an error rather than being left for Prometheus to reject as a parse error.
 */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>>): string {
  return expr.replace(/\$(?:\{(\w+)\}|(\w+))/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const value = values[name];
    if (value === undefined) throw new Error(`no value for ${whole} in ${expr}`);
    return value;
  });
}
