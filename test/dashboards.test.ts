import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generatedDashboardFiles, generatedDir } from '../dashboards/generated-files';
import { metricNames } from '../dashboards/promql-metric-names';
import { dashboardPanels, promExpressions, substituteVariables } from '../dashboards/queries';

const regenerate = 'run `npx tsx dashboards/generate.ts` and commit dashboards/generated';
const promtool = '/usr/bin/promtool';
const alertRules = 'deploy/prometheus/rules/sweep-alerts.yml';

function committedDashboards(): { name: string; json: unknown }[] {
  return readdirSync(generatedDir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ name, json: JSON.parse(readFileSync(join(generatedDir, name), 'utf8')) }));
}

/** Metric names in the first column of docs/metrics.md's tables whose first header is "metric". */
function documentedMetrics(): Set<string> {
  const names = new Set<string>();
  let inMetricTable = false;
  for (const line of readFileSync('docs/metrics.md', 'utf8').split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (!line.startsWith('|')) inMetricTable = false;
    else if (cells[1] === 'metric') inMetricTable = true;
    else if (inMetricTable) {
      const name = /^`(\w+)`$/.exec(cells[1] ?? '');
      if (name) names.add(name[1]!);
    }
  }
  return names;
}

// Values for every variable the dashboards use, so the expressions become plain PromQL.
const sampleVariables = {
  sweep: 'demo-20250101T000000Z-abcd',
  trial: '3',
  layer: 'block0',
  param: 'max_lr',
  __rate_interval: '20s',
  __interval: '5s',
  __range: '1h',
};

