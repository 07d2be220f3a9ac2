/**
 * `ds-ars verrous`: the leases that keep two processes off the same démarche, with their holder
 * (host, process, still running or not when it is this machine), and `verrous liberer <n>` to
 * free one left by a process that cannot release it, instead of editing the SQLite file.
 */
import { hostname } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { AppError } from '../../errors.ts';
import { parisDateTime } from '../../shared/paris-time.ts';
import {
  demarcheResource,
  holderLiveness,
  listLeases,
  parseHolder,
  PIPELINE_RESOURCE,
  readLease,
  releaseLease,
  type LeaseState,
} from '../../worker/lease.ts';
import { canAsk, TypedConfirmation } from '../typed-confirmation.ts';
import { print, printJson, printTable, wantsJson } from '../output.ts';
import { openCommandContext } from '../command-context.ts';

const LIVENESS_LABEL = { alive: 'en cours', dead: 'arrêté', unknown: 'inconnu (autre machine)' } as const;

/** A lease as the operator reads it: which démarche, who, since when, until when. */
interface LeaseView {
  resource: string;
  demarche: number | null;
  host: string | null;
  pid: number | null;
  holder: string;
  process: keyof typeof LIVENESS_LABEL;
  since: string;
  expiresAt: string;
  expired: boolean;
}

function view(lease: LeaseState, now: Date): LeaseView {
  const parsed = parseHolder(lease.holder);
  const demarche = /^demarche:(\d+)$/.exec(lease.resource)?.[1];
  return {
    resource: lease.resource,
    demarche: demarche === undefined ? null : Number(demarche),
    host: parsed?.host ?? null,
    pid: parsed?.pid ?? null,
    holder: lease.holder,
    process: holderLiveness(lease.holder),
    since: lease.acquiredAt,
    expiresAt: lease.expiresAt,
    expired: lease.expiresAt <= now.toISOString(),
  };
}

function what(v: LeaseView): string {
  if (v.demarche !== null) return `démarche ${v.demarche}`;
  return v.resource === PIPELINE_RESOURCE ? 'traitement de nuit' : v.resource;
}

/** `<n>` is a démarche number; « traitement » names the whole-run lease of the worker/run-once. */
function parseTarget(value: string): string {
  if (value === 'traitement' || value === PIPELINE_RESOURCE) return PIPELINE_RESOURCE;
  if (/^\d+$/.test(value) && Number(value) > 0) return demarcheResource(Number(value));
  throw new InvalidArgumentError(`« ${value} » n’est ni un numéro de démarche ni « traitement ».`);
}

export function registerVerrousCommand(program: Command): void {
  const verrous = program
    .command('verrous')
    .description('Lister les verrous des démarches (processus détenteur, en cours ou arrêté, depuis quand, jusqu’à quand)')
    .addHelpText(
      'after',
      [
        '',
        'Un verrou empêche deux processus (worker, run-once, sync, annotate…) de traiter la même démarche en même temps.',
        'Son détenteur le renouvelle tant qu’il travaille ; celui d’un processus arrêté brutalement sur cette machine est',
        'repris aussitôt par le suivant, celui d’un processus d’une autre machine expire après worker.leaseMinutes minutes.',
        '« ds-ars verrous liberer <numéro> » libère un verrou après confirmation.',
      ].join('\n'),
    )
    .action(async (_options: unknown, command: Command) => {
      const context = await openCommandContext(command);
      const db = await context.database('read');
      let leases: LeaseState[];
      try {
        leases = await listLeases(db);
      } finally {
        await context.close();
      }
      const now = new Date();
      const views = leases.map((lease) => view(lease, now));
      if (wantsJson(command)) {
        printJson(command, views);
        return;
      }
      if (views.length === 0) {
        print(command, 'Aucun verrou : aucune démarche n’est en cours de traitement.');
        return;
      }
      printTable(command, views, [
        { header: 'Verrou', value: what },
        { header: 'Machine', value: (v) => v.host ?? v.holder },
        { header: 'Processus', value: (v) => (v.pid === null ? null : String(v.pid)), align: 'right' },
        { header: 'État du processus', value: (v) => LIVENESS_LABEL[v.process] },
        // Paris time for the operator; --json keeps the ISO instants.
        { header: 'Depuis', value: (v) => parisDateTime(v.since) },
        { header: 'Expire', value: (v) => (v.expired ? `${parisDateTime(v.expiresAt)} (expiré)` : parisDateTime(v.expiresAt)) },
      ]);
      print(command, `\nMachine courante : ${hostname()}.`);
    });

  verrous
    .command('liberer')
    .description('Libérer le verrou d’une démarche (ou « traitement ») après confirmation')
    .argument('<numéro>', 'numéro de la démarche, ou « traitement » pour le verrou du traitement de nuit', parseTarget)
    .option('--oui', 'ne pas demander de confirmation (scripts)')
    .addHelpText(
      'after',
      [
        '',
        'Sur un terminal, la commande demande de retaper le numéro ; sans terminal, --oui est obligatoire.',
        'Ne libérez pas le verrou d’un processus en cours : il ne s’en apercevrait qu’à son prochain renouvellement',
        '(un tiers de worker.leaseMinutes au plus) et un autre processus pourrait entre-temps traiter la même démarche.',
        'Codes de sortie : 0 verrou libéré (ou aucun verrou), 2 confirmation refusée ou absente.',
      ].join('\n'),
    )
    .action(async (resource: string, options: { oui?: boolean }, command: Command) => {
      const label = resource === PIPELINE_RESOURCE ? 'traitement' : resource.slice('demarche:'.length);
      if (options.oui !== true && !canAsk()) {
        throw new AppError(
          'usage',
          `Confirmation requise pour libérer le verrou « ${resource} » : relancez sur un terminal, ou ajoutez --oui dans un script.`,
        );
      }
      const context = await openCommandContext(command);
      const db = await context.database('write');
      try {
        const lease = await readLease(db, resource);
        if (lease === undefined) {
          if (wantsJson(command)) printJson(command, { resource, released: false, lease: null });
          else print(command, `Aucun verrou « ${resource} » : rien à libérer.`);
          return;
        }
        const current = view(lease, new Date());
        if (options.oui !== true) {
          const warning =
            current.process === 'alive' ? ` ATTENTION : le processus ${current.pid} est toujours en cours sur cette machine.` : '';
          process.stderr.write(
            `Verrou « ${resource} » détenu par ${lease.holder} depuis le ${parisDateTime(lease.acquiredAt)} (${LIVENESS_LABEL[current.process]}).${warning}\n`,
          );
          const conversation = new TypedConfirmation();
          const answer = await conversation.typedBack(`Tapez ${label} pour le libérer : `, label).finally(() => conversation.close());
          if (answer === 'aborted')
            throw new AppError('usage', `Libération du verrou « ${resource} » abandonnée (Ctrl+C ou fin de saisie) : le verrou est gardé.`);
          if (answer === 'mismatch') {
            throw new AppError('usage', `Libération du verrou « ${resource} » annulée : la saisie ne correspond pas à « ${label} ».`);
          }
        }
        // Only the lease just shown: a newer holder that took it meanwhile keeps it.
        const released = await releaseLease(db, resource, lease.holder);
        if (wantsJson(command)) printJson(command, { resource, released, lease: current });
        else if (released) print(command, `Verrou « ${resource} » libéré (il était détenu par ${lease.holder}).`);
        else
          print(
            command,
            `Le verrou « ${resource} » a changé de détenteur entre-temps : il n’a pas été libéré ; relancez « ds-ars verrous ».`,
          );
      } finally {
        await context.close();
      }
    });
}
