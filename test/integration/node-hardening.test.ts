// The Tox node process, which holds the secret key: no core dumps (RLIMIT_CORE 0), not dumpable,
// and only the environment variables it needs. Observed from outside, in /proc, with positive
// controls: a plain Node child forked the same way shows the opposite.
//
// "Not dumpable" is observable through /proc ownership: the kernel makes /proc/<pid>/* of a
// non-dumpable process owned by root. So the children run as nobody (65534), where a dumpable
// child's /proc files belong to nobody.

import { strict as assert } from 'node:assert';
import { type ChildProcess, fork } from 'node:child_process';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/sys/packageRoot';
import type { NodeConfig } from '../../src/protocol/node';
import { bindLibc, RLIMIT_CORE } from '../../src/tox/ffi';
import { NODE_ENV_ALLOWLIST } from '../../src/core/supervisor/nodeEnv';
import { NodeSupervisor } from '../../src/core/supervisor/supervisor';
import { assertLoopbackOnly } from '../helpers/netns';
import { tempDir } from '../helpers/peer';

const NOBODY = 65534;
/** Set by Node's fork() itself for the IPC channel, not taken from the parent's environment. */
const FORK_ADDED = ['NODE_CHANNEL_FD', 'NODE_CHANNEL_SERIALIZATION_MODE'];
const toxnode = (): string => join(packageRoot(), 'dist', 'toxnode.js');

/** A child that answers every IPC message, to know its top-level code has run. */
function echoScript(): string {
  const dir = tempDir('echo');
  chmodSync(dir, 0o755); // readable by nobody
  const f = join(dir, 'echo.js');
  writeFileSync(f, 'process.on("message", (m) => process.send(m));\n', { mode: 0o644 });
  return f;
}

function answered(child: ChildProcess, msg: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the child did not answer')), 20_000);
    child.once('message', () => (clearTimeout(t), resolve()));
    child.once('exit', (code) => (clearTimeout(t), reject(new Error(`the child exited (${code})`))));
    child.send(msg as object);
  });
}

function coreLimit(pid: number): string {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max core file size'));
  assert.ok(line, 'no core line in /proc/<pid>/limits');
  return line.replace(/\s+/g, ' ').trim();
}

function environKeys(pid: number): string[] {
  return readFileSync(`/proc/${pid}/environ`, 'latin1')
    .split('\0')
    .filter(Boolean)
    .map((kv) => kv.slice(0, kv.indexOf('=')));
}

describe('Tox node process hardening (Linux)', function () {
  this.timeout(120_000);
  const children: ChildProcess[] = [];
  const rlim = Buffer.alloc(16);
  const saved: Record<string, string | undefined> = {};

  before(function () {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) this.skip();
    assertLoopbackOnly();
    // Children inherit our core limit: raise it so a child that does nothing shows a non-zero one.
    const libc = bindLibc();
    assert.equal(libc.getrlimit(RLIMIT_CORE, rlim), 0);
    const unlimited = Buffer.alloc(16, 0xff);
    assert.equal(libc.setrlimit(RLIMIT_CORE, unlimited), 0);
    for (const k of ['SECRET_TOKEN', 'TOXYNC_PASSPHRASE', 'TOXYNC_LOOP']) saved[k] = process.env[k];
    process.env.SECRET_TOKEN = 'x';
    process.env.TOXYNC_PASSPHRASE = 'not for the node';
    process.env.TOXYNC_LOOP = 'poll';
  });

  after(() => {
    for (const c of children) c.kill('SIGKILL');
    if (process.platform === 'linux' && process.getuid?.() === 0) bindLibc().setrlimit(RLIMIT_CORE, rlim);
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('has core size 0 and is not dumpable; a plain child has neither', async () => {
    const opts = {
      uid: NOBODY,
      gid: NOBODY,
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'] as ('ignore' | 'ipc')[],
      env: { TOXYNC_LOOP: 'poll' },
    };
    const node = fork(toxnode(), [], opts);
    const plain = fork(echoScript(), [], opts);
    children.push(node, plain);
    await answered(node, { cmd: 'ping', id: 1 }); // "node not started": main.ts ran
    await answered(plain, { hello: 1 });
    assert.match(coreLimit(node.pid!), /^Max core file size 0 0 bytes$/);
    assert.equal(statSync(`/proc/${node.pid}/environ`).uid, 0, 'non-dumpable: /proc files owned by root');
    // Positive control: the same observation sees a dumpable child with a core limit.
    assert.match(coreLimit(plain.pid!), /^Max core file size unlimited unlimited bytes$/);
    assert.equal(statSync(`/proc/${plain.pid}/environ`).uid, NOBODY);
  });

  it('the supervised node gets only allowlisted environment variables', async () => {
    const config: NodeConfig = {
      profile_dir: tempDir('hardened'),
      bootstrap: [],
      relays: [],
      public_nodes: false,
      udp: false,
      local_discovery: false,
      accept_friends: false,
      echo: false,
      insecure_plain_profile: true,
    };
    const sup = new NodeSupervisor({ script: toxnode(), config, heartbeatMs: 250, heartbeatTimeoutMs: 5000 });
    try {
      const ready = new Promise<void>((resolve) => sup.onEvent((e) => e.event === 'ready' && resolve()));
      sup.start();
      await ready;
      const keys = environKeys(sup.pid!);
      assert.ok(keys.includes('TOXYNC_LOOP'), `allowlisted TOXYNC_LOOP passes: ${keys.join(' ')}`);
      assert.deepEqual(
        keys.filter((k) => !NODE_ENV_ALLOWLIST.includes(k) && !FORK_ADDED.includes(k)),
        [],
      );
    } finally {
      await sup.stop();
    }
    // Positive control: a child forked with the default environment does carry the secrets.
    const plain = fork(echoScript(), [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    children.push(plain);
    await answered(plain, { hello: 1 });
    const keys = environKeys(plain.pid!);
    assert.ok(keys.includes('SECRET_TOKEN') && keys.includes('TOXYNC_PASSPHRASE'), 'positive control: the secrets are visible in a default fork');
  });
});
