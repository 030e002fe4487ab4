// Every test that starts a Tox node runs in a network namespace whose only interface is
// loopback (scripts/test.sh enters it with `unshare -n`). This guard refuses to go on
// anywhere else, so no test can ever send a packet beyond 127.0.0.1.
// It reads /proc/self/net/dev, which belongs to this process's network namespace
// (/sys/class/net would show the namespace that mounted /sys, i.e. the host's).

import { readFileSync } from 'node:fs';

export function networkInterfaces(): string[] {
  return readFileSync('/proc/self/net/dev', 'utf8')
    .split('\n')
    .slice(2)
    .map((l) => l.split(':')[0]!.trim())
    .filter((n) => n.length > 0);
}

export function assertLoopbackOnly(): void {
  const ifaces = networkInterfaces();
  if (ifaces.length !== 1 || ifaces[0] !== 'lo') {
    throw new Error(
      `refusing to start Tox nodes: this process sees network interfaces [${ifaces.join(', ')}]; ` +
        'Tox tests run only inside a loopback-only namespace (use `npm test`, or `unshare -n` with `ip link set lo up`)',
    );
  }
}
