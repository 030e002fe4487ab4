// Every test that starts a Tox node runs in a network namespace whose only interface is
// loopback (scripts/test.sh enters it with `unshare -n`). This guard refuses to go on
// anywhere else, so no test can ever send a packet beyond 127.0.0.1.

import { readdirSync } from 'node:fs';

export function assertLoopbackOnly(): void {
  const ifaces = readdirSync('/sys/class/net');
  if (ifaces.length !== 1 || ifaces[0] !== 'lo') {
    throw new Error(
      `refusing to start Tox nodes: this process sees network interfaces [${ifaces.join(', ')}]; ` +
        'Tox tests run only inside a loopback-only namespace (use `npm test`, or `unshare -n` with `ip link set lo up`)',
    );
  }
}
