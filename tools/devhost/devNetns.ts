// Where Tox nodes may run: only in a network namespace whose single interface is loopback
// (`unshare -n` + `ip link set lo up`). Reads /proc/self/net/dev, which belongs to this
// process's network namespace (/sys/class/net shows the namespace that mounted /sys).

import { readFileSync } from 'node:fs';

export function networkInterfaces(): string[] {
  return readFileSync('/proc/self/net/dev', 'utf8')
    .split('\n')
    .slice(2)
    .map((l) => l.split(':')[0]!.trim())
    .filter((n) => n.length > 0);
}

export function assertLoopbackOnly(what = 'Tox nodes'): void {
  const ifaces = networkInterfaces();
  if (ifaces.length !== 1 || ifaces[0] !== 'lo') {
    throw new Error(
      `refusing to start ${what}: this process sees network interfaces [${ifaces.join(', ')}]; ` +
        'they run only inside a loopback-only namespace (use `npm start`, `npm test` or `npm run bench`, or `unshare -n` with `ip link set lo up`)',
    );
  }
}
