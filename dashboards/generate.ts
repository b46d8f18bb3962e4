// Writes every dashboard to dashboards/generated/<uid>.json, which Grafana provisions
// (deploy/grafana/provisioning/dashboards/sweep.yml). Run after changing a dashboard:
//   npx tsx dashboards/generate.ts
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generatedDashboardFiles, generatedDir } from './generated-files';

const files = generatedDashboardFiles();
mkdirSync(generatedDir, { recursive: true });
// A renamed or removed dashboard must not stay provisioned from a stale file.
for (const name of readdirSync(generatedDir)) {
  if (name.endsWith('.json') && !files.has(name)) rmSync(join(generatedDir, name));
}
for (const [name, text] of files) writeFileSync(join(generatedDir, name), text);
console.log(`wrote ${[...files.keys()].join(', ')} to ${relative(process.cwd(), generatedDir) || '.'}`);
