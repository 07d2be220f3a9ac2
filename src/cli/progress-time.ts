import type { Options } from 'cli-progress';

/**
 * The elapsed time on a progress line, as a French reader writes it: « 8 s », « 2 min 05 s »,
 * « 1 h 02 min » (cli-progress's own is « 8s », « 02m05s »).
 */
export function progressTime(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
}

/** The settings every progress line of ds-ars shares (no cli-progress import here: commands load it when they draw). */
export function progressLineOptions(stream: NodeJS.WritableStream, format: string, extra: Partial<Options> = {}): Options {
  return { stream, format, hideCursor: true, fps: 5, formatTime: progressTime, ...extra };
}
