/**
 * `ds-ars purge --before DATE [--demarche N] [--apply]`: data retention (RGPD). Dry run by
 * default; with --apply, removes the dossiers of closed campaigns and their files, keeps the
 * decision journal without personal data, and compacts the database.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { AppError, ConflictError } from '../../errors.ts';
import type { Db } from '../../db/database.ts';
import type { PurgeCounts, PurgePlan, PurgeResult } from '../../purge/purge.ts';
import { PartialFailure } from '../exit.ts';
import { print, printJson, printTable, wantsJson } from '../output.ts';
import { canAsk, TypedConfirmation } from '../typed-confirmation.ts';
import { openCommandContext } from '../command-context.ts';
import { agree, plural } from '../../shared/plural.ts';

interface PurgeCliOptions {
  before: string;
  demarche?: number;
  apply?: boolean;
  oui?: boolean;
}

const STATE_LABELS: Record<string, string> = {
  accepte: 'accepté',
  refuse: 'refusé',
  sans_suite: 'classé sans suite',
  supprime: 'supprimé dans DS',
};

function parseDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new InvalidArgumentError('une date AAAA-MM-JJ est attendue, par exemple 2024-01-01.');
  return value;
}

function parseDemarche(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('un numéro de démarche (entier positif) est attendu.');
  return number;
}

const COUNT_LABELS: Record<keyof PurgeCounts, string> = {
  dossiers: 'dossiers',
  champs: 'champs',
  files: 'pièces jointes (lignes)',
  localFiles: 'fichiers sur disque',
  labels: 'étiquettes',
  findings: 'anomalies',
  evaluations: 'évaluations',
  annotationPushes: 'annotations écrites',
  journalEntries: 'entrées du journal des décisions (conservées, anonymisées)',
  plans: 'plans d’envoi (anonymisés)',
  workbooks: 'classeurs de jury',
};

function frenchDate(date: string): string {
  const text = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date(`${date}T12:00:00Z`));
  return text.replace(/^1 /, '1er ');
}

function printPlan(command: Command, plan: PurgePlan): void {
  const scope = plan.demarche === undefined ? 'toutes les démarches' : `démarche ${plan.demarche}`;
  print(
    command,
    `Purge RGPD (${scope}) : dossiers dont la dernière activité est antérieure au ${frenchDate(plan.before)}, décidés (accepté, refusé, classé sans suite) d’une campagne close ou avant cette date, ou supprimés dans DS. Les dossiers en construction ou en instruction ne sont jamais purgés.`,
  );
  if (plan.dossierNumbers.length === 0) {
    print(command, 'Aucun dossier à supprimer.');
    return;
  }
  const rows = plan.byDemarche.flatMap((d) =>
    Object.entries(d.byState)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([state, dossiers]) => ({ demarche: d.demarche, state, dossiers })),
  );
  printTable(command, rows, [
    { header: 'Démarche', value: (r) => String(r.demarche), align: 'right' },
    { header: 'État', value: (r) => STATE_LABELS[r.state] ?? r.state },
    { header: 'Dossiers', value: (r) => r.dossiers },
  ]);
}

function countLines(plan: PurgePlan): string[] {
  return (Object.keys(COUNT_LABELS) as (keyof PurgeCounts)[])
    .filter((key) => plan.counts[key] > 0)
    .map((key) => `  - ${plan.counts[key]} ${COUNT_LABELS[key]}`);
}

/**
 * `--apply` on dossiers: each démarche number typed back at a terminal, or `--oui` in a script.
 * Without either, nothing is deleted (exit 2).
 */
async function confirm(plan: PurgePlan, oui: boolean): Promise<void> {
  if (oui) return;
  if (!canAsk()) {
    throw new AppError(
      'usage',
      'Suppression non confirmée : rien n’a été supprimé. Relancez dans un terminal pour taper le numéro de chaque démarche, ou ajoutez --oui dans un script après avoir relu le plan (sans --apply).',
    );
  }
  const conversation = new TypedConfirmation();
  try {
    for (const d of plan.byDemarche) {
      const answer = await conversation.typedBack(
        `Pour supprimer définitivement ${plural(d.dossiers, 'dossier')} de la démarche ${d.demarche}, tapez son numéro (${d.demarche}) : `,
        String(d.demarche),
      );
      if (answer === 'aborted')
        throw new AppError('usage', 'Purge abandonnée (Ctrl+C ou fin de saisie) avant confirmation : rien n’a été supprimé.');
      if (answer === 'mismatch')
        throw new AppError('usage', `Confirmation incorrecte pour la démarche ${d.demarche} : rien n’a été supprimé.`);
    }
  } finally {
    conversation.close();
  }
}

/**
 * A --demarche the mirror never held is a typo: « Aucun dossier à supprimer » would read as « nothing
 * left to purge » for the démarche meant.
 */
async function requireMirroredDemarche(db: Db, demarche: number): Promise<void> {
  const known = [
    ...new Set([
      ...(await db.selectFrom('sync_state').select('demarche_number').execute()).map((r) => r.demarche_number),
      ...(await db.selectFrom('purged_dossiers').select('demarche_number').distinct().execute()).map((r) => r.demarche_number),
    ]),
  ].sort((a, b) => a - b);
  if (known.includes(demarche)) return;
  throw new AppError(
    'usage',
    `La démarche ${demarche} n’a jamais été synchronisée dans cette base : rien à purger pour elle. ${
      known.length > 0 ? `Démarches de la base : ${known.join(', ')}.` : 'La base ne contient aucune démarche.'
    } Vérifiez le numéro donné à --demarche (« ds-ars status » les liste).`,
  );
}

