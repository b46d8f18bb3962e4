/**
 * Security of the embedded stack: loopback only, NATS behind a generated password kept in
 * owner-only files (never on a command line or in a log), and clear errors for half-set
 * credentials of external servers.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { connect } from '@nats-io/transport-node';
import pino from 'pino';
import { REDACTED_PATHS } from '../cli/logger';
import { embeddedCredentialsFile } from '../connections/security';
import { createTestStack, processesOf, type TestStack } from './support/cli';

/** Listening TCP sockets from /proc/net/tcp{,6}: "address:port" with the address as the kernel shows it. */
function listeningSockets(): Array<{ address: string; port: number }> {
  const sockets: Array<{ address: string; port: number }> = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] !== '0A') continue; // LISTEN
      const [address, port] = fields[1]!.split(':');
      sockets.push({ address: address!, port: parseInt(port!, 16) });
    }
  }
  return sockets;
}

describe('security of the embedded stack', () => {
  let stack: TestStack;
  let password: string;

  before(async () => {
    stack = await createTestStack();
    const up = await stack.run(['dev', 'up']);
    assert.equal(up.code, 0, up.stderr);
    password = (JSON.parse(readFileSync(embeddedCredentialsFile(stack.stateDir), 'utf8')) as { pass: string }).pass;
  });

  after(async () => {
    await stack.run(['dev', 'down']);
    await stack.remove();
  });

  it('listens on loopback only', () => {
    const ports = ['SWEEP_TEMPORAL_PORT', 'SWEEP_NATS_PORT', 'SWEEP_METRICS_PORT'].map((name) => Number(stack.env[name]));
    const ours = listeningSockets().filter((s) => ports.includes(s.port));
    assert.deepEqual([...new Set(ours.map((s) => s.port))].sort(), [...ports].sort(), 'each port listens');
    // 127.0.0.1 in /proc/net/tcp's little-endian hex; nothing on 0.0.0.0 or ::.
    for (const s of ours) assert.equal(s.address, '0100007F', `port ${s.port} listens on ${s.address}`);
  });

  it('keeps the NATS password in owner-only files, off every command line and out of the logs', () => {
    assert.ok(password.length >= 32);
    for (const file of [embeddedCredentialsFile(stack.stateDir), path.join(stack.stateDir, 'nats.conf')]) {
      assert.equal(statSync(file).mode & 0o777, 0o600, file);
    }
    const processes = processesOf(stack.stateDir);
    assert.ok(processes.some((p) => p.cmd.includes('nats-server')), 'nats-server runs');
    for (const { pid, cmd } of processes) assert.doesNotMatch(cmd, new RegExp(password), `pid ${pid}`);
    for (const log of ['temporal.log', 'nats.log', 'metrics.log', 'worker.log']) {
      assert.doesNotMatch(readFileSync(path.join(stack.stateDir, log), 'utf8'), new RegExp(password), log);
    }
  });

  it('refuses NATS clients without the password: they can neither read nor publish', async () => {
    const { servers } = stack.natsOptions();
    await assert.rejects(connect({ servers, reconnect: false }), /authorization violation/i);
    await assert.rejects(connect({ servers, user: 'sweep', pass: 'not-the-password', reconnect: false }), /authorization violation/i);
    // With the password, the same subjects are open: the refusal above is the password's doing.
    const nc = await connect({ ...stack.natsOptions(), reconnect: false });
    try {
      const sub = nc.subscribe('sweep.control.security-test.0', { max: 1 });
      nc.publish('sweep.control.security-test.0', 'hello');
      for await (const m of sub) assert.equal(m.string(), 'hello');
    } finally {
      await nc.close();
    }
  });

  it('redacts credentials in log lines', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => void (lines.push(chunk.toString()), done()) });
    const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    logger.info({ password, nats: { pass: password, token: 't0ken' }, temporal: { apiKey: 'k3y' } }, 'connecting');
    assert.doesNotMatch(lines.join(''), new RegExp(`${password}|t0ken|k3y`));
    assert.match(lines.join(''), /\[redacted\]/);
  });

  it('exits 2 for half-set or missing external credentials, naming the variable', async () => {
    const external = { TEMPORAL_ADDRESS: '127.0.0.1:1', NATS_URL: 'nats://127.0.0.1:1' };
    const user = await stack.run(['status'], { env: { ...external, NATS_USER: 'sweep' } });
    assert.equal(user.code, 2);
    assert.match(user.stderr, /sweep: set both NATS_USER and NATS_PASSWORD, or neither/);
    const ca = await stack.run(['status'], { env: { ...external, NATS_TLS_CA: '/nonexistent/ca.pem' } });
    assert.equal(ca.code, 2);
    assert.match(ca.stderr, /sweep: NATS_TLS_CA=\/nonexistent\/ca\.pem: no such file/);
    const cert = await stack.run(['status'], { env: { ...external, TEMPORAL_TLS_CERT: embeddedCredentialsFile(stack.stateDir) } });
    assert.equal(cert.code, 2);
    assert.match(cert.stderr, /sweep: set both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/);
  });
});
