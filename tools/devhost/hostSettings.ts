// The VS Code settings our code-server hosts run with: a quiet workbench that contacts nothing
// (no telemetry, update checks, experiments, gallery, online package info), the extension
// pointed at one Tox network, and what it takes to get past toxync's first-start question.

/** Workbench settings that keep VS Code from reaching out or popping up anything at start. */
export const QUIET_WORKBENCH: Readonly<Record<string, unknown>> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'npm.fetchOnlinePackageInfo': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'git.autofetch': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
};

/**
 * What an unattended host needs to get toxync past its first start. THE one place to adapt
 * when the start-up flow changes: the profile's data key goes to SecretStorage (code-server
 * keeps it in browser storage) instead of the first-start question "keychain or passphrase?".
 */
export function startupSettings(): Record<string, unknown> {
  return { 'toxync.keyStorage': 'keychain' };
}

/**
 * toxync on a local Tox network only: bootstrap from `nodesFile` (loopback seeds; a user
 * file may name them, the bundled list may not) and never announce on the LAN.
 */
export function localNetworkSettings(nodesFile: string): Record<string, unknown> {
  return { 'toxync.nodesFile': nodesFile, 'toxync.network.localDiscovery': false };
}

/** A nodes.tox.chat-format list naming one UDP bootstrap node on 127.0.0.1. */
export function localNodesList(udpPort: number, dhtKey: string): string {
  const node = {
    ipv4: '127.0.0.1',
    ipv6: '-',
    port: udpPort,
    tcp_ports: [],
    public_key: dhtKey,
    status_udp: true,
    status_tcp: false,
    maintainer: 'toxync local demo',
    location: 'loopback',
    version: '',
    motd: '',
    last_ping: 0,
  };
  return JSON.stringify({ last_scan: 0, last_refresh: 0, nodes: [node] }, null, 2) + '\n';
}
