/** One line of the benchmark table: a figure, its target, what was measured. */
export interface BenchResult {
  figure: string;
  target: string;
  measured: number | string;
  unit?: string;
  ok: boolean;
}
