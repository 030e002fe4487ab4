// The CLI's flag parser: node:util parseArgs in strict mode, with the house rules on top that
// the unit tests pin: messages name the flag ("--port needs a value", "unknown option …"), a
// value may start with one dash ("-5%", "-1" reaches its own range check), a bare "--" is an
// unknown option rather than the end of the flags, and refused flags (an argv passphrase) are
// refused by name before anything else is looked at.

import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
export type FlagValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** One flag as given: its name (no dashes), how it was spelled and the argv items it took. */
export interface FlagToken {
  name: string;
  rawName: string;
  items: string[];
}

export interface ParsedFlags {
  values: FlagValues;
  /** In argv order, so checks that depend on the flag report the first offender. */
  tokens: FlagToken[];
}

export interface FlagRules {
  /** Whether an argv item after a valued flag is the next flag (so the value is missing). */
  looksLikeFlag?: (item: string) => boolean;
  /** Flags refused whatever follows them, with the reason. */
  refused?: Record<string, string>;
}

const startsWithTwoDashes = (item: string): boolean => item.startsWith('--');

export function parseFlags(argv: readonly string[], spec: FlagSpec, rules: FlagRules = {}): ParsedFlags {
  const looksLikeFlag = rules.looksLikeFlag ?? startsWithTwoDashes;
  for (const item of argv) {
    const reason = rules.refused?.[/^--([^=]*)/.exec(item)?.[1] ?? ''];
    if (reason !== undefined) throw new UsageError(reason);
  }
  // parseArgs refuses a value starting with a dash as ambiguous unless written --flag=value;
  // ours only refuse what looks like a flag, so such values are joined here (origin keeps the
  // argv items each joined item came from).
  const args: string[] = [];
  const origin: string[][] = [];
  for (let i = 0; i < argv.length; i++) {
    const item = argv[i]!;
    const next = argv[i + 1];
    const name = item.startsWith('--') ? item.slice(2) : '';
    if (spec[name]?.type === 'string' && next !== undefined && next.startsWith('-') && !looksLikeFlag(next)) {
      args.push(`${item}=${next}`);
      origin.push([item, next]);
      i++;
    } else {
      args.push(item);
      origin.push([item]);
    }
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options: spec, strict: true, allowPositionals: false, tokens: true });
  } catch (e) {
    if (!String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_')) throw e;
    throw explain(args, spec, looksLikeFlag) ?? new UsageError((e as Error).message);
  }
  const tokens: FlagToken[] = [];
  for (const t of parsed.tokens) {
    if (t.kind === 'option-terminator') throw new UsageError('unknown option "--"');
    if (t.kind !== 'option') continue;
    const took = t.value !== undefined && !t.inlineValue ? [t.index, t.index + 1] : [t.index];
    tokens.push({ name: t.name, rawName: t.rawName, items: took.flatMap((i) => origin[i]!) });
  }
  return { values: parsed.values as FlagValues, tokens };
}

/** The first item strict parsing refused, in the CLI's words. */
function explain(args: string[], spec: FlagSpec, looksLikeFlag: (item: string) => boolean): UsageError | null {
  const loose = parseArgs({ args, options: spec, strict: false, allowPositionals: true, tokens: true });
  for (const t of loose.tokens) {
    if (t.kind === 'positional') return new UsageError(`unknown option "${t.value.slice(0, 60)}"`);
    if (t.kind === 'option-terminator') return new UsageError('unknown option "--"');
    const known = spec[t.name];
    if (!known || !t.rawName.startsWith('--')) return new UsageError(`unknown option "${t.rawName.slice(0, 60)}"`);
    if (known.type === 'boolean' && t.inlineValue) return new UsageError(`${t.rawName} takes no value`);
    if (known.type === 'string' && (t.value === undefined || (!t.inlineValue && looksLikeFlag(t.value)))) return new UsageError(`${t.rawName} needs a value`);
  }
  return null;
}

/** A string flag's value (the last one if repeated). */
export function stringFlag(values: FlagValues, name: string): string | undefined {
  const v = values[name];
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  return typeof last === 'string' ? last : undefined;
}

/** A repeatable string flag's values, in argv order. */
export function stringFlags(values: FlagValues, name: string): string[] {
  const v = values[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
}
