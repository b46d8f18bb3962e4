/**
 * The search-space file (`space.json`): schema, cross-field rules and error text.
 *
 * Parsing never throws on bad input: it returns every problem found, each naming the JSON path,
 * the value that arrived and what is allowed, so a user fixes a file in one pass.
 */
import { z } from 'zod';
import { gridSize, sameValue } from '../searcher/space-points';
import { HEALTH_DEFAULTS, healthSchema, prunerSchema } from './pruning';
import { TRIAL_FIELDS, isTrialField, type HyperValue, type TrialFieldName } from './trial-config';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** A categorical choice; `number[]` is for list fields such as `widths`. */
const choice = z.union([z.number(), z.string(), z.boolean(), z.array(z.number())], {
  error: 'must be a number, a string, true/false or a list of numbers',
});

/**
 * Makes a param conditional: it is sampled only when the categorical `param` took the value
 * `equals`, and is otherwise absent from the trial, so the trainer's default applies.
 */
const conditionSpec = z.strictObject({ param: z.string(), equals: choice });

const uniformSpec = z.strictObject({ type: z.literal('uniform'), low: finite, high: finite, condition: conditionSpec.optional() });
const logUniformSpec = z.strictObject({ type: z.literal('loguniform'), low: finite, high: finite, condition: conditionSpec.optional() });
const intSpec = z.strictObject({
  type: z.literal('int'),
  low: z.number().int(),
  high: z.number().int(),
  step: z.number().int().min(1).default(1),
  /** Sampled uniformly in log space (low >= 1, step 1), like a loguniform rounded to integers. */
  log: z.boolean().default(false),
  condition: conditionSpec.optional(),
});
const categoricalSpec = z.strictObject({
  type: z.literal('categorical'),
  values: z.array(choice).min(1, 'must list at least one value'),
  condition: conditionSpec.optional(),
});

export const paramSpecSchema = z.discriminatedUnion('type', [uniformSpec, logUniformSpec, intSpec, categoricalSpec], {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? `"type" must be one of uniform, loguniform, int, categorical`
      : undefined,
});
export type ParamSpec = z.infer<typeof paramSpecSchema>;

export const QUEUE_KINDS = ['cpu', 'gpu'] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

/** Budgets beyond these are mistakes, not experiments. */
export const MAX_TRIALS = 10_000;
export const MAX_PARALLEL = 256;

export const SEARCHERS = ['tpe', 'random', 'grid'] as const;

/** Options of the TPE searcher (searcher/tpe); each one changes what it suggests. */
const tpeOptions = z.strictObject({
  /**
   * One joint Parzen estimator over the unconditional params instead of one per param: Optuna 5's
   * default for one objective, and lower regret than independent in bench/searcher.
   */
  multivariate: z.boolean().default(true),
  /** Running trials count as bad ones, so parallel suggestions spread out. */
  constant_liar: z.boolean().default(true),
  /** Random suggestions until this many trials have completed. */
  n_startup_trials: z.number().int().min(0).max(MAX_TRIALS).default(10),
  /** Candidates drawn from the good-trials estimator per suggestion. */
  n_ei_candidates: z.number().int().min(1).max(1000).default(24),
});
export type TpeOptions = z.infer<typeof tpeOptions>;
export const TPE_DEFAULTS: TpeOptions = tpeOptions.parse({});

const spaceShape = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,47}$/, 'must be 1-48 characters of a-z, 0-9, "-" or "_", starting with a letter or digit'),
  description: z.string().max(2000).optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  trials: z.number().int().min(1).max(MAX_TRIALS),
  parallel: z.number().int().min(1).max(MAX_PARALLEL).default(1),
  searcher: z.enum(SEARCHERS).default('tpe'),
  tpe: tpeOptions.optional(),
  queue: z.enum(QUEUE_KINDS).default('cpu'),
  /** Stops trials that trail their peers at epoch boundaries (docs/pruning.md). */
  pruner: prunerSchema.default({ type: 'none' }),
  /** Stops a trial whose own loss or activations go bad, between epochs. */
  health: healthSchema.default(HEALTH_DEFAULTS),
  fixed: z.record(z.string(), z.unknown()).default({}),
  params: z.record(z.string(), paramSpecSchema),
});

