// Tiny runtime schema combinators: every message that crosses a process or webview boundary
// arrives as `unknown` and leaves a guard either as a checked, typed value or as a
// ProtocolError naming the offending path. The TypeScript types are inferred from the
// schemas, so the checks and the types cannot drift apart.

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

export type Guard<T> = (value: unknown, path: string) => T;
export type Infer<G> = G extends Guard<infer T> ? T : never;

/** Set by check() during its first pass: obj() and array() then build no paths. */
let quiet = false;

function fail(path: string, what: string): never {
  throw new ProtocolError(`${path || 'message'}: ${what}`);
}

export function str(opts: { max?: number; min?: number; pattern?: RegExp } = {}): Guard<string> {
  const max = opts.max ?? 65536;
  return (v, path) => {
    if (typeof v !== 'string') fail(path, 'expected a string');
    if (v.length > max) fail(path, `longer than ${max} characters`);
    if (opts.min !== undefined && v.length < opts.min) fail(path, `shorter than ${opts.min} characters`);
    if (opts.pattern && !opts.pattern.test(v)) fail(path, 'has an invalid format');
    return v;
  };
}

export function int(opts: { min?: number; max?: number } = {}): Guard<number> {
  const min = opts.min ?? Number.MIN_SAFE_INTEGER;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) fail(path, 'expected an integer');
    if (v < min || v > max) fail(path, `out of range ${min}..${max}`);
    return v;
  };
}

export const num: Guard<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'expected a finite number');
  return v;
};

export const bool: Guard<boolean> = (v, path) => {
  if (typeof v !== 'boolean') fail(path, 'expected true or false');
  return v;
};

export function literal<const L extends readonly (string | number | boolean)[]>(...values: L): Guard<L[number]> {
  return (v, path) => {
    if (!values.includes(v as L[number])) fail(path, `expected one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
    return v as L[number];
  };
}

export function array<T>(item: Guard<T>, opts: { max?: number } = {}): Guard<T[]> {
  const max = opts.max ?? 100_000;
  return (v, path) => {
    if (!Array.isArray(v)) fail(path, 'expected an array');
    if (v.length > max) fail(path, `more than ${max} items`);
    return v.map((x, i) => item(x, quiet ? '' : `${path}[${i}]`));
  };
}

export function nullable<T>(g: Guard<T>): Guard<T | null> {
  return (v, path) => (v === null ? null : g(v, path));
}

/** Marks a property of `obj()` as optional (absent or undefined). */
export interface Optional<T> {
  readonly optional: Guard<T>;
}
export function optional<T>(g: Guard<T>): Optional<T> {
  return { optional: g };
}

type Shape = Record<string, Guard<unknown> | Optional<unknown>>;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? never : K }[keyof S];
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? K : never }[keyof S];
type FieldType<F> = F extends Optional<infer T> ? T : F extends Guard<infer T> ? T : never;
export type ObjectOf<S extends Shape> = { [K in RequiredKeys<S>]: FieldType<S[K]> } & { [K in OptionalKeys<S>]?: FieldType<S[K]> };

/**
 * An object with exactly these fields. Unknown fields are dropped from the result (not
 * copied), so nothing unchecked reaches the other side. Prototype-polluting keys never
 * matter because the result is a fresh object built only from the schema's keys.
 */
export function obj<S extends Shape>(shape: S): Guard<ObjectOf<S>> {
  const fields = Object.keys(shape).map((k) => {
    const f = shape[k]!;
    return 'optional' in f ? { k, suffix: `.${k}`, g: f.optional, optional: true } : { k, suffix: `.${k}`, g: f, optional: false };
  });
  return (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'expected an object');
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const { k, suffix, g, optional } of fields) {
      const has = Object.prototype.hasOwnProperty.call(src, k) && src[k] !== undefined;
      if (!has) {
        if (optional) continue;
        fail(quiet ? '' : path + suffix, 'is missing');
      }
      out[k] = g(src[k], quiet ? '' : path + suffix);
    }
    return out as ObjectOf<S>;
  };
}

/**
 * A discriminated union: `tag` selects the variant schema. The variant schemas must not
 * declare the tag themselves; it is added back to the result with its literal type.
 */
export function tagged<K extends string, V extends Record<string, Shape>>(
  tag: K,
  variants: V,
): Guard<{ [N in keyof V & string]: { [P in K]: N } & ObjectOf<V[N]> }[keyof V & string]> {
  const guards = new Map<string, Guard<unknown>>();
  // The tag is the variant's first field (checked again, harmlessly), so the result has it
  // first without copying the checked object once more.
  for (const [name, shape] of Object.entries(variants)) guards.set(name, obj({ [tag]: literal(name), ...shape }));
  return ((v: unknown, path: string) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'expected an object');
    // Own property only: an inherited tag must not select a variant.
    const t = Object.prototype.hasOwnProperty.call(v, tag) ? (v as Record<string, unknown>)[tag] : undefined;
    if (typeof t !== 'string' || !guards.has(t)) fail(`${path}.${tag}`, `unknown ${tag} ${JSON.stringify(t)?.slice(0, 40)}`);
    return guards.get(t)!(v, path);
  }) as never;
}

/** Runs a guard and returns a result instead of throwing: for boundaries that log and drop. */
export function check<T>(g: Guard<T>, value: unknown): { ok: true; value: T } | { ok: false; error: string } {
  // Paths name the offending field only in an error: the first pass builds none (a field
  // path string per field and record was a tenth of loading a long history); only when it
  // fails does a second pass, with paths, say where. Guards are pure, so both agree.
  quiet = true;
  try {
    return { ok: true, value: g(value, '') };
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
  } finally {
    quiet = false;
  }
  try {
    return { ok: true, value: g(value, '') };
  } catch (e) {
    if (e instanceof ProtocolError) return { ok: false, error: e.message };
    throw e;
  }
}
