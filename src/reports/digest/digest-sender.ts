import nodemailer from 'nodemailer';
import { smtpFailureReason, smtpTransport, type SmtpSettings } from '../../mail/smtp-transport.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { frenchDate, parisStamp } from '../../shared/french-format.ts';
import { parisDayKey } from '../../shared/paris-time.ts';
import { ensurePrivateDir, freePath, writePrivateFile } from '../output-files.ts';
import type { ReportDemarche } from '../report-data.ts';
import { collectDigest, type DigestPeriod, type DigestProblem } from './digest-data.ts';
import { beginDigest, lastDigest, markFailed, markSent, parseSnapshot, recordDryRun } from './digest-journal.ts';
import { renderDigest } from './digest-mail.ts';

export type { SmtpSettings };

export interface DigestAttachment {
  filename: string;
  path: string;
}

export interface RunDigestOptions {
  demarches: readonly ReportDemarche[];
  uiBaseUrl: string;
  from: string;
  to: readonly string[];
  smtp: SmtpSettings;
  /** Writes an .eml file in `outDir` instead of sending; never claims the period. */
  dryRun?: boolean | undefined;
  outDir: string;
  /** Called only when a mail is really going to be built (e.g. write today's workbooks). */
  attachments?: (() => Promise<DigestAttachment[]>) | undefined;
  /** Said in the mail when nothing is attached: folder or share link of the workbooks and packs. */
  filesLocation?: string | undefined;
  tokenExpiresOn?: string | null | undefined;
  now?: Date | undefined;
}

interface Counts {
  newDossiers: number;
  becameComplete: number;
  newBlocking: number;
  deleted: number;
  awaitingDecision: number;
  problems: number;
}

export type DigestOutcome =
  | {
      status: 'sent';
      digestId: number;
      messageId: string;
      period: DigestPeriod;
      recipients: string[];
      /** Recipients the SMTP server refused while accepting the others. */
      rejected: string[];
      subject: string;
      counts: Counts;
      attachments: string[];
    }
  | { status: 'dry_run'; digestId: number; emlPath: string; period: DigestPeriod; subject: string; counts: Counts; attachments: string[] }
  | { status: 'already_sent'; period: DigestPeriod; previousDigestId: number };

/**
 * Builds and sends the digest for today (Paris day), once: a row 'sending' is written before the
 * mail leaves and 'sent' after, and a second run the same day sends nothing. A row left 'sending'
 * by a crash is taken as sent (a duplicate mail is worse than a missing one) and the next digest
 * says so.
 */
export async function runDigest(db: Db, options: RunDigestOptions): Promise<DigestOutcome> {
  const now = options.now ?? new Date();
  const key = parisDayKey(now);
  const previous = await lastDigest(db);
  const period: DigestPeriod = { key, since: previous?.period_end ?? null, until: now.toISOString() };
  if (!options.dryRun && previous?.period_key === key) return { status: 'already_sent', period, previousDigestId: previous.id };

  const problems: DigestProblem[] = [];
  if (previous?.status === 'sending') {
    problems.push({
      level: 'avertissement',
      text: `Le résumé du ${frenchDate(previous.period_key ?? previous.period_end)} a été interrompu pendant l’envoi : il n’a peut-être pas été reçu.`,
    });
  }
  const content = await collectDigest(db, {
    demarches: options.demarches,
    uiBaseUrl: options.uiBaseUrl,
    period,
    previous: parseSnapshot(previous),
    tokenExpiresOn: options.tokenExpiresOn,
    problems,
    now,
  });
  const sum = (pick: (d: (typeof content.demarches)[number]) => number) => content.demarches.reduce((n, d) => n + pick(d), 0);
  const counts: Counts = {
    newDossiers: sum((d) => d.newDossiers.length),
    becameComplete: sum((d) => d.becameComplete.length),
    newBlocking: sum((d) => d.newBlocking.length),
    deleted: sum((d) => d.deleted.length),
    awaitingDecision: sum((d) => d.awaitingDecision.length),
    problems: content.problems.length,
  };
  const attachments = options.attachments ? await options.attachments() : [];
  const rendered = renderDigest(
    content,
    attachments.map((a) => a.filename),
    options.filesLocation,
  );
  const message = {
    from: options.from,
    to: [...options.to],
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    attachments: attachments.map((a) => ({ filename: a.filename, path: a.path })),
    // RFC 3834: out-of-office robots must not answer.
    headers: { 'Auto-Submitted': 'auto-generated', 'X-DS-ARS-Digest': key },
  };
  const journal = { period, recipients: options.to, snapshot: content.snapshot, createdAt: now.toISOString() };
  const names = attachments.map((a) => a.filename);

  if (options.dryRun) {
    const info = await nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }).sendMail(message);
    ensurePrivateDir(options.outDir);
    const emlPath = freePath(options.outDir, `resume-ds-ars_${parisStamp(now)}`, 'eml');
    writePrivateFile(emlPath, info.message as Buffer);
    const digestId = await recordDryRun(db, journal, emlPath);
    return { status: 'dry_run', digestId, emlPath, period, subject: rendered.subject, counts, attachments: names };
  }

  const digestId = await beginDigest(db, journal);
  if (digestId === null) return { status: 'already_sent', period, previousDigestId: (await lastDigest(db))?.id ?? 0 };
  const transport = smtpTransport(options.smtp);
  try {
    const info = await transport.sendMail(message);
    await markSent(db, digestId, info.messageId);
    const rejected = (info.rejected as Array<string | { address: string }>).map((r) => (typeof r === 'string' ? r : r.address));
    const accepted = options.to.filter((address) => !rejected.includes(address));
    return {
      status: 'sent',
      digestId,
      messageId: info.messageId,
      period,
      recipients: accepted,
      rejected,
      subject: rendered.subject,
      counts,
      attachments: names,
    };
  } catch (error) {
    const reason = smtpFailureReason(error);
    await markFailed(db, digestId, reason);
    throw new AppError(
      'network',
      `Le résumé n’a pas pu être envoyé par ${options.smtp.host}:${options.smtp.port} : ${reason}. Vérifiez la section mail.smtp de la configuration ; relancez « ds-ars digest » (rien n’a été marqué comme envoyé).`,
      { cause: error },
    );
  } finally {
    transport.close();
  }
}
