import cliProgress from 'cli-progress';
import type { ProgressEvent } from '../pushback/executor.ts';

/** A live line while decisions are sent: mutations done out of the total, sent, failed. */
export function decisionsProgressBar(stream: NodeJS.WritableStream): { onProgress(event: ProgressEvent): void; stop(): void } {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'Décisions [{bar}] {value}/{total} mutations · envoyées {sent} · échecs {failed} · {duration_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const counts = { sent: 0, failed: 0 };
  return {
    onProgress(event) {
      if (!started) {
        bar.start(event.total, 0, counts);
        started = true;
      }
      if (event.result.status === 'sent') counts.sent += 1;
      if (event.result.status === 'failed') counts.failed += 1;
      bar.update(event.done, counts);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
