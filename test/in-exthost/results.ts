// One extension-host test result, as index.ts writes it and the harness reads it.
export interface ExtTestResult {
  title: string;
  ok: boolean;
  ms: number;
  error?: string;
}

export function isResults(x: unknown): x is ExtTestResult[] {
  return (
    Array.isArray(x) &&
    x.every((r) => typeof r === 'object' && r !== null && typeof (r as ExtTestResult).title === 'string' && typeof (r as ExtTestResult).ok === 'boolean')
  );
}
