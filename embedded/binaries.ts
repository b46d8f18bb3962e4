/**
 * Finds the server programs the embedded stack runs, with install instructions when one is missing.
 */
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class MissingProgramError extends Error {
  override name = 'MissingProgramError';
}

async function executable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(name: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && (await executable(path.join(dir, name)))) return path.join(dir, name);
  }
  return null;
}

async function goBin(): Promise<string> {
  try {
    const { stdout } = await run('go', ['env', 'GOBIN', 'GOPATH']);
    const [gobin, gopath] = stdout.split('\n');
    return gobin || path.join(gopath || path.join(os.homedir(), 'go'), 'bin');
  } catch {
    return path.join(os.homedir(), 'go', 'bin');
  }
}

/** $SWEEP_TEMPORAL_CLI, `temporal` on PATH, then Go's bin folder (where `go install` puts it). */
export async function findTemporalCli(): Promise<string> {
  const candidates = [process.env.SWEEP_TEMPORAL_CLI, await onPath('temporal'), path.join(await goBin(), 'temporal')];
  for (const c of candidates) if (c && (await executable(c))) return c;
  throw new MissingProgramError(
    'The Temporal CLI (`temporal`) was not found on PATH or in Go\'s bin folder.\n' +
      'Install it with `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` (Go >= 1.24), ' +
      'or run ./setup; or set SWEEP_TEMPORAL_CLI to its path.',
  );
}

/** $SWEEP_NATS_SERVER, `nats-server` on PATH, then /usr/sbin (Debian's package puts it there). */
export async function findNatsServer(): Promise<string> {
  const candidates = [process.env.SWEEP_NATS_SERVER, await onPath('nats-server'), '/usr/sbin/nats-server'];
  for (const c of candidates) if (c && (await executable(c))) return c;
  throw new MissingProgramError(
    '`nats-server` was not found.\n' +
      'Install it with `apt-get install nats-server` (Debian/Ubuntu) or from the NATS releases, or run ./setup; ' +
      'or set SWEEP_NATS_SERVER to its path.',
  );
}
