// Benchmark knobs come from the environment; a bad value stops the run instead of silently
// measuring something else.

export function envInt(name: string, def: number, min = 0): number {
  const v = process.env[name];
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got "${v}"`);
  return n;
}
