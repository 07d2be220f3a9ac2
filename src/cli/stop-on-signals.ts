/**
 * SIGINT/SIGTERM (Ctrl-C, service stop) ask a command to stop at its next safe point (after the
 * mutation in flight, after the page being written); returns the signal and a cleanup.
 */
export function stopOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}
