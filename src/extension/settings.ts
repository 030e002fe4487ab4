// `toxync.*` settings, read in one place, and the node configuration built from them.
// `nodeConfigFrom` is pure so it can be tested without VS Code.

import type { NodeConfig, ProxySpec } from '../protocol/node';

export interface ToxyncSettings {
  libtoxcorePath: string;
  nodesFile: string;
  udp: boolean;
  localDiscovery: boolean;
  contiBaseUrl: string;
  trustedHosts: string[];
  notificationsEnabled: boolean;
  notificationsShowContent: boolean;
  /** null: direct. Set: every Tox connection goes through it, and nothing else leaves (fail closed). */
  proxy: ProxySpec | null;
}

export interface SettingsSource {
  get<T>(section: string): T | undefined;
}

/** The part of VS Code's WorkspaceConfiguration.inspect() result that is read. */
export interface InspectSource {
  inspect<T>(section: string): { defaultValue?: T; globalValue?: T } | undefined;
}

/**
 * The user's own value of a setting, or its default — never a workspace or folder value.
 * Every toxync setting is application- or machine-scoped (package.json), so VS Code already
 * ignores a cloned repository's .vscode/settings.json for them; reading only globalValue
 * keeps that true if a scope is ever changed or a host applies scopes differently: a
 * workspace must not switch history off, trust a host, or pick a Conti base (issue 14).
 */
export function userScoped(cfg: InspectSource): SettingsSource {
  return {
    get<T>(section: string): T | undefined {
      const i = cfg.inspect<T>(section);
      if (!i) return undefined;
      return i.globalValue !== undefined ? i.globalValue : i.defaultValue;
    },
  };
}

function str(src: SettingsSource, k: string): string {
  const v = src.get<unknown>(k);
  return typeof v === 'string' ? v : '';
}
function bool(src: SettingsSource, k: string, dflt: boolean): boolean {
  const v = src.get<unknown>(k);
  return typeof v === 'boolean' ? v : dflt;
}

/** Reads settings defensively: settings.json is user-edited and may hold anything. */
export function readSettings(src: SettingsSource): ToxyncSettings {
  const hosts = src.get<unknown>('links.trustedHosts');
  return {
    libtoxcorePath: str(src, 'libtoxcorePath'),
    nodesFile: str(src, 'nodesFile'),
    udp: bool(src, 'network.udp', true),
    localDiscovery: bool(src, 'network.localDiscovery', false),
    contiBaseUrl: str(src, 'conti.baseUrl'),
    trustedHosts: Array.isArray(hosts) ? hosts.filter((h): h is string => typeof h === 'string' && h.length <= 253).map((h) => h.toLowerCase()) : [],
    notificationsEnabled: bool(src, 'notifications.enabled', true),
    notificationsShowContent: bool(src, 'notifications.showContent', true),
    proxy: readProxy(src),
  };
}

function readProxy(src: SettingsSource): ProxySpec | null {
  const type = src.get<unknown>('proxy.type');
  if (type !== 'socks5' && type !== 'http') return null;
  const port = src.get<unknown>('proxy.port');
  // An unusable proxy setting must not fall back to direct: the node refuses to start with
  // it (fail closed), so it is passed on as-is and the node's error names the problem.
  return {
    type,
    host: str(src, 'proxy.host') || '127.0.0.1',
    port: typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536 ? port : 0,
  };
}

export function nodeConfigFrom(s: ToxyncSettings, profileDir: string): NodeConfig {
  return {
    profile_dir: profileDir,
    bootstrap: [],
    relays: [],
    ...(s.nodesFile ? { nodes_file: s.nodesFile } : {}),
    public_nodes: true,
    udp: s.udp,
    local_discovery: s.localDiscovery,
    ...(s.proxy ? { proxy: s.proxy } : {}),
    accept_friends: false,
    echo: false,
    // The host keeps the profile in the encrypted store and hands it to the node (HostProfile).
    insecure_plain_profile: false,
    ...(s.libtoxcorePath ? { libtoxcore_path: s.libtoxcorePath } : {}),
  };
}
