// PromQL keywords that look like identifiers but name no metric.
const keywords = new Set([
  'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan',
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right',
]);

/**
 * The metric names an expression selects, in order of appearance. A small lexer, enough for
 * dashboard and alert queries: it drops string literals, label matchers `{...}`, ranges `[...]`
 * and grouping label lists (`by (...)`, `on (...)`, ...), then keeps the identifiers that are not
 * function or aggregation calls, keywords, or parts of numbers and durations.
 */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names: string[] = [];
  for (const match of bare.matchAll(/(?<![\w.$])[A-Za-z_:][\w:]*/g)) {
    const rest = bare.slice(match.index + match[0].length);
    const isCall = /^\s*\(/.test(rest);
    if (!isCall && !keywords.has(match[0].toLowerCase()) && !names.includes(match[0])) names.push(match[0]);
  }
  return names;
}
