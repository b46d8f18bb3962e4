/**
 * Finds a Python that imports torch: $SWEEP_PYTHON, then `python3` on PATH, then /usr/bin/python3
 * (Debian's python3-torch installs there even when another python3 comes first on PATH).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { z } from 'zod';

const run = promisify(execFile);

const probeSchema = z.object({ torch: z.string(), cuda_devices: z.number().int(), cpus: z.number().int() });
export type PythonInfo = z.infer<typeof probeSchema> & { python: string };

const PROBE = [
  'import json, os, torch',
  'print(json.dumps({"torch": torch.__version__, "cuda_devices": torch.cuda.device_count() if torch.cuda.is_available() else 0, "cpus": os.cpu_count() or 1}))',
].join('\n');

export class NoTorchPythonError extends Error {
  constructor(tried: string[]) {
    super(
      `No Python that imports torch was found (tried: ${tried.join('; ')}).\n` +
        'Install PyTorch: on Debian/Ubuntu `apt-get install python3-torch`, elsewhere `pip install torch`;\n' +
        'or point SWEEP_PYTHON at a Python that has it.',
    );
    this.name = 'NoTorchPythonError';
  }
}

export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const candidates = [env.SWEEP_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  return [...new Set(candidates)];
}

export async function findTorchPython(env: NodeJS.ProcessEnv = process.env): Promise<PythonInfo> {
  const tried: string[] = [];
  for (const python of pythonCandidates(env)) {
    try {
      const { stdout } = await run(python, ['-c', PROBE], { timeout: 120_000 });
      const probe = probeSchema.parse(JSON.parse(stdout.trim().split('\n').pop() ?? ''));
      return { python, ...probe };
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stderr?: string };
      const why = e.code === 'ENOENT' ? 'not found' : (e.stderr?.trim().split('\n').pop() ?? e.message);
      tried.push(`${python}: ${why}`);
    }
  }
  throw new NoTorchPythonError(tried);
}
