/**
 * The search-space file (`space.json`): schema, cross-field rules and error text.
 *
 * Parsing never throws on bad input: it returns every problem found, each naming the JSON path,
 * the value that arrived and what is allowed, so a user fixes a file in one pass.
 */
import { z } from 'zod';
import { TRIAL_FIELDS, isTrialField, type HyperValue, type TrialFieldName } from './trial-config';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

const uniformSpec = z.strictObject({ type: z.literal('uniform'), low: finite, high: finite });
const logUniformSpec = z.strictObject({ type: z.literal('loguniform'), low: finite, high: finite });
const intSpec = z.strictObject({
  type: z.literal('int'),
  low: z.number().int(),
  high: z.number().int(),
  step: z.number().int().min(1).default(1),
});
const categoricalSpec = z.strictObject({
  type: z.literal('categorical'),
  values: z.array(z.union([z.number(), z.string(), z.boolean(), z.array(z.number())])).min(1, 'must list at least one value'),
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
export const SEARCHERS = ['random'] as const;

/** Budgets beyond these are mistakes, not experiments. */
export const MAX_TRIALS = 10_000;
export const MAX_PARALLEL = 256;

const spaceShape = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,47}$/, 'must be 1-48 characters of a-z, 0-9, "-" or "_", starting with a letter or digit'),
  description: z.string().max(2000).optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  trials: z.number().int().min(1).max(MAX_TRIALS),
  parallel: z.number().int().min(1).max(MAX_PARALLEL).default(1),
  searcher: z.enum(SEARCHERS).default('random'),
  queue: z.enum(QUEUE_KINDS).default('cpu'),
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

function zodProblems(error: z.ZodError): SpaceProblem[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return { path: renderPath(issue.path), message: `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` };
    }
    const got = 'input' in issue && issue.input !== undefined ? `, got ${describe(issue.input)}` : '';
    const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : `${issue.message}${got}`;
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
    if (Object.hasOwn(space.fixed, name)) {
      problems.push({ path, message: `"${name}" is both fixed and searched; keep one` });
    }
    const field = TRIAL_FIELDS[name];
    if (spec.type === 'categorical') {
      spec.values.forEach((value, i) => checkValue(`${path}.values.${i}`, name, value));
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
    checkValue(`${path}.low`, name, spec.low);
    checkValue(`${path}.high`, name, spec.high);
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
