import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { spaceJsonSchema } from '../contracts/space';

describe('the space file JSON Schema (`sweep schema`)', () => {
  const validate = new Ajv2020({ strict: false }).compile(spaceJsonSchema());

  it('accepts the shipped examples', () => {
    for (const file of ['examples/quick.json', 'examples/fmnist-5ep.json', 'test/fixtures/tiny.json']) {
      assert.ok(validate(JSON.parse(readFileSync(file, 'utf8'))), `${file}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it('rejects what the shape forbids: missing budget, unknown keys, unknown distributions', () => {
    const base = { name: 'x', trials: 3, params: { max_lr: { type: 'loguniform', low: 0.001, high: 0.1 } } };
    assert.ok(validate(base));
    assert.equal(validate({ ...base, trials: undefined }), false);
    assert.equal(validate({ ...base, extra: 1 }), false);
    assert.equal(validate({ ...base, params: { max_lr: { type: 'gaussian', low: 0, high: 1 } } }), false);
    assert.equal(validate({ ...base, params: { max_lr: { type: 'uniform', low: 0, high: 1, lo: 2 } } }), false);
  });
});
