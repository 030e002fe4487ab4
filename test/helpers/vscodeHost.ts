// A code-server instance with the packaged toxync .vsix installed, for the extension-host and
// e2e suites (the same launcher `npm start` uses: tools/devhost/codeServer.ts). Tests run inside
// scripts/test.sh's loopback-only namespace, so code-server listens on 127.0.0.1 there and
// Chromium, started in the same namespace, reaches it directly.

import { mkdtempSync, readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { packageRoot } from '../../src/sys/packageRoot';
import { type CodeServer, type HostDirs, hostDirs, installVsix, startCodeServer, writeSettings } from '../../tools/devhost/codeServer';
import { localNetworkSettings, localNodesList, QUIET_WORKBENCH, startupSettings } from '../../tools/devhost/hostSettings';
import { assertLoopbackOnly } from './netns';

/** The .vsix `npm run package` made (scripts/test.sh packs it before the suites run). */
export function vsixPath(): string {
  const version = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  const p = join(packageRoot(), `toxync-${version}-linux-x64.vsix`);
  if (!existsSync(p)) throw new Error(`${p} is missing: run npm run package`);
  return p;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Writes a nodes file naming one local seed; returns its path. */
export function writeNodesFile(dir: string, seedUdpPort: number, seedDhtKey: string): string {
  const f = join(dir, 'local-nodes.json');
  writeFileSync(f, localNodesList(seedUdpPort, seedDhtKey));
  return f;
}

export interface ToxyncHost {
  name: string;
  dirs: HostDirs;
  /** The unpacked extension folder code-server installed from the .vsix. */
  extensionPath: string;
  port: number;
  origin: string;
  cs: CodeServer;
  stop(): Promise<void>;
}

/**
 * Installs the .vsix into a fresh code-server and starts it on a free 127.0.0.1 port, with
 * toxync bootstrapping only from `nodesFile` and set up to pass its first start unattended.
 */
export async function startToxyncHost(
  name: string,
  nodesFile: string,
  opts: { env?: (extensionPath: string) => NodeJS.ProcessEnv; settings?: Record<string, unknown> } = {},
): Promise<ToxyncHost> {
  assertLoopbackOnly();
  // Short root: code-server's unix sockets live under it (108-byte limit).
  const root = mkdtempSync(`/tmp/tx-${name}-`);
  const dirs = hostDirs(root);
  writeSettings(dirs, { ...QUIET_WORKBENCH, ...startupSettings(), ...localNetworkSettings(nodesFile), ...opts.settings });
  const extensionPath = await installVsix(dirs, vsixPath());
  const port = await freePort();
  const cs = await startCodeServer(dirs, { port }, { env: opts.env?.(extensionPath) ?? {} });
  return {
    name,
    dirs,
    extensionPath,
    port,
    origin: `http://127.0.0.1:${port}`,
    cs,
    stop: async () => {
      await cs.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
