/**
 * The git commit of the code this worker runs (trainer included), for leaderboard entries:
 * `<sha>`, `<sha>-dirty` when tracked files differ from it, or null outside a git checkout.
 * An image without .git says its commit in SWEEP_COMMIT (deploy/docker/*.Dockerfile).
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(__dirname, '..');

export async function codeVersion(root = REPO_ROOT, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  if (env.SWEEP_COMMIT) return env.SWEEP_COMMIT;
  try {
    const { stdout: sha } = await run('git', ['-C', root, 'rev-parse', 'HEAD'], { timeout: 10_000 });
    const { stdout: changes } = await run('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], { timeout: 10_000 });
    return `${sha.trim()}${changes.trim() === '' ? '' : '-dirty'}`;
  } catch {
    return null; // no git, or not a checkout (an installed package)
  }
}