export function registerPurgeCommand(program: Command): void {
  program
    .command('purge')
    .description('Supprimer les données personnelles des campagnes closes (conservation RGPD) ; simulation sans --apply')
    .requiredOption(
      '--before <date>',
      'supprimer les dossiers dont la dernière activité est antérieure à cette date (AAAA-MM-JJ, jour de Paris)',
      parseDate,
    )
    .option('-d, --demarche <numéro>', 'limiter la purge à une démarche', parseDemarche)
    .option('--apply', 'supprimer vraiment (sinon : simulation, rien n’est modifié) ; demande de taper le numéro de chaque démarche')
    .option('--oui', 'avec --apply, dans un script : ne pas demander de taper le numéro de la démarche')
    .addHelpText(
      'after',
      [
        '',
        'Sont concernés les dossiers acceptés, refusés ou classés sans suite dont la démarche est close (sur DS ou date',
        'de fermeture passée) ou dont la décision est antérieure à --before, et les dossiers supprimés dans DS, si leur',
        'dernière activité (décision, suppression ou dernière modification) est antérieure à --before, qui ne peut pas',
        'être dans le futur. Les dossiers en construction ou en instruction ne sont jamais purgés. Sont supprimés :',
        'dossiers, champs, pièces jointes (fichiers compris), étiquettes, évaluations, anomalies, annotations écrites,',
        'classeurs de jury des démarches entièrement purgées. Le journal des décisions est conservé sans données',
        'personnelles. Un dossier purgé n’est jamais réimporté par « ds-ars sync » (même --full) ; « ds-ars status »',
        'les compte (colonne « Purgés »). Avec --apply, tapez le numéro de chaque démarche pour confirmer (ou --oui).',
      ].join('\n'),
    )
    .action(async (options: PurgeCliOptions, command: Command) => {
      const [{ applyPurge, planPurge }, { demarcheResource, newHolderId, withLeases }, { PIPELINE_RESOURCE }] = await Promise.all([
        import('../../purge/purge.ts'),
        import('../../worker/lease.ts'),
        import('../../worker/pipeline.ts'),
      ]);
      const context = await openCommandContext(command);
      const { env } = context;
      const logger = await context.logger();
      const json = wantsJson(command);
      const db = await context.database(options.apply === true ? 'write' : 'read');
      let plan: PurgePlan;
      let result: PurgeResult | null = null;
      try {
        if (options.demarche !== undefined) await requireMirroredDemarche(db, options.demarche);
        plan = await planPurge(db, { before: options.before, ...(options.demarche === undefined ? {} : { demarche: options.demarche }) });
        if (!json) printPlan(command, plan);
        if (options.apply && plan.dossierNumbers.length > 0) {
          if (!json) print(command, ['Seront supprimés ou anonymisés :', ...countLines(plan)].join('\n'));
          await confirm(plan, options.oui === true);
          // Keep the worker and manual syncs off these démarches while their rows go.
          const resources = [PIPELINE_RESOURCE, ...plan.byDemarche.map((d) => demarcheResource(d.demarche))];
          const planned = plan;
          result = await withLeases(
            db,
            resources,
            newHolderId(),
            async () => {
              // The confirmation may have taken a while: delete only what was shown and confirmed.
              const fresh = await planPurge(db, {
                before: planned.before,
                ...(planned.demarche === undefined ? {} : { demarche: planned.demarche }),
              });
              if (fresh.dossierNumbers.join(',') !== planned.dossierNumbers.join(',')) {
                throw new ConflictError(
                  'conflict',
                  'Le miroir a changé depuis l’affichage du plan (synchronisation entre-temps) : rien n’a été supprimé. Relancez la commande pour voir le plan à jour.',
                );
              }
              return applyPurge(db, planned, { filesDir: env.DS_ARS_FILES_DIR, logger });
            },
            { logger },
          );
        }
      } finally {
        await context.close();
      }
      if (json) {
        printJson(command, {
          before: plan.before,
          demarche: plan.demarche ?? null,
          applied: result !== null,
          byDemarche: plan.byDemarche,
          counts: plan.counts,
          fileErrors: result?.fileErrors ?? [],
        });
      } else if (plan.dossierNumbers.length > 0 && result === null) {
        print(
          command,
          [
            'Seraient supprimés ou anonymisés :',
            ...countLines(plan),
            '',
            'Simulation : rien n’a été modifié. Relancez avec --apply pour supprimer.',
          ].join('\n'),
        );
      } else if (result !== null) {
        print(
          command,
          [
            'Supprimés ou anonymisés.',
            'Base compactée (VACUUM) : les données supprimées ne restent pas dans le fichier.',
            'Ces dossiers ne seront pas réimportés par la synchronisation (« ds-ars status », colonne « Purgés »).',
          ].join('\n'),
        );
        for (const failure of result.fileErrors) print(command, `Fichier non supprimé : ${failure.path} (${failure.message})`);
      }
      if (result && result.fileErrors.length > 0)
        throw new PartialFailure(
          `${plural(result.fileErrors.length, 'fichier')} ${agree(result.fileErrors.length, 'n’a pas pu être supprimé', 'n’ont pas pu être supprimés')} du disque (détail ci-dessus).`,
        );
    });
}
