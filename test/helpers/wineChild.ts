// The Windows half of wineStdio.ts, run by node.exe under Wine: connects to the bridge twice
// (stdio, then stderr), runs `node.exe ARGS...` with Windows pipes and relays them.
// Usage (under Wine): node.exe wineChild.js PORT SCRIPT ARGS...

import { spawn } from 'node:child_process';
import { connect } from 'node:net';

const [port, ...args] = process.argv.slice(2);
// allowHalfOpen: the end of the test's stdin must not close the way back for the command's stdout.
const io = connect({ port: Number(port), host: '127.0.0.1', allowHalfOpen: true }, () => {
  const err = connect(Number(port), '127.0.0.1', () => {
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => {});
    io.pipe(child.stdin);
    child.stdout.pipe(io);
    child.stderr.pipe(err);
    child.once('close', (code) => {
      process.exitCode = code ?? 1;
      // Flush what the command wrote, then drop the sockets so this process can exit.
      io.end(() => io.destroy());
      err.end(() => err.destroy());
    });
  });
  err.on('error', () => {});
});
io.on('error', () => {});
