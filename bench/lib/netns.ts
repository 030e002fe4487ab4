// The benchmark starts Tox nodes (toxync and toxic): it runs only in a network namespace
// whose single interface is loopback (scripts/bench.sh enters one with `unshare -nm`).

// Two views are checked: /sys/class/net (which reflects the namespace sysfs was mounted in,
// hence scripts/bench.sh remounts it) and /proc/self/net/dev (always this process's own
// network namespace).

import { readdirSync, readFileSync } from 'node:fs';

function procNetDevInterfaces(): string[] {
  return readFileSync('/proc/self/net/dev', 'utf8')
    .split('\n')
    .slice(2)
    .map((l) => l.split(':')[0]!.trim())
    .filter((n) => n !== '');
}

export function assertLoopbackOnlyNamespace(): void {
  const views: [string, string[]][] = [
    ['/sys/class/net', readdirSync('/sys/class/net')],
    ['/proc/self/net/dev', procNetDevInterfaces()],
  ];
  for (const [where, ifaces] of views) {
    if (ifaces.length !== 1 || ifaces[0] !== 'lo') {
      throw new Error(
        `refusing to run: ${where} shows network interfaces [${ifaces.join(', ')}]; ` +
          'the benchmark runs only inside a loopback-only namespace (use `npm run bench`: unshare -nm, sysfs remounted, lo up)',
      );
    }
  }
}