describe('dashboards', () => {
  it(`match the committed files in dashboards/generated (else ${regenerate})`, () => {
    const files = generatedDashboardFiles();
    const committed = readdirSync(generatedDir).filter((name) => name.endsWith('.json'));
    assert.deepEqual(committed.sort(), [...files.keys()].sort(), `dashboards/generated holds other files than the dashboards: ${regenerate}`);
    for (const [name, text] of files) {
      assert.equal(readFileSync(join(generatedDir, name), 'utf8'), text, `dashboards/generated/${name} is out of date: ${regenerate}`);
    }
  });

  it('query only metrics documented in docs/metrics.md', () => {
    const documented = documentedMetrics();
    assert.ok(documented.has('sweep_trial_layer_activation_count'), 'docs/metrics.md tables were not parsed');
    for (const { name, json } of committedDashboards()) {
      for (const { source, expr } of promExpressions(json)) {
        const names = metricNames(expr);
        assert.ok(names.length > 0, `${name} ${source}: no metric in ${expr}`);
        for (const metric of names) assert.ok(documented.has(metric), `${name} ${source}: ${metric} is not in docs/metrics.md`);
      }
    }
  });

  it('give every query an expression, a refId unique in its panel, and the sweep-prometheus datasource', () => {
    for (const { name, json } of committedDashboards()) {
      for (const { source, expr } of promExpressions(json)) assert.notEqual(expr.trim(), '', `${name} ${source}: empty expression`);
      for (const panel of dashboardPanels(json).filter((p) => p.type !== 'row')) {
        const where = `${name} panel ${panel.id ?? '?'} "${panel.title ?? ''}"`;
        assert.equal(panel.datasource?.uid, 'sweep-prometheus', `${where}: datasource`);
        assert.ok(panel.description, `${where}: no description`);
        const refIds = (panel.targets ?? []).map((target) => target.refId);
        assert.ok(refIds.length > 0, `${where}: no queries`);
        assert.equal(new Set(refIds).size, refIds.length, `${where}: refIds ${refIds.join(', ')} are not unique`);
      }
    }
  });

  it('number panels uniquely, panels inside rows included', () => {
    for (const { name, json } of committedDashboards()) {
      const ids = dashboardPanels(json).map((panel) => panel.id);
      assert.equal(new Set(ids).size, ids.length, `${name}: panel ids ${ids.join(', ')}`);
    }
  });

  it('have expressions promtool parses once variables are substituted', () => {
    assert.ok(existsSync(promtool), `${promtool} is missing: ./setup installs Debian's prometheus, which ships it`);
    // promtool checks the expressions of a rules file, so each expression becomes a recording rule.
    const expressions = committedDashboards().flatMap(({ name, json }) => promExpressions(json).map((e) => ({ ...e, source: `${name} ${e.source}` })));
    const rules = expressions.map(({ expr }, i) => `      - record: dashboard_expression_${i}\n        expr: ${JSON.stringify(substituteVariables(expr, sampleVariables))}\n`);
    const dir = mkdtempSync(join(tmpdir(), 'sweep-dashboards-'));
    try {
      const file = join(dir, 'expressions.yml');
      writeFileSync(file, `groups:\n  - name: dashboards\n    rules:\n${rules.join('')}`);
      execFileSync(promtool, ['check', 'rules', file], { stdio: 'pipe' });
    } catch (error) {
      const output = error instanceof Error ? error.message : String(error);
      const rejected = [...output.matchAll(/dashboard_expression_(\d+)/g)].map((m) => expressions[Number(m[1])]);
      assert.fail(`promtool rejects ${rejected.map((e) => `${e?.source}: ${e?.expr}`).join('; ')}\n${output}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('dashboard query helpers', () => {
  it('turn label_values variables into PromQL and find queries in collapsed rows', () => {
    const json = {
      templating: { list: [{ type: 'query', name: 'trial', query: { query: 'label_values(sweep_trial_loss{sweep="$sweep"}, trial)' } }] },
      panels: [{ type: 'row', panels: [{ type: 'timeseries', id: 2, title: 'loss', targets: [{ refId: 'A', expr: 'sweep_trial_loss' }] }] }],
    };
    assert.deepEqual(promExpressions(json), [
      { source: 'variable trial', expr: 'group by (trial) (sweep_trial_loss{sweep="$sweep"})' },
      { source: 'panel 2 "loss" query A', expr: 'sweep_trial_loss' },
    ]);
  });

  it('substitute $name and ${name}, and reject a variable with no value', () => {
    assert.equal(substituteVariables('rate(x{a="$a"}[${__rate_interval}])', { a: '1', __rate_interval: '20s' }), 'rate(x{a="1"}[20s])');
    assert.throws(() => substituteVariables('x{a="$b"}', { a: '1' }), /no value for \$b/);
  });

  it('find metric names but not functions, labels, keywords, numbers or durations', () => {
    assert.deepEqual(
      metricNames('max by (sweep, trial) (rate(a_total{b="c_d"}[5m] offset 1m)) > 1e3 and on (sweep) group_left b / ln(1 + c:rule)'),
      ['a_total', 'b', 'c:rule'],
    );
  });
});

describe('deploy', () => {
  it('provisions dashboards from the folder the README mounts dashboards/generated at', () => {
    const path = /^\s+path:\s*(\S+)\s*$/m.exec(readFileSync('deploy/grafana/provisioning/dashboards/sweep.yml', 'utf8'))?.[1];
    assert.ok(path, 'no `path:` in deploy/grafana/provisioning/dashboards/sweep.yml');
    assert.ok(readFileSync('deploy/README.md', 'utf8').includes(`dashboards/generated:${path}`), `deploy/README.md does not mount dashboards/generated at ${path}`);
    assert.ok(committedDashboards().length > 0, 'dashboards/generated holds no dashboards');
  });

  it('provisions the datasource with the uid the dashboards use', () => {
    const datasource = readFileSync('deploy/grafana/provisioning/datasources/sweep.yml', 'utf8');
    assert.match(datasource, /^\s+uid: sweep-prometheus$/m);
    assert.match(datasource, /^\s+url: \$\{PROMETHEUS_URL\}$/m);
  });

  it('label every alert sweep_action: prune and wait `for: 1m`, in a form tests can rewrite', () => {
    const rules = readFileSync(alertRules, 'utf8');
    const alerts = rules.match(/^\s+- alert: \w+$/gm) ?? [];
    assert.deepEqual(alerts.map((line) => line.trim()), ['- alert: SweepTrialDeadActivations', '- alert: SweepTrialLossDiverging']);
    assert.equal(rules.match(/^ {8}for: 1m$/gm)?.length, alerts.length, 'one `for: 1m` line per alert');
    assert.equal(rules.match(/^ {10}sweep_action: prune$/gm)?.length, alerts.length, 'one `sweep_action: prune` label per alert');
  });

  it('alert on documented metrics only', () => {
    const documented = documentedMetrics();
    const expressions = [...readFileSync(alertRules, 'utf8').matchAll(/^\s+expr: (.+)$/gm)].map((m) => m[1]!);
    assert.equal(expressions.length, 2);
    for (const expr of expressions) {
      for (const metric of metricNames(expr)) assert.ok(documented.has(metric), `${alertRules}: ${metric} is not in docs/metrics.md`);
    }
  });

  it('pass promtool: config, rules and the alerts\' unit tests', () => {
    assert.ok(existsSync(promtool), `${promtool} is missing: ./setup installs Debian's prometheus, which ships it`);
    execFileSync(promtool, ['check', 'config', 'deploy/prometheus/prometheus.yml'], { stdio: 'pipe' });
    execFileSync(promtool, ['check', 'rules', alertRules], { stdio: 'pipe' });
    execFileSync(promtool, ['test', 'rules', 'deploy/prometheus/tests/sweep-alerts.test.yml'], { stdio: 'pipe' });
  });
});
