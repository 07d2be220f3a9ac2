/**
 * `ds-ars digest`: the daily summary mail for the instructors (new dossiers, dossiers become
 * complete, new blocking findings, deletions, dossiers awaiting a decision, the night's errors).
 * Sent at most once per Paris day. Exits 0 (sent, or already sent today), 1 when sending failed,
 * 2 on a usage or configuration error.
 */
import type { Command } from 'commander';
import type { DigestOutcome } from '../../reports/digest/digest-sender.ts';
import { frenchDate } from '../../shared/french-format.ts';
import { print, printJson, wantsJson } from '../output.ts';
import { withCommandContext } from '../command-context.ts';
import { agree } from '../../shared/plural.ts';

interface DigestCliOptions {
  to?: string[];
  dryRun?: boolean;
  attach?: boolean;
  out?: string;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function describe(outcome: DigestOutcome): string[] {
  const day = frenchDate(outcome.period.key);
  if (outcome.status === 'already_sent') return [`Résumé du ${day} déjà envoyé (n° ${outcome.previousDigestId}) : rien n’a été envoyé.`];
  const c = outcome.counts;
  const lines = [
    outcome.status === 'sent'
      ? `Résumé du ${day} envoyé à ${outcome.recipients.join(', ')} (message ${outcome.messageId}).`
      : `Résumé du ${day} écrit dans ${outcome.emlPath} (non envoyé).`,
    `Objet : ${outcome.subject}`,
    `Nouveaux dossiers ${c.newDossiers}, devenus complets ${c.becameComplete}, anomalies bloquantes nouvelles ${c.newBlocking}, supprimés ${c.deleted}, en attente de décision ${c.awaitingDecision}, erreurs et avertissements ${c.problems}.`,
  ];
  for (const name of outcome.attachments) lines.push(`Pièce jointe : ${name}`);
  if (outcome.status === 'sent' && outcome.rejected.length > 0)
    lines.push(
      `Attention : ${agree(outcome.rejected.length, 'destinataire refusé', 'destinataires refusés')} par le serveur SMTP : ${outcome.rejected.join(', ')}.`,
    );
  return lines;
}

export function registerDigestCommand(program: Command): void {
  program
    .command('digest')
    .description('Envoyer le résumé quotidien aux instructeurs (une fois par jour au plus)')
    .option('--to <adresse>', 'destinataire (répétable) ; remplace mail.to de la configuration', collect)
    .option('--dry-run', 'écrire le message dans un fichier .eml du dossier de sortie au lieu de l’envoyer')
    .option('--attach', 'joindre le classeur du jury de chaque démarche (par défaut mail.attachWorkbook)')
    .option('--no-attach', 'ne pas joindre de classeur')
    .option('--out <dossier>', 'dossier des classeurs et du .eml (par défaut output.dir de la configuration)')
    .addHelpText(
      'after',
      [
        '',
        'Le résumé couvre la période depuis le précédent résumé envoyé. Un second lancement le même jour',
        '(heure de Paris) n’envoie rien. Mot de passe SMTP : variable nommée par mail.smtp.passwordEnv.',
        'DS_API_TOKEN_EXPIRES_ON=AAAA-MM-JJ : le résumé prévient 14 jours avant l’expiration du jeton.',
      ].join('\n'),
    )
    .action(async (options: DigestCliOptions, command: Command) => {
      const { runConfiguredDigest } = await import('../../reports/run-reports.ts');
      const outcome: DigestOutcome = await withCommandContext(command, async (context) => {
        const config = await context.config();
        const db = await context.database('write');
        return runConfiguredDigest(db, config, {
          apiUrl: context.env.DS_API_URL,
          tokenExpiresOn: context.env.DS_API_TOKEN_EXPIRES_ON,
          variable: (name) => context.variable(name),
          to: options.to,
          dryRun: options.dryRun,
          attach: options.attach,
          outDir: options.out,
        });
      });
      if (wantsJson(command)) printJson(command, outcome);
      else for (const line of describe(outcome)) print(command, line);
    });
}
