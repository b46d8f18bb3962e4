/**
 * Several hosts on this one machine, for tests of what crosses a network: each host is a Linux
 * network namespace with its own hostname (UTS namespace) and one address on a bridge in the
 * test's own namespace. A host's link can be cut and restored. Everything is named after the test
 * process, made by the test and removed by `destroy`, addresses included (a private /24 that
 * exists only on that bridge). Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) and iproute2.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

export interface Host {
  name: string;
  /** Its address on the test network. */
  address: string;
  /** Starts `command` on this host (its namespace and hostname), output to `logFile`. */
  spawn(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess;
  /** Takes the host's link down (its processes go on, unreachable), or up again. */
  cut(): void;
  restore(): void;
}

export interface TestNetwork {
  hosts: Host[];
  destroy(): void;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

export function createTestNetwork(names: string[]): TestNetwork {
  if (process.getuid?.() !== 0) throw new Error('the multi-host test makes network namespaces: it must run as root');
  const tag = String(process.pid % 100_000);
  // 10.213.X.0/24, X from the pid: two test runs on one machine get different networks.
  const subnet = `10.213.${process.pid % 250}`;
  const bridge = `swbr${tag}`;
  const made: { namespaces: string[]; links: string[] } = { namespaces: [], links: [] };
  const destroy = () => {
    for (const ns of made.namespaces) {
      try {
        execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split('\n').filter(Boolean).forEach((pid) => {
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch {
            /* gone */
          }
        });
        ip('netns', 'del', ns);
      } catch {
        /* already gone */
      }
    }
    for (const link of made.links) {
      try {
        ip('link', 'del', link);
      } catch {
        /* went with its namespace */
      }
    }
  };
  try {
    ip('link', 'add', bridge, 'type', 'bridge');
    made.links.push(bridge);
    ip('addr', 'add', `${subnet}.254/24`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    const hosts = names.map((name, i): Host => {
      const ns = `sweep-${tag}-${name}`;
      const outer = `sw${tag}h${i}`;
      const address = `${subnet}.${i + 1}`;
      ip('netns', 'add', ns);
      made.namespaces.push(ns);
      ip('link', 'add', outer, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      made.links.push(outer);
      ip('link', 'set', outer, 'master', bridge);
      ip('link', 'set', outer, 'up');
      ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
      ip('-n', ns, 'link', 'set', 'eth0', 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      return {
        name,
        address,
        spawn(command, args, env, logFile) {
          const log = openSync(logFile, 'a');
          try {
            // A hostname of its own, as on a real node: `sweep workers` tells the hosts apart by it.
            return spawn('ip', ['netns', 'exec', ns, 'unshare', '--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', name, command, ...args], {
              env,
              stdio: ['ignore', log, log],
              detached: true,
            });
          } finally {
            closeSync(log);
          }
        },
        cut: () => ip('link', 'set', outer, 'down'),
        restore: () => ip('link', 'set', outer, 'up'),
      };
    });
    return { hosts, destroy };
  } catch (error) {
    destroy();
    throw error;
  }
}
