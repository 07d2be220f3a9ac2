import type { Logger } from '../logger.ts';
import type { SyncObserver } from './sync-runner.ts';

const STREAM_LABEL = { dossiers: 'dossiers', deleted: 'supprimés', pending: 'en attente de suppression', labels: 'étiquettes' } as const;

/** The last line of a démarche says how it ended: never « synchronisée » for a failed or interrupted one. */
const END_MESSAGE = {
  ok: 'démarche synchronisée',
  partial: 'démarche synchronisée, avec des pièces jointes en erreur',
  failed: 'synchronisation de la démarche en échec',
  interrupted: 'synchronisation de la démarche interrompue',
} as const;

/** One structured log line per page and per démarche (used when stderr is not a terminal). */
export function logObserver(logger: Logger): SyncObserver {
  return {
    onDemarcheStart: (e) => logger.info({ demarche: e.demarche, mode: e.mode, labelsPass: e.labelsPass }, 'synchronisation de la démarche'),
    onPage: (e) => logger.info({ ...e }, `page ${e.page} (${STREAM_LABEL[e.stream]}) enregistrée`),
    onDemarcheEnd: (r) =>
      logger[r.status === 'failed' ? 'error' : r.status === 'ok' ? 'info' : 'warn'](
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
        END_MESSAGE[r.status],
      ),
  };
}
