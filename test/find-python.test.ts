import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findTorchPython, NoTorchPythonError, pythonCandidates } from '../workers/find-python';

describe('finding a Python with torch', () => {
  it('tries $SWEEP_PYTHON, then python3, then /usr/bin/python3', () => {
    assert.deepEqual(pythonCandidates({ SWEEP_PYTHON: '/opt/py/bin/python' }), ['/opt/py/bin/python', 'python3', '/usr/bin/python3']);
    assert.deepEqual(pythonCandidates({}), ['python3', '/usr/bin/python3']);
  });

  it('passes over a Python that cannot import torch to one that can', async () => {
    const found = await findTorchPython({ ...process.env, SWEEP_PYTHON: '/nonexistent/python' });
    assert.notEqual(found.python, '/nonexistent/python');
    assert.match(found.torch, /^\d+\.\d+/);
    assert.ok(found.cpus >= 1);
  });

  it('says what to install when none imports torch', () => {
    const error = new NoTorchPythonError(['python3: No module named torch']);
    assert.match(error.message, /tried: python3: No module named torch/);
    assert.match(error.message, /apt-get install python3-torch/);
    assert.match(error.message, /SWEEP_PYTHON/);
  });
});
