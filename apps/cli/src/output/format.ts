// Number formats shared by every human-readable output.

/**
 * A loss or accuracy to four decimals; NaN and infinities as words.
 *
 * @example
 * formatMetric(0.123456); // '0.1235'
 * formatMetric(NaN);      // 'NaN'
 */
export function formatMetric(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : String(value);
}

/**
 * A fraction as a percentage with two decimals.
 *
 * @example
 * formatPercent(0.97812); // '97.81%'
 */
export function formatPercent(fraction: number): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(2)}%` : String(fraction);
}

/**
 * A duration: tenths of a second below a minute, then minutes and seconds, then hours.
 *
 * @example
 * formatDuration(12.34); // '12.3s'
 * formatDuration(65);    // '1m 05s'
 * formatDuration(3725);  // '1h 02m'
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * A rate, rounded to a whole number with thousands separated for reading.
 *
 * @example
 * formatRate(48712.3); // '48,712'
 */
export function formatRate(perSecond: number): string {
  return Number.isFinite(perSecond) ? Math.round(perSecond).toLocaleString('en-US') : '?';
}

const byteUnits = ['B', 'kB', 'MB', 'GB'] as const;

/**
 * A byte count in decimal units with one decimal.
 *
 * @example
 * formatBytes(9_912_422); // '9.9 MB'
 * formatBytes(512);       // '512 B'
 */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < byteUnits.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${byteUnits[unit]}`;
}
