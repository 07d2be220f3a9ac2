import { basename } from 'node:path';
import { AppError } from '../errors.ts';
import { smtpFailureReason, smtpTransport, type SmtpSettings } from '../mail/smtp-transport.ts';
import type { DecisionsReport } from './apply-decisions.ts';
import { OUTCOME_LABELS, type Outcome, TO_REVIEW } from './result-workbook.ts';
import { plural } from '../shared/plural.ts';

export interface SummaryMailOptions {
  smtp: SmtpSettings;
  from: string;
  to: readonly string[];
  /** Attach the result workbook (config `mail.attachWorkbook`). */
  attachWorkbook: boolean;
}

const SHOWN: readonly Outcome[] = ['applique', 'deja_fait', 'echec', 'bloque', 'erreur', 'non_traite', 'incertain'];

/** Subject and plain text of the summary: counts, then every row that needs a look. */
export function renderSummary(report: DecisionsReport): { subject: string; text: string } {
  const { counts, loaded } = report;
  const problems = [...TO_REVIEW].reduce((n, o) => n + counts[o], 0);
  const subject = `[ds-ars] Décisions de la démarche ${loaded.binding.demarcheNumber} : ${plural(counts.applique, 'appliquée')}${problems > 0 ? `, ${problems} à reprendre` : ''}`;
  const lines = [
    `Classeur du jury : ${basename(loaded.source)}`,
    `Démarche ${loaded.binding.demarcheNumber} (${loaded.demarche.libelle ?? loaded.demarche.programme.toUpperCase()})`,
    '',
    ...SHOWN.filter((o) => counts[o] > 0).map((o) => `- ${OUTCOME_LABELS[o]} : ${counts[o]}`),
  ];
  const toReview = report.results.filter((r) => TO_REVIEW.has(r.outcome));
  if (toReview.length > 0) lines.push('', 'À reprendre :', ...toReview.flatMap((r) => r.detail.split('\n')).map((d) => `- ${d}`));
  if (report.resultPath !== null) lines.push('', `Classeur de résultats : ${report.resultPath}`);
  lines.push('', 'Message envoyé automatiquement par ds-ars.');
  return { subject, text: `${lines.join('\n')}\n` };
}

/** Sends the summary of an applied workbook; the decisions stand whatever happens to the mail. */
export async function sendSummaryMail(report: DecisionsReport, options: SummaryMailOptions): Promise<string> {
  const { subject, text } = renderSummary(report);
  const transport = smtpTransport(options.smtp);
  try {
    const info = await transport.sendMail({
      from: options.from,
      to: [...options.to],
      subject,
      text,
      attachments:
        options.attachWorkbook && report.resultPath !== null ? [{ filename: basename(report.resultPath), path: report.resultPath }] : [],
      // RFC 3834: out-of-office robots must not answer.
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    return info.messageId;
  } catch (error) {
    throw new AppError(
      'network',
      `Décisions appliquées, mais le résumé n’a pas pu être envoyé par ${options.smtp.host}:${options.smtp.port} : ${smtpFailureReason(error)}. Vérifiez la section mail.smtp de la configuration.`,
      { cause: error },
    );
  } finally {
    transport.close();
  }
}
