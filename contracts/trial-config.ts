/**
 * The trainer's config fields (docs/trainer-protocol.md), as the TypeScript side sees them.
 *
 * Each field says what values the trainer accepts and who may set it: a space file may tune or fix
 * the `space` fields; the worker alone sets the `worker` fields (threads, device, paths), because
 * they depend on the node the trial lands on, not on the experiment.
 */
import { z } from 'zod';

export type FieldKind = 'int' | 'float' | 'int-list' | 'string' | 'boolean';

export interface TrialField {
  kind: FieldKind;
  /** Validates one value of this field, exactly as the trainer would. */
  schema: z.ZodType;
  /** Human text of the allowed values, for error messages. */
  allowed: string;
  owner: 'space' | 'worker';
}

const int = (min: number, max: number): TrialField => ({
  kind: 'int',
  schema: z.number().int().min(min).max(max),
  allowed: `an integer in [${min}, ${max}]`,
  owner: 'space',
});
const float = (min: number, max: number, opts: { minExclusive?: boolean; maxExclusive?: boolean } = {}): TrialField => {
  let schema = z.number();
  schema = opts.minExclusive ? schema.gt(min) : schema.gte(min);
  schema = opts.maxExclusive ? schema.lt(max) : schema.lte(max);
  return {
    kind: 'float',
    schema,
    allowed: `a number in ${opts.minExclusive ? '(' : '['}${min}, ${max}${opts.maxExclusive ? ')' : ']'}`,
    owner: 'space',
  };
};

export const TRIAL_FIELDS = {
  seed: int(0, 2 ** 31 - 1),
  split_seed: int(0, 2 ** 31 - 1),
  epochs: int(1, 100),
  batch_size: int(2, 8192),
  max_lr: float(0, 10, { minExclusive: true }),
  weight_decay: float(0, 1),
  label_smoothing: float(0, 1, { maxExclusive: true }),
  dropout: float(0, 1, { maxExclusive: true }),
  widths: {
    kind: 'int-list',
    schema: z.array(z.number().int().min(1).max(1024)).min(2).max(8),
    allowed: 'a list of 2 to 8 integers in [1, 1024]',
    owner: 'space',
  },
  flip_p: float(0, 1),
  crop_pad: int(0, 8),
  erase_p: float(0, 1),
  erase_size: float(0, 1, { minExclusive: true }),
  erase_count: int(1, 8),
  patch_p: float(0, 1),
  patch_size: float(0, 1, { minExclusive: true }),
  train_subset: int(2, 50_000),
  precision: { kind: 'string', schema: z.enum(['auto', 'fp32', 'bf16']), allowed: 'auto, fp32 or bf16', owner: 'space' },
  compile: { kind: 'boolean', schema: z.boolean(), allowed: 'true or false', owner: 'space' },
  log_every: int(1, 100_000),
  stats_every: int(1, 100_000),
  threads: { ...int(0, 1024), owner: 'worker' },
  device: {
    kind: 'string',
    schema: z.string().regex(/^(auto|cpu|cuda(:\d+)?)$/),
    allowed: 'auto, cpu, cuda or cuda:N',
    owner: 'worker',
  },
} satisfies Record<string, TrialField>;

/** The trainer's default epochs (docs/trainer-protocol.md), for a space that does not set them. */
export const DEFAULT_EPOCHS = 5;

/** The epochs a trial with these params will run. */
export function plannedEpochs(params: TrialParams): number {
  return typeof params.epochs === 'number' ? params.epochs : DEFAULT_EPOCHS;
}

export type TrialFieldName = keyof typeof TRIAL_FIELDS;
export const TRIAL_FIELD_NAMES = Object.keys(TRIAL_FIELDS) as TrialFieldName[];

export function isTrialField(name: string): name is TrialFieldName {
  return Object.hasOwn(TRIAL_FIELDS, name);
}

/** A value the space decided for one trial: a sampled or fixed hyperparameter. */
export type HyperValue = number | string | boolean | number[];
export const hyperValueSchema: z.ZodType<HyperValue> = z.union([z.number(), z.string(), z.boolean(), z.array(z.number())]);
export type TrialParams = Record<string, HyperValue>;

/** What the worker sends the trainer: the trial's params plus what the worker decides. */
export const trainerConfigSchema = z.strictObject({
  ...Object.fromEntries(TRIAL_FIELD_NAMES.map((name) => [name, TRIAL_FIELDS[name].schema.optional()])),
  /** Set by promotion alone (workflows/promote-workflow.ts): no space file can make a trial read the test set. */
  evaluate: z.enum(['validation', 'test']).optional(),
  checkpoint_dir: z.string().nullable().optional(),
  resume_from: z.string().nullable().optional(),
  data_dir: z.string().nullable().optional(),
});
export type TrainerConfig = Record<string, unknown> & {
  checkpoint_dir?: string | null;
  resume_from?: string | null;
};
