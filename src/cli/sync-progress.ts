import cliProgress from 'cli-progress';
import type { SyncObserver, SyncStream } from '../sync/sync-runner.ts';
import { progressLineOptions } from './progress-time.ts';

const STEP: Record<SyncStream, string> = {
  dossiers: 'dossiers',
  deleted: 'suppressions',
  pending: 'suppressions en attente',
  labels: 'étiquettes',
};

/**
 * A live line on a terminal: démarche, current step, pages, dossiers written, files. DS gives no
 * total count, so the line counts up instead of drawing a percentage.
 */
export function progressObserver(stream: NodeJS.WritableStream): SyncObserver & { stop(): void } {
  const bar = new cliProgress.SingleBar(
    progressLineOptions(
      stream,
      'Démarche {demarche} · {step} · pages {pages} · dossiers {dossiers} · fichiers {files} (erreurs {fileErrors}) · {duration_formatted}',
      { clearOnComplete: false },
    ),
    cliProgress.Presets.shades_classic,
  );
  let counts = { pages: 0, dossiers: 0, files: 0, fileErrors: 0 };
  let active = false;
  return {
    onDemarcheStart(e) {
      counts = { pages: 0, dossiers: 0, files: 0, fileErrors: 0 };
      bar.start(1, 0, { demarche: e.demarche, step: e.mode === 'full' ? 'lecture complète' : 'lecture incrémentale', ...counts });
      active = true;
    },
    onPage(e) {
      counts.pages += 1;
      if (e.stream === 'dossiers') counts.dossiers += e.changed;
      counts.files += e.filesDownloaded;
      counts.fileErrors += e.filesFailed;
      bar.setTotal(counts.pages + (e.hasNextPage ? 1 : 0));
      bar.update(counts.pages, { step: STEP[e.stream], ...counts });
    },
    onDemarcheEnd() {
      bar.update(counts.pages, { step: 'terminé', ...counts });
      bar.stop();
      active = false;
    },
    stop() {
      if (active) bar.stop();
      active = false;
    },
  };
}
