/** `ds-ars status`: what the local mirror holds per démarche, and how its last sync went. */
import type { Command } from 'commander';
import { parisDateTime } from '../../shared/paris-time.ts';
import type { DemarcheStatus } from '../../sync/status.ts';
import { print, printJson, printTable, wantsJson } from '../output.ts';
import { parseDemarcheNumber } from './sync.command.ts';
import { openCommandContext } from '../command-context.ts';

const STATE_LABEL: Record<string, string> = {
  en_construction: 'en construction',
  en_instruction: 'en instruction',
  accepte: 'accepté',
  refuse: 'refusé',
  sans_suite: 'sans suite',
};
const RUN_STATUS: Record<string, string> = {
  ok: 'ok',
  partial: 'partiel',
  failed: 'échec',
  running: 'en cours',
  interrupted: 'interrompue',
};

/** "3 min", "2 h", "5 j": how long ago, for people. */
export function formatAge(seconds: number | null): string | null {
  if (seconds === null) return null;
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} j`;
}

function byStateText(s: DemarcheStatus): string {
  const parts = Object.entries(s.byState).map(([state, n]) => `${STATE_LABEL[state] ?? state} ${n}`);
  return parts.length ? parts.join(', ') : 'aucun';
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('État du miroir local : dossiers par état, suppressions, dernière synchronisation, âge du curseur, dernière erreur')
    .option('-d, --demarche <numéro>', 'limiter à cette démarche (répétable)', parseDemarcheNumber)
    .action(async (options: { demarche?: number[] }, command: Command) => {
      const [{ describeDatabase }, { mirrorStatus }, { demarcheResource, isLeaseLive, readLease }] = await Promise.all([
        import('../../db/dialect.ts'),
        import('../../sync/status.ts'),
        import('../../worker/lease.ts'),
      ]);
      const context = await openCommandContext(command);
      const { env } = context;
      const db = await context.database('read');
      let statuses: DemarcheStatus[];
      try {
        const now = new Date();
        statuses = await mirrorStatus(db, now, options.demarche);
        // A run left « running » by a process that is gone (kill -9, a full disk that refused its
        // last write) is not going on: no live process holds the démarche's lease any more.
        for (const s of statuses) {
          if (s.lastRun?.status !== 'running') continue;
          const lease = await readLease(db, demarcheResource(s.demarche));
          if (lease === undefined || !isLeaseLive(lease, now)) s.lastRun = { ...s.lastRun, status: 'interrupted' };
        }
      } finally {
        await context.close();
      }
      if (wantsJson(command)) {
        printJson(command, statuses);
        return;
      }
      print(command, `Base : ${describeDatabase(env.DS_ARS_DB)}`);
      if (statuses.length === 0) {
        print(command, 'Aucune démarche synchronisée pour l’instant : lancez « ds-ars sync ».');
        return;
      }
      printTable(command, statuses, [
        { header: 'Démarche', value: (s) => String(s.demarche), align: 'right' },
        { header: 'Dossiers', value: (s) => s.live },
        { header: 'Par état', value: byStateText },
        { header: 'Supprimés', value: (s) => s.deleted },
        { header: 'En attente de suppr.', value: (s) => s.pendingDeletion },
        { header: 'Purgés', value: (s) => s.purged },
        {
          header: 'Dernière sync',
          value: (s) =>
            s.lastRun
              ? `${RUN_STATUS[s.lastRun.status] ?? s.lastRun.status}, ${parisDateTime(s.lastRun.ended_at ?? s.lastRun.started_at)}`
              : null,
        },
        { header: 'Curseur', value: (s) => (s.cursorAgeSeconds === null ? null : `il y a ${formatAge(s.cursorAgeSeconds)}`) },
        { header: 'Fichiers', value: (s) => s.filesDownloaded },
        { header: 'Fichiers en erreur', value: (s) => s.filesFailed },
      ]);
      for (const s of statuses) if (s.lastError) print(command, `Démarche ${s.demarche}, dernière erreur : ${s.lastError}`);
    });
}
