/**
 * The `sweep` command line: argument parsing only; each command lives in cli/commands/.
 * The one place that calls process.exit.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { QUEUE_KINDS } from '../contracts/space';
import { devCommand } from './commands/dev';
import { leaderboardCommand } from './commands/leaderboard';
import { lrFindCommand } from './commands/lr-find';
import { promoteCommand } from './commands/promote';
import { reportCommand } from './commands/report';
import { metricsCommand } from './commands/metrics';
import { schemaCommand } from './commands/schema';
import { startCommand } from './commands/start';
import { statusCommand } from './commands/status';
import { pauseCommand } from './commands/pause';
import { resumeCommand } from './commands/resume';
import { stopCommand } from './commands/stop';
import { validateCommand } from './commands/validate';
import { watchCommand } from './commands/watch';
import { workerCommand } from './commands/worker';
import { workersCommand } from './commands/workers';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, ExitError } from './errors';
import { LEADERBOARD_FORMATS, type LeaderboardFormat } from './leaderboard-format';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1024) throw new InvalidArgumentError('expected an integer from 1 to 1024');
  return n;
}

function intIn(low: number, high: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < low || n > high) throw new InvalidArgumentError(`expected an integer from ${low} to ${high}`);
    return n;
  };
}

function trialList(value: string): number[] {
  const trials = value.split(',').map((part) => Number(part.trim()));
  if (trials.length === 0 || trials.some((n) => !Number.isInteger(n) || n < 0)) throw new InvalidArgumentError('expected trial numbers separated by commas, e.g. 0,3,7');
  return [...new Set(trials)];
}

function learningRate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 100) throw new InvalidArgumentError('expected a learning rate: a number above 0, at most 100');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a port: an integer from 1 to 65535');
  return n;
}

function minutes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 7 * 24 * 60) throw new InvalidArgumentError('expected minutes: a number above 0, at most a week (10080)');
  return n;
}

function buildProgram(): Command {
  const program = new Command('sweep')
    .description('Hyperparameter sweeps for small image models (Fashion-MNIST), on Temporal, NATS and PyTorch')
    .option('--state-dir <dir>', 'folder of the embedded stack\'s state (default: $SWEEP_STATE_DIR or .sweep)')
    .exitOverride()
    .showHelpAfterError();
  const globals = () => program.opts<{ stateDir?: string }>();

  program
    .command('start')
    .description('validate a space file, start a sweep and follow it to the end')
    .argument('<file>', 'space file (JSON)')
    .option('--detach', 'start the sweep and return; follow it later with `sweep watch`')
    .option('--json', 'print one JSON summary on stdout at the end (progress goes to stderr)')
    .option('--new', 'start a new sweep even when one of the same space is running (default: follow that one)')
    .action((file: string, opts: { detach?: boolean; json?: boolean; new?: boolean }) => startCommand(file, { ...globals(), ...opts }));
  program
    .command('validate')
    .description('check a space file; starts nothing')
    .argument('<file>', 'space file (JSON)')
    .action((file: string) => validateCommand(file));
  program
    .command('schema')
    .description('print the JSON Schema of space files')
    .action(() => schemaCommand());
  program
    .command('status')
    .description('a sweep\'s trials and best config, or the list of sweeps')
    .argument('[id]', 'sweep id')
    .option('--json', 'print JSON')
    .action((id: string | undefined, opts: { json?: boolean }) => statusCommand(id, { ...globals(), ...opts }));
  program
    .command('watch')
    .description('follow a running sweep (replays its events so far)')
    .argument('<id>', 'sweep id')
    .option('--json', 'print one JSON summary on stdout at the end')
    .action((id: string, opts: { json?: boolean }) => watchCommand(id, { ...globals(), ...opts }));
  program
    .command('stop')
    .description('stop a sweep: no new trials, running trials are stopped')
    .argument('<id>', 'sweep id')
    .action((id: string) => stopCommand(id, globals()));
  program
    .command('pause')
    .description('pause a sweep: no new trials; running trials stop and keep their checkpoints')
    .argument('<id>', 'sweep id')
    .action((id: string) => pauseCommand(id, globals()));
  program
    .command('resume')
    .description('go on with a paused or stopped sweep (unfinished trials from their checkpoints), then follow it')
    .argument('<id>', 'sweep id')
    .option('--detach', 'resume the sweep and return')
    .option('--json', 'print one JSON summary on stdout at the end (progress goes to stderr)')
    .action((id: string, opts: { detach?: boolean; json?: boolean }) => resumeCommand(id, { ...globals(), ...opts }));
  program
    .command('promote')
    .description('train a sweep\'s best config again with several seeds on all 60,000 training images, score it on the test set, and write a leaderboard entry')
    .argument('<id>', 'sweep id')
    .option('--trial <n>', 'promote this completed trial instead of the best', intIn(0, 1_000_000))
    .option('--seeds <n>', 'runs, with seeds 0..n-1', intIn(1, 20), 3)
    .option('--parallel <n>', 'runs at once (default: the sweep\'s parallel, at most the seeds)', positiveInt)
    .option('--train-subset <n>', 'train on only this many images (a quick look or a test; not a challenge result)', intIn(2, 50_000))
    .option('--detach', 'start the promotion and return')
    .option('--json', 'print the leaderboard entry as one JSON object on stdout (progress goes to stderr)')
    .action((id: string, opts: { trial?: number; seeds: number; parallel?: number; trainSubset?: number; detach?: boolean; json?: boolean }) =>
      promoteCommand(id, { ...globals(), ...opts }),
    );
  program
    .command('leaderboard')
    .description('the promoted configs, best mean test accuracy first')
    .addOption(new Option('--format <format>', 'table, md (Markdown for a forum post) or json').choices(LEADERBOARD_FORMATS).default('table'))
    .action((opts: { format: LeaderboardFormat }) => leaderboardCommand({ ...globals(), ...opts }));
  program
    .command('report')
    .description('write one self-contained HTML report of a sweep: history, parallel coordinates, importance, learning curves, activations')
    .argument('<id>', 'sweep id')
    .option('--out <file>', 'where to write it (default: sweep-report-<id>.html)')
    .option('--trials <list>', 'trials that get activation charts, e.g. 0,3 (default: the best)', trialList)
    .action((id: string, opts: { out?: string; trials?: number[] }) => reportCommand(id, { ...globals(), ...opts }));
  program
    .command('lr-find')
    .description('the learning-rate range test of a trial config on this machine: a plot and a suggested max_lr range for a space')
    .argument('<config>', 'trial config (JSON object of trainer fields, docs/trainer-protocol.md)')
    .option('--out <file>', 'where to write the plot (SVG)', 'lr-find.svg')
    .option('--start <lr>', 'first learning rate', learningRate, 1e-6)
    .option('--end <lr>', 'last learning rate', learningRate, 10)
    .option('--steps <n>', 'optimizer steps at most (the test stops sooner once the loss diverges)', intIn(10, 10_000), 100)
    .option('--json', 'print the measurements and the suggestion as one JSON object')
    .action((config: string, opts: { out?: string; start: number; end: number; steps: number; json?: boolean }) => lrFindCommand(config, opts));
  program
    .command('worker')
    .description('run a worker node until interrupted')
    .addOption(new Option('--queue <kind>', 'trial queue to serve (default: gpu if torch sees CUDA, else cpu)').choices(QUEUE_KINDS))
    .option('--slots <n>', 'trials at once (default: --slots-per-gpu per GPU, or one per CPU core)', positiveInt)
    .option('--slots-per-gpu <n>', 'trials sharing each GPU, each pinned to its GPU by CUDA_VISIBLE_DEVICES (default 1)', intIn(1, 64))
    .action((opts: { queue?: 'cpu' | 'gpu'; slots?: number; slotsPerGpu?: number }) => workerCommand({ ...globals(), ...opts }));
  program
    .command('workers')
    .description('the live worker nodes: queue, slots, busy slots, last seen, quarantine')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => workersCommand({ ...globals(), ...opts }));
  program
    .command('metrics')
    .description('serve sweep metrics to Prometheus and turn prune alerts into early stops, until interrupted')
    .option('--host <address>', 'address to listen on; anything but loopback exposes the alert receiver (set SWEEP_ALERT_TOKEN)', '127.0.0.1')
    .option('--port <port>', 'port to listen on (default: $SWEEP_METRICS_PORT or 9464)', port)
    .option('--retention-minutes <minutes>', 'how long a finished trial\'s series stay', minutes, 15)
    .action((opts: { host: string; port?: number; retentionMinutes: number }) => metricsCommand({ ...globals(), ...opts }));
  program
    .command('dev')
    .description('the embedded local stack (Temporal dev server, nats-server, a local worker)')
    .argument('<action>', 'up, down or status')
    .option('--json', 'status as JSON')
    .action((action: string, opts: { json?: boolean }) => devCommand(action, { ...globals(), ...opts }));
  return program;
}

export async function main(argv: string[]): Promise<void> {
  let code = EXIT_OK;
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end with exitCode 0; every other parse error is bad input.
      code = error.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    } else if (error instanceof ExitError) {
      // Every line prefixed, so each problem of a bad file reads the same.
      process.stderr.write(error.message.split('\n').map((line) => `sweep: ${line}\n`).join(''));
      code = error.code;
    } else {
      // Unexpected: the whole trace, and the chain of causes (a gRPC error's is the server's word).
      let text = `sweep: ${(error as Error)?.stack ?? String(error)}\n`;
      for (let cause = (error as Error)?.cause; cause !== undefined && cause !== null; cause = (cause as Error).cause) {
        text += `sweep: caused by: ${cause instanceof Error ? cause.message : String(cause)}\n`;
      }
      process.stderr.write(text);
      code = EXIT_FAILURE;
    }
  }
  // Open handles (gRPC, NATS) must not keep a finished command alive.
  process.exit(code);
}
