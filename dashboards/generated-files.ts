import { join } from 'node:path';
import { allDashboards } from './all-dashboards';

export const generatedDir = join(__dirname, 'generated');

/** Each dashboard's file name (`<uid>.json`) and its text: 2-space JSON with a trailing newline. */
export function generatedDashboardFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const built of allDashboards()) {
    if (!built.uid) throw new Error(`dashboard "${built.title ?? ''}" has no uid: its file is named after it`);
    const name = `${built.uid}.json`;
    if (files.has(name)) throw new Error(`two dashboards have the uid ${built.uid}`);
    files.set(name, `${JSON.stringify(built, null, 2)}\n`);
  }
  return files;
}
