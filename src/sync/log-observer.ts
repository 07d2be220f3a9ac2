import type { Logger } from '../logger.ts';
import type { SyncObserver } from './sync-runner.ts';

const STREAM_LABEL = { dossiers: 'dossiers', deleted: 'supprimés', pending: 'en attente de suppression', labels: 'étiquettes' } as const;

/** One structured log line per page and per démarche (used when stderr is not a terminal). */
export function logObserver(logger: Logger): SyncObserver {
  return {
    onDemarcheStart: (e) => logger.info({ demarche: e.demarche, mode: e.mode, labelsPass: e.labelsPass }, 'synchronisation de la démarche'),
    onPage: (e) => logger.info({ ...e }, `page ${e.page} (${STREAM_LABEL[e.stream]}) enregistrée`),
    onDemarcheEnd: (r) =>
      logger.info(
        {
          demarche: r.demarche,
          status: r.status,
          pages: r.pages,
          upserted: r.upserted,
          deleted: r.deleted,
          pendingDeleted: r.pendingDeleted,
          labelsChanged: r.labelsChanged,
          filesDownloaded: r.filesDownloaded,
          filesFailed: r.filesFailed,
          requests: r.requests,
          retries: r.retries,
        },
        'démarche synchronisée',
      ),
  };
}
