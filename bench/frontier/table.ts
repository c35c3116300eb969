/** Plain-text tables and number formats for the benchmark's report. */

/** Prints a titled table with right-aligned numeric-looking cells. */
export function printTable(title: string, headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = /^[~>≈<-]?[\d,.]+( ?[%a-zA-Z/]+)?$/;
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (numeric.test(c) && i > 0 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  console.log(`\n### ${title}\n`);
  console.log(line(headers));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

/** 1234567 → "1,234,567" (rounded to `digits` decimals). */
export function num(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Bytes as MiB with one decimal. */
export function mib(bytes: number): string {
  return `${num(bytes / 2 ** 20, 1)} MiB`;
}

/** Milliseconds with `digits` decimals. */
export function ms(value: number, digits = 2): string {
  return `${num(value, digits)} ms`;
}

/** The `q`-quantile (0..1) of unsorted values; 0 for none. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
