export interface Figure {
  label: string;
  /** undefined: not measured in this run (the note says why). */
  value: number | undefined;
  mustBeZero: boolean;
  note?: string;
}

/** The one table the fault suite prints, and which must-be-zero figures are not zero. */
export function renderTable(figures: Figure[]): string {
  const width = Math.max(...figures.map((f) => f.label.length));
  const valueOf = (f: Figure) => (f.value === undefined ? 'n/a' : String(f.value));
  const valueWidth = Math.max(5, ...figures.map((f) => valueOf(f).length));
  const line = `+-${'-'.repeat(width)}-+-${'-'.repeat(valueWidth)}-+--------+`;
  const rows = figures.map((f) => {
    const verdict = !f.mustBeZero ? '' : f.value === undefined ? 'n/a' : f.value === 0 ? 'ok' : 'FAIL';
    const note = f.note ? `  ${f.note}` : '';
    return `| ${f.label.padEnd(width)} | ${valueOf(f).padStart(valueWidth)} | ${verdict.padEnd(6)} |${note}`;
  });
  return [line, `| ${'figure'.padEnd(width)} | ${'value'.padStart(valueWidth)} | 0?     |`, line, ...rows, line].join('\n');
}

/** Must-be-zero figures that are not zero; a figure that could not be measured fails too. */
export function failures(figures: Figure[]): Figure[] {
  return figures.filter((f) => f.mustBeZero && f.value !== 0);
}
