// What the "Tox" output channel may say (issue 14, finding 6). The VS Code log is plaintext
// on disk and gets pasted into bug reports, so it carries codes and counts, never a peer's
// name, a message, a file name or a path. Errors are logged by their code (ToxError and
// StoreError carry one) or their class name, never their message, which may quote a file
// name or a path. The AST audit (test/unit/logs.test.ts) holds every log call in
// src/extension to this.

import { visibleForm } from '../common/text';

const CODE = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;

/** A short identifier (an error code, a command name) from elsewhere, or "unknown". */
export function codeOnly(value: unknown): string {
  return typeof value === 'string' && CODE.test(value) ? value : 'unknown';
}

/** An error as a code: its `code` if it has a well-formed one, else its class name. */
export function errorCode(e: unknown): string {
  if (e && typeof e === 'object') {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CODE.test(code)) return code;
    const name = (e as { name?: unknown }).name;
    if (typeof name === 'string' && CODE.test(name)) return name;
  }
  return 'error';
}

/**
 * A line of the node process's own diagnostics (its stderr, dropped messages). What the node
 * writes is held to the same rule by src/tox and the node-side log test; here it is only
 * kept to one visible line of bounded length, so it cannot forge further log entries.
 */
export function fromNode(line: string): string {
  const flat = visibleForm(line.replace(/[\r\n\t]+/g, ' '));
  return flat.length > 500 ? `${flat.slice(0, 499)}…` : flat;
}

/** The names of this module's functions whose result may be logged (the AST audit reads it). */
export const LOG_FUNCTIONS = ['codeOnly', 'errorCode', 'fromNode'] as const;
