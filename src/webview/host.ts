// The webview's only way out: postMessage to the extension host, typed by the protocol.

import type { FromWebview } from '../protocol/webview';

interface VsCodeApi {
  postMessage(msg: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(msg: FromWebview): void {
  api.postMessage(msg);
}
