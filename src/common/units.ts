// Byte counts and time left, as the chat cards, progress notifications and the CLI show them.
// One copy for the host and the webview so both sides of the UI say the same thing.

/** 1023 B, 1.5 KiB, 12.0 MiB, 1.25 GiB; null is a stream whose size the sender did not say. */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return 'unknown size';
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** "8 s left", "3 min 5 s left", "2 h 7 min left"; empty when unknown. */
export function formatEta(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s) || s < 0) return '';
  const whole = Math.ceil(s);
  if (whole < 60) return `${whole} s left`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s left`;
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min left`;
}