export type Space = Omit<z.infer<typeof spaceShape>, 'fixed'> & {
  fixed: Record<string, HyperValue>;
};

export interface SpaceProblem {
  path: string;
  message: string;
}

export type SpaceParseResult = { ok: true; space: Space } | { ok: false; problems: SpaceProblem[] };

function renderPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map(String).join('.');
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A discriminated union reports the whole object; the value worth showing is the discriminator's. */
function offendingValue(input: unknown, path: readonly PropertyKey[]): unknown {
  const key = path[path.length - 1];
  if (typeof input === 'object' && input !== null && !Array.isArray(input) && typeof key === 'string' && Object.hasOwn(input, key)) {
    return (input as Record<string, unknown>)[key];
  }
  return input;
}

function zodProblems(error: z.ZodError): SpaceProblem[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return { path: renderPath(issue.path), message: `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` };
    }
    const got = 'input' in issue && issue.input !== undefined ? `, got ${describe(offendingValue(issue.input, issue.path))}` : '';
    const missing = (issue.code === 'invalid_type' || issue.code === 'invalid_union') && issue.input === undefined;
    const message = missing ? 'is required' : `${issue.message}${got}`;
    return { path: renderPath(issue.path), message };
  });
}

/** Rules that need more than one field, or the trainer's own limits. */
function crossFieldProblems(space: z.infer<typeof spaceShape>): SpaceProblem[] {
  const problems: SpaceProblem[] = [];
  const checkValue = (path: string, field: TrialFieldName, value: unknown) => {
    const spec = TRIAL_FIELDS[field];
    if (!spec.schema.safeParse(value).success) {
      problems.push({ path, message: `${describe(value)} is not allowed for ${field}: the trainer takes ${spec.allowed}` });
    }
  };
  const checkName = (path: string, name: string): name is TrialFieldName => {
    if (name === 'evaluate') {
      problems.push({ path, message: '"evaluate" is set by `sweep promote` alone: a trial is scored on the validation split, never on the test images' });
      return false;
    }
    if (!isTrialField(name)) {
      const known = Object.keys(TRIAL_FIELDS).filter((f) => TRIAL_FIELDS[f as TrialFieldName].owner === 'space');
      problems.push({ path, message: `unknown hyperparameter "${name}"; known: ${known.join(', ')}` });
      return false;
    }
    if (TRIAL_FIELDS[name].owner === 'worker') {
      problems.push({ path, message: `"${name}" is set by the worker for the node a trial runs on, not by the space file` });
      return false;
    }
    return true;
  };

  for (const [name, value] of Object.entries(space.fixed)) {
    if (checkName(`fixed.${name}`, name)) checkValue(`fixed.${name}`, name, value);
  }
  for (const [name, spec] of Object.entries(space.params)) {
    const path = `params.${name}`;
    if (!checkName(path, name)) continue;
    if (name === 'split_seed') {
      // Trials are compared on their validation accuracy, so they must all hold out the same images.
      problems.push({ path, message: '"split_seed" may be fixed but not searched: every trial of a sweep is scored on the same validation split' });
      continue;
    }
    if (Object.hasOwn(space.fixed, name)) {
      problems.push({ path, message: `"${name}" is both fixed and searched; keep one` });
    }
    const field = TRIAL_FIELDS[name];
    if (spec.type === 'categorical') {
      spec.values.forEach((value, i) => checkValue(`${path}.values.${i}`, name, value));
      spec.values.forEach((value, i) => {
        const first = spec.values.findIndex((v) => sameValue(v, value));
        // A repeated value would be drawn twice as often, silently.
        if (first < i) problems.push({ path: `${path}.values.${i}`, message: `${describe(value)} repeats values.${first}; list each value once` });
      });
      continue;
    }
    if (spec.low > spec.high) {
      problems.push({ path, message: `low (${spec.low}) must not be greater than high (${spec.high})` });
      continue;
    }
    if (spec.type === 'loguniform' && spec.low <= 0) {
      problems.push({ path: `${path}.low`, message: `loguniform bounds must be > 0, got ${spec.low}` });
      continue;
    }
    if (field.kind === 'int' && spec.type !== 'int') {
      problems.push({ path: `${path}.type`, message: `${name} takes integers: use "int" or "categorical", not "${spec.type}"` });
      continue;
    }
    if (field.kind !== 'int' && field.kind !== 'float') {
      problems.push({ path: `${path}.type`, message: `${name} takes ${field.allowed}: only "categorical" can search it` });
      continue;
    }
    if (spec.type === 'int' && spec.log) {
      if (spec.low < 1) problems.push({ path: `${path}.low`, message: `an int with "log": true needs low >= 1, got ${spec.low}` });
      if (spec.step !== 1) problems.push({ path: `${path}.step`, message: `an int with "log": true takes step 1 only, got ${spec.step}` });
    }
    checkValue(`${path}.low`, name, spec.low);
    checkValue(`${path}.high`, name, spec.high);
  }
  problems.push(...conditionProblems(space), ...searcherProblems(space));
  return problems;
}

