import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseSpace } from '../contracts/space';
import { decodeSpaceText, SpaceFileError } from '../contracts/space-file';

const valid = {
  name: 'ok',
  trials: 4,
  params: { max_lr: { type: 'loguniform', low: 0.001, high: 0.1 } },
};

function problems(value: unknown): string[] {
  const result = parseSpace(value);
  assert.equal(result.ok, false, 'expected the space to be rejected');
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('space file validation', () => {
  it('accepts the shipped examples and fills defaults', () => {
    for (const file of ['examples/quick.json', 'examples/fmnist-5ep.json']) {
      const result = parseSpace(JSON.parse(readFileSync(file, 'utf8')));
      assert.ok(result.ok, `${file}: ${JSON.stringify(!result.ok && result.problems)}`);
    }
    const result = parseSpace(valid);
    assert.ok(result.ok);
    assert.deepEqual([result.space.parallel, result.space.seed, result.space.searcher, result.space.queue], [1, 0, 'tpe', 'cpu']);
  });

  it('names the field, the value and what is allowed', () => {
    const found = problems({ ...valid, params: { dropout: { type: 'uniform', low: 0, high: 1.5 } } });
    assert.deepEqual(found, ['params.dropout.high: 1.5 is not allowed for dropout: the trainer takes a number in [0, 1)']);
  });

  it('rejects low > high, log bounds <= 0, empty choices and unknown keys', () => {
    assert.match(problems({ ...valid, params: { max_lr: { type: 'uniform', low: 0.1, high: 0.01 } } })[0]!, /params\.max_lr: low \(0\.1\) must not be greater than high/);
    assert.match(problems({ ...valid, params: { max_lr: { type: 'loguniform', low: 0, high: 0.1 } } })[0]!, /params\.max_lr\.low: loguniform bounds must be > 0/);
    assert.match(problems({ ...valid, params: { batch_size: { type: 'categorical', values: [] } } })[0]!, /params\.batch_size\.values: must list at least one value/);
    assert.match(problems({ ...valid, extra: true })[0]!, /unknown key\(s\) "extra"/);
    assert.match(problems({ ...valid, params: { max_lr: { type: 'loguniform', low: 0.01, high: 0.1, lo: 1 } } })[0]!, /params\.max_lr: unknown key\(s\) "lo"/);
  });

  it('rejects unknown hyperparameters and worker-owned fields', () => {
    assert.match(problems({ ...valid, params: { lr: { type: 'uniform', low: 0, high: 1 } } })[0]!, /unknown hyperparameter "lr"; known: .*max_lr/);
    assert.match(problems({ ...valid, fixed: { threads: 4 } })[0]!, /"threads" is set by the worker/);
  });

  it('rejects a non-integer search over an integer field, and both fixed and searched', () => {
    assert.match(problems({ ...valid, params: { batch_size: { type: 'uniform', low: 32, high: 64 } } })[0]!, /batch_size takes integers/);
    assert.match(problems({ ...valid, fixed: { max_lr: 0.01 } })[0]!, /"max_lr" is both fixed and searched/);
  });

  it('takes split_seed fixed but not searched: every trial is scored on the same split', () => {
    assert.equal(parseSpace({ ...valid, fixed: { split_seed: 7 } }).ok, true);
    assert.deepEqual(problems({ ...valid, params: { ...valid.params, split_seed: { type: 'categorical', values: [1, 2] } } }), [
      'params.split_seed: "split_seed" may be fixed but not searched: every trial of a sweep is scored on the same validation split',
    ]);
  });

  it('rejects wrong types and absurd budgets', () => {
    assert.match(problems({ ...valid, trials: '8' })[0]!, /^trials: .*number.*got "8"/);
    assert.match(problems({ ...valid, trials: 1e9 })[0]!, /^trials: .*10000/);
    assert.match(problems({ ...valid, parallel: 0 })[0]!, /^parallel: /);
    assert.match(problems({ ...valid, name: 'Has Spaces' })[0]!, /^name: must be 1-48 characters/);
    assert.match(problems({ ...valid, params: { max_lr: { type: 'gaussian', low: 1, high: 2 } } })[0]!, /^params\.max_lr(\.type)?: .*uniform, loguniform, int, categorical/);
    assert.match(problems({ name: 'x' }).join('\n'), /trials: is required/);
  });

  it('reports malformed JSON with its line and column', () => {
    assert.throws(
      () => decodeSpaceText('s.json', '{\n  "name": "x",\n  "trials": 3,,\n}'),
      (error: unknown) => error instanceof SpaceFileError && /s\.json: not valid JSON: line 3, column 15/.test(error.message),
    );
  });
});

describe('space file: searchers, log ints and conditions', () => {
  const erase = {
    erase_p: { type: 'categorical', values: [0, 0.5] },
    erase_size: { type: 'uniform', low: 0.1, high: 0.4, condition: { param: 'erase_p', equals: 0.5 } },
  };

  it('accepts tpe options, log ints and conditional params, filling option defaults', () => {
    const result = parseSpace({ ...valid, tpe: { multivariate: true }, params: { ...valid.params, batch_size: { type: 'int', low: 16, high: 512, log: true }, ...erase } });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    assert.deepEqual(result.space.tpe, { multivariate: true, constant_liar: true, n_startup_trials: 10, n_ei_candidates: 24 });
    assert.deepEqual(result.space.params.erase_size?.condition, { param: 'erase_p', equals: 0.5 });
  });

  it('rejects unknown searchers, unknown tpe options and tpe options for another searcher', () => {
    assert.match(problems({ ...valid, searcher: 'bayes' })[0]!, /^searcher: .*"tpe"\|"random"\|"grid"|^searcher: .*tpe.*random.*grid/);
    assert.match(problems({ ...valid, tpe: { gamma: 0.2 } })[0]!, /^tpe: unknown key\(s\) "gamma"/);
    assert.match(problems({ ...valid, tpe: { n_startup_trials: -1 } })[0]!, /^tpe\.n_startup_trials: .*got -1/);
    assert.deepEqual(problems({ ...valid, searcher: 'random', tpe: {} }), ['tpe: options for the TPE searcher, but "searcher" is "random"; remove "tpe" or set "searcher": "tpe"']);
  });

  it('fills pruner and health defaults: no pruner, divergence and dead-activation rules on', () => {
    const result = parseSpace(valid);
    assert.ok(result.ok);
    assert.deepEqual(result.space.pruner, { type: 'none' });
    assert.deepEqual(result.space.health, {
      dead_activations: { max_ratio: 0.9, windows: 3, warmup_steps: 100 },
      divergence: { factor: 2, min_loss: 2.5, warmup_steps: 20 },
    });
    const asha = parseSpace({ ...valid, pruner: { type: 'asha', min_peers: 5 }, health: { divergence: false } });
    assert.ok(asha.ok);
    assert.deepEqual(asha.space.pruner, { type: 'asha', min_epochs: 1, reduction_factor: 3, min_peers: 5 });
    assert.equal(asha.space.health.divergence, false);
  });

  it('rejects unknown pruners, their bad options and unknown health rules, naming the field', () => {
    assert.match(problems({ ...valid, pruner: { type: 'hyperband' } })[0]!, /^pruner\.type: .*'asha' \| 'median' \| 'none', got "hyperband"/);
    assert.match(problems({ ...valid, pruner: { type: 'asha', reduction_factor: 1 } })[0]!, /^pruner\.reduction_factor: .*got 1/);
    assert.match(problems({ ...valid, pruner: { type: 'median', min_epochs: 1 } })[0]!, /^pruner: unknown key\(s\) "min_epochs"/);
    assert.match(problems({ ...valid, health: { nan: true } })[0]!, /^health: unknown key\(s\) "nan"/);
    assert.match(problems({ ...valid, health: { divergence: { factor: 0.5 } } })[0]!, /^health\.divergence/);
  });

  it('rejects log ints below 1 or with a step', () => {
    assert.deepEqual(problems({ ...valid, params: { crop_pad: { type: 'int', low: 0, high: 8, log: true } } }), ['params.crop_pad.low: an int with "log": true needs low >= 1, got 0']);
    assert.deepEqual(problems({ ...valid, params: { batch_size: { type: 'int', low: 16, high: 512, step: 16, log: true } } }), ['params.batch_size.step: an int with "log": true takes step 1 only, got 16']);
  });

  it('names the condition path when the parent is missing, not categorical, conditional, or lacks the value', () => {
    const child = (condition: unknown) => ({ type: 'uniform', low: 0.1, high: 0.4, condition });
    assert.deepEqual(problems({ ...valid, params: { erase_size: child({ param: 'erase_p', equals: 0.5 }) } }), [
      'params.erase_size.condition.param: "erase_p" is not another searched param; a parent must be a categorical param under "params" (here: none)',
    ]);
    assert.deepEqual(problems({ ...valid, params: { erase_p: { type: 'uniform', low: 0, high: 1 }, erase_size: child({ param: 'erase_p', equals: 0.5 }) } }), [
      'params.erase_size.condition.param: "erase_p" is uniform; a parent must be a categorical param',
    ]);
    assert.deepEqual(problems({ ...valid, params: { ...erase, erase_size: child({ param: 'erase_p', equals: 0.25 }) } }), [
      'params.erase_size.condition.equals: 0.25 is not among the values of "erase_p": [0,0.5]',
    ]);
    assert.deepEqual(problems({ ...valid, params: { ...erase, patch_p: { type: 'categorical', values: [0, 1], condition: { param: 'erase_p', equals: 0.5 } }, patch_size: child({ param: 'patch_p', equals: 1 }) } }), [
      'params.patch_size.condition.param: "patch_p" is itself conditional; a parent must be unconditional',
    ]);
    assert.match(problems({ ...valid, params: { ...erase, erase_size: child({ param: 'erase_p' }) } })[0]!, /^params\.erase_size\.condition\.equals: is required/);
  });

  it('rejects continuous params and budgets past the grid for grid search', () => {
    assert.deepEqual(problems({ ...valid, searcher: 'grid' }), [
      'params.max_lr.type: grid search takes "int" and "categorical" params only, got "loguniform"; list the values to try as a categorical',
    ]);
    assert.deepEqual(problems({ ...valid, searcher: 'grid', trials: 5, params: { crop_pad: { type: 'int', low: 0, high: 1 }, batch_size: { type: 'categorical', values: [64] } } }), [
      "trials: 5 is more than the grid's 2 points; grid search suggests each point once, so set trials <= 2",
    ]);
  });
});
