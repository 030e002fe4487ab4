// One command to a short-lived node process, for what needs libtoxcore while no Tox runs:
// toxencryptsave export and import (pass_encrypt / pass_decrypt). The extension host itself
// never loads native code, so it forks the node script for this too.

import { fork } from 'node:child_process';
import { check } from '../../protocol/guard';
import { event, type ResultOf, resultGuards } from '../../protocol/node';
import { nodeEnv } from './nodeEnv';
import { NodeCommandError } from './supervisor';

type PassCmd = { cmd: 'pass_encrypt' | 'pass_decrypt'; data: string; passphrase: string; libtoxcore_path?: string };

export function oneShot<C extends PassCmd>(script: string, body: C, timeoutMs = 30_000): Promise<ResultOf<C['cmd']>> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'json', env: nodeEnv() });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${body.cmd}: the node process did not answer`));
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
    };
    child.on('message', (raw) => {
      const e = check(event, raw);
      if (!e.ok) return;
      const ev = e.value;
      if (ev.event === 'error' && ev.id === 1) {
        done();
        reject(new NodeCommandError(ev.message, ev.code, body.cmd));
      } else if (ev.event === 'result' && ev.id === 1) {
        done();
        const v = check(resultGuards[body.cmd], ev.value);
        if (v.ok) resolve(v.value as ResultOf<C['cmd']>);
        else reject(new NodeCommandError(`invalid result: ${v.error}`, 'invalid_result', body.cmd));
      }
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${body.cmd}: the node process exited (${code})`));
    });
    child.send({ ...body, id: 1 });
  });
}