/** A condition's parent must be an unconditional categorical param that can take the value. */
function conditionProblems(space: z.infer<typeof spaceShape>): SpaceProblem[] {
  const problems: SpaceProblem[] = [];
  for (const [name, spec] of Object.entries(space.params)) {
    const condition = spec.condition;
    if (condition === undefined) continue;
    const path = `params.${name}.condition`;
    const parent = space.params[condition.param];
    const parents = Object.keys(space.params).filter((n) => n !== name && space.params[n]!.type === 'categorical' && !space.params[n]!.condition);
    if (parent === undefined || condition.param === name) {
      problems.push({ path: `${path}.param`, message: `${describe(condition.param)} is not another searched param; a parent must be a categorical param under "params" (here: ${parents.join(', ') || 'none'})` });
    } else if (parent.type !== 'categorical') {
      problems.push({ path: `${path}.param`, message: `"${condition.param}" is ${parent.type}; a parent must be a categorical param` });
    } else if (parent.condition !== undefined) {
      problems.push({ path: `${path}.param`, message: `"${condition.param}" is itself conditional; a parent must be unconditional` });
    } else if (!parent.values.some((v) => sameValue(v, condition.equals))) {
      problems.push({ path: `${path}.equals`, message: `${describe(condition.equals)} is not among the values of "${condition.param}": ${describe(parent.values)}` });
    }
  }
  return problems;
}

/** Rules of one searcher: grid needs a finite grid at least as large as the budget. */
function searcherProblems(space: z.infer<typeof spaceShape>): SpaceProblem[] {
  const problems: SpaceProblem[] = [];
  if (space.tpe !== undefined && space.searcher !== 'tpe') {
    problems.push({ path: 'tpe', message: `options for the TPE searcher, but "searcher" is "${space.searcher}"; remove "tpe" or set "searcher": "tpe"` });
  }
  if (space.searcher !== 'grid') return problems;
  for (const [name, spec] of Object.entries(space.params)) {
    if (spec.type === 'uniform' || spec.type === 'loguniform') {
      problems.push({ path: `params.${name}.type`, message: `grid search takes "int" and "categorical" params only, got "${spec.type}"; list the values to try as a categorical` });
    }
  }
  if (problems.length > 0) return problems;
  const size = gridSize(space.params);
  if (space.trials > size) {
    // The workflow runs exactly `trials` trials, so a budget past the grid would repeat points.
    problems.push({ path: 'trials', message: `${space.trials} is more than the grid's ${size} points; grid search suggests each point once, so set trials <= ${size}` });
  }
  return problems;
}

/** Validates an already-decoded JSON value as a space. */
export function parseSpace(value: unknown): SpaceParseResult {
  const parsed = spaceShape.safeParse(value, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error) };
  const problems = crossFieldProblems(parsed.data);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, space: parsed.data as Space };
}

/**
 * The space file's JSON Schema (draft 2020-12), for editors and `sweep schema`. It states the shape;
 * the rules across fields (bounds within what the trainer accepts, low <= high, conditions) are
 * checked by parseSpace and listed in docs/space-file.md.
 */
export function spaceJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(spaceShape, { io: 'input', unrepresentable: 'any' }),
    title: 'sweep search space',
    description: 'A sweep: its budget and the trainer hyperparameters it fixes or searches (docs/space-file.md).',
  };
}
