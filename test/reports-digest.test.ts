import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src/db/database.ts';
import { dialects, dropTestDatabases, freshTarget } from './support/postgres.ts';
import { AppError } from '../src/errors.ts';
import { DECISIONS_SHEET } from '../src/reports/decisions-sheet.ts';
import { parseConfig } from '../src/config/file.ts';
import { runConfiguredDigest } from '../src/reports/run-reports.ts';
import { runDigest, type RunDigestOptions } from '../src/reports/digest/digest-sender.ts';
import { smtpFailureReason, smtpTransport } from '../src/mail/smtp-transport.ts';
import { writeJuryWorkbook } from '../src/reports/jury-workbook.ts';
import { aumgDemarche, seedDemarche, seedDossiers } from './reports-fixtures.ts';

const DEMARCHE = 57707;
const UI = 'https://demat.example.test';

/** A real SMTP server on loopback; each accepted message is parsed by mailparser. */
class Mailbox {
  readonly messages: ParsedMail[] = [];
  readonly envelopes: string[][] = [];
  /** Refuse every recipient while set (a full mailbox, a relay denying us). */
  rejecting = false;
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo: (_address, _session, callback) => {
      if (this.rejecting) {
        callback(new Error('boîte pleine'));
        return;
      }
      callback();
    },
    onData: (stream, session, callback) => {
      simpleParser(stream)
        .then((mail) => {
          this.messages.push(mail);
          this.envelopes.push(session.envelope.rcptTo.map((r) => r.address));
          callback();
        })
        .catch(callback);
    },
  });
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as { port: number }).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let dir: string;
let db: Db;
let mailbox: Mailbox;

function options(now: string, extra: Partial<RunDigestOptions> = {}): RunDigestOptions {
  return {
    demarches: [aumgDemarche(DEMARCHE)],
    uiBaseUrl: UI,
    from: 'ds-ars@ars.example.test',
    to: ['instructeurs@ars.example.test', 'pole-rh@ars.example.test'],
    smtp: { host: '127.0.0.1', port: mailbox.port, secure: false },
    outDir: join(dir, 'rapports'),
    now: new Date(now),
    ...extra,
  };
}

afterAll(dropTestDatabases);

describe('SMTP failures, in French', () => {
  it('says the server cannot be reached, without nodemailer’s « connect ECONNREFUSED »', async () => {
    const closed = new SMTPServer({ logger: false });
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.server.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await smtpTransport({ host: '127.0.0.1', port, secure: false })
      .sendMail({ from: 'ds-ars@ars.sante.fr', to: 'instructeur@ars.sante.fr', subject: 'x', text: 'x' })
      .catch((e: unknown) => e);
    expect(smtpFailureReason(error)).toBe('connexion au serveur SMTP impossible ou coupée (hôte, port, mail.smtp.secure) (ESOCKET)');
  });
});

describe.each(dialects)('digest mail (%s)', (dialect) => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ds-ars-digest-'));
    db = await openDatabase(dialect === 'sqlite' ? join(dir, 'ds-ars.sqlite') : await freshTarget(dialect));
    mailbox = new Mailbox();
    await mailbox.start();
    await seedDemarche(db, DEMARCHE);
    await seedDossiers(db, DEMARCHE, [
      { number: 101, state: 'accepte', nom: 'Martin', prenom: 'Alice', universite: 'Université Paris Cité', structure: 'CDS Belleville' },
      { number: 102, state: 'en_instruction', nom: 'Durand', prenom: 'Basile' },
      {
        number: 104,
        state: 'en_construction',
        nom: '<script>alert(1)</script>',
        prenom: 'Chloé',
        evaluation: { complet: false, eligible: 'non' },
        findings: [
          {
            ruleId: 'complet.piece_requise',
            severity: 'bloquant',
            message: 'La pièce « CV du candidat » est absente.',
            firstSeenAt: '2026-11-25T02:05:00.000Z',
          },
        ],
      },
      { number: 106, state: 'en_instruction', nom: 'Petit', prenom: 'Denis' },
    ]);
  });

  afterAll(async () => {
    await mailbox.close();
    await db.destroy();
  });

  it('sends the first digest with HTML and text parts and the workbook attached, once per day', async () => {
    const outcome = await runDigest(
      db,
      options('2026-11-26T05:00:00.000Z', {
        attachments: async () => {
          const wb = await writeJuryWorkbook(db, {
            demarche: aumgDemarche(DEMARCHE),
            uiBaseUrl: UI,
            outDir: join(dir, 'rapports'),
            now: new Date('2026-11-26T05:00:00.000Z'),
          });
          return [{ filename: 'dossiers-jury.xlsx', path: wb.path }];
        },
      }),
    );
    expect(outcome.status).toBe('sent');
    expect(mailbox.messages).toHaveLength(1);
    const mail = mailbox.messages[0]!;
    expect(mailbox.envelopes[0]).toEqual(['instructeurs@ars.example.test', 'pole-rh@ars.example.test']);
    expect(mail.subject).toBe('[ds-ars] Résumé du 26/11/2026 : 4 nouveaux dossiers, 1 anomalie bloquante');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.text).toContain('Premier résumé : état au 26/11/2026 06:00 (heure de Paris).');
    expect(mail.text).toContain('Dossiers déposés sur la période (4) :');
    expect(mail.text).toContain(`${UI}/procedures/${DEMARCHE}/dossiers/101`);
    expect(mail.text).toContain('En attente de décision (en instruction) (2) :');
    expect(mail.text).toContain('Aucune erreur ni alerte technique sur la période.');
    expect(mail.html).toContain(`<a href="${UI}/procedures/${DEMARCHE}/dossiers/104">`);
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).not.toContain('<script>');

    expect(mail.attachments).toHaveLength(1);
    const attachment = mail.attachments[0]!;
    expect(attachment.filename).toBe('dossiers-jury.xlsx');
    expect(attachment.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(attachment.content as unknown as ArrayBuffer);
    expect(book.getWorksheet(DECISIONS_SHEET)?.rowCount).toBe(5);

    const again = await runDigest(db, options('2026-11-26T09:00:00.000Z'));
    expect(again.status).toBe('already_sent');
    expect(mailbox.messages).toHaveLength(1);
    const rows = await db.selectFrom('digests').selectAll().execute();
    expect(rows.map((r) => [r.status, r.period_key])).toEqual([['sent', '2026-11-26']]);
    expect(rows[0]?.message_id).toBe(mail.messageId);
  });

  it('reports what changed since the previous digest, the night’s errors and the token expiry', async () => {
    await seedDossiers(db, DEMARCHE, [
      { number: 107, state: 'en_construction', nom: 'Nouveau', prenom: 'Éric', dateDepot: '2026-11-26T18:00:00.000Z' },
    ]);
    await db.updateTable('evaluations').set({ complet: 1, eligible: 'oui' }).where('dossier_number', '=', 104).execute();
    await db
      .updateTable('dossiers')
      .set({ deleted_at: '2026-11-27T01:30:00.000Z', deleted_reason: 'user_request' })
      .where('number', '=', 106)
      .execute();
    await db
      .insertInto('findings')
      .values({
        dossier_number: 102,
        demarche_number: DEMARCHE,
        position: 0,
        rule_id: 'delai.depot',
        severity: 'bloquant',
        message: 'Dossier déposé après la clôture.',
        rule_pack_version: 't',
        config_hash: 't',
        dossier_version: 't',
        first_seen_at: '2026-11-27T02:05:00.000Z',
      })
      .execute();
    await db
      .insertInto('sync_runs')
      .values({
        demarche_number: DEMARCHE,
        mode: 'incremental',
        status: 'failed',
        started_at: '2026-11-27T01:00:00.000Z',
        ended_at: '2026-11-27T01:01:00.000Z',
        errors: 1,
        error_message: 'DS ne répond pas (délai dépassé)',
      })
      .execute();

    const outcome = await runDigest(db, options('2026-11-27T05:00:00.000Z', { tokenExpiresOn: '2026-12-05' }));
    expect(outcome).toMatchObject({
      status: 'sent',
      counts: { newDossiers: 1, becameComplete: 1, newBlocking: 1, deleted: 1, awaitingDecision: 1, problems: 2 },
    });
    expect(mailbox.messages).toHaveLength(2);
    const mail = mailbox.messages[1]!;
    expect(mail.subject).toBe('[ds-ars] Résumé du 27/11/2026 : 1 nouveau dossier, 1 anomalie bloquante, 1 erreur');
    const text = mail.text ?? '';
    expect(text).toContain('Activité du 26/11/2026 06:00 au 27/11/2026 06:00 (heure de Paris).');
    expect(text).toContain('Nouveaux dossiers (1) :\n    - n° 107 – Éric Nouveau');
    expect(text).toContain('Dossiers devenus complets (1) :\n    - n° 104 – Chloé <script>alert(1)</script>');
    expect(text).toContain(
      'Nouvelles anomalies bloquantes (1) :\n    - n° 102 – Basile Durand : Dossier déposé après la clôture. (delai.depot)',
    );
    expect(text).toContain('Dossiers supprimés (1) :\n    - n° 106');
    expect(text).toContain('En attente de décision (en instruction) (1) :\n    - n° 102');
    expect(text).toContain(
      '[erreur] Synchronisation de la démarche 57707 du 27/11/2026 02:00 : échec (1 erreur ; DS ne répond pas (délai dépassé)).',
    );
    expect(text).toContain('[avertissement] Le jeton d’API DS expire le 05/12/2026 (dans 8 jours) : pensez à le renouveler.');
    expect(text).not.toContain('1994'); // no birth dates or other personal details
    expect(mail.html).toContain('Erreurs et avertissements');
    expect(mail.attachments).toHaveLength(0);
  });

  it('writes a private .eml on --dry-run without sending or claiming the day', async () => {
    const outcome = await runDigest(db, options('2026-11-28T05:00:00.000Z', { dryRun: true }));
    if (outcome.status !== 'dry_run') throw new Error(`attendu dry_run, reçu ${outcome.status}`);
    expect(mailbox.messages).toHaveLength(2);
    expect(statSync(outcome.emlPath).mode & 0o777).toBe(0o600);
    const eml = await simpleParser(readFileSync(outcome.emlPath));
    expect(eml.subject).toBe('[ds-ars] Résumé du 28/11/2026 : rien de nouveau');
    expect(eml.text).toContain('Activité du 27/11/2026 06:00 au 28/11/2026 06:00');
    expect(eml.html).toContain('<html lang="fr">');
    expect(readdirSync(join(dir, 'rapports')).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
    const sent = await runDigest(db, options('2026-11-28T05:05:00.000Z'));
    expect(sent.status).toBe('sent');
    expect(mailbox.messages).toHaveLength(3);
  });

  it('leaves the day free when the SMTP server refuses, so a retry sends it', async () => {
    mailbox.rejecting = true;
    await expect(runDigest(db, options('2026-11-29T05:00:00.000Z'))).rejects.toSatisfy(
      // In French, nodemailer's English left out; the server's own answer quoted.
      (e) =>
        e instanceof AppError &&
        e.code === 'network' &&
        /: adresse d’expéditeur ou de destinataire refusée \(EENVELOPE\) ; réponse du serveur : « \d{3} boîte pleine »\./.test(e.message),
    );
    mailbox.rejecting = false;
    expect(mailbox.messages).toHaveLength(3);
    const retry = await runDigest(db, options('2026-11-29T05:10:00.000Z'));
    expect(retry.status).toBe('sent');
    expect(mailbox.messages).toHaveLength(4);
    const day = await db.selectFrom('digests').select(['status']).where('period_key', '=', '2026-11-29').orderBy('id').execute();
    expect(day.map((r) => r.status)).toEqual(['failed', 'sent']);
  });

  it('does not resend after a crash left a digest "sending", and says so the next day', async () => {
    await db
      .updateTable('digests')
      .set({ status: 'sending' })
      .where('period_key', '=', '2026-11-29')
      .where('status', '=', 'sent')
      .execute();
    expect((await runDigest(db, options('2026-11-29T07:00:00.000Z'))).status).toBe('already_sent');
    const next = await runDigest(db, options('2026-11-30T05:00:00.000Z'));
    expect(next.status).toBe('sent');
    expect(mailbox.messages.at(-1)?.text).toContain(
      'Le résumé du 29/11/2026 a été interrompu pendant l’envoi : il n’a peut-être pas été reçu.',
    );
  });

  it('opens with a table of totals across démarches and, without attachWorkbook, says where the files are instead of attaching them', async () => {
    const other = DEMARCHE + 1;
    await seedDemarche(db, other, 'ARSIF - ASP');
    await seedDossiers(db, other, [
      { number: 201, state: 'en_instruction', nom: 'Roux', prenom: 'Inès', evaluation: { complet: true, eligible: 'a_verifier' } },
      { number: 202, state: 'refuse', nom: 'Blanc', prenom: 'Jules', evaluation: { complet: false, eligible: 'non' } },
      { number: 203, state: 'en_construction', nom: 'Noir', prenom: 'Karim', evaluation: null },
    ]);
    const config = parseConfig(
      {
        demarches: [
          { number: DEMARCHE, programme: 'aumg', session: { closingDate: '2025-04-30' } },
          { number: other, programme: 'asp', session: { closingDate: '2025-04-30' } },
        ],
        mail: {
          smtp: { host: '127.0.0.1', port: mailbox.port },
          from: 'ds-ars@ars.example.test',
          to: ['instructeurs@ars.example.test'],
          filesLocation: 'https://partage.ars.example.test/jury',
        },
        output: { dir: join(dir, 'rapports') },
      },
      'test.yaml',
    );
    const outcome = await runConfiguredDigest(db, config, { apiUrl: `${UI}/api/v2/graphql`, now: new Date('2026-12-01T05:00:00.000Z') });
    expect(outcome.status).toBe('sent');
    const mail = mailbox.messages.at(-1)!;
    expect(mail.attachments).toHaveLength(0);
    const text = mail.text ?? '';
    expect(text).toContain(
      'Les classeurs et dossiers du jury ne sont pas joints à ce mail (données personnelles) : ils sont dans https://partage.ars.example.test/jury',
    );
    expect(mail.html).toContain('<a href="https://partage.ars.example.test/jury">');
    // Seeded above and by the previous cases: 101 accepté, 102 en instruction, 104 and 107 en
    // construction (all éligibles), 106 deleted on 27/11; the ASP démarche is new since the last digest.
    const row = (name: string) =>
      text
        .split('\n')
        .find((l) => l.trimStart().startsWith(`${name} `))
        ?.split('|')
        .map((c) => c.trim());
    expect(text).toContain('Totaux par démarche depuis le dernier résumé :');
    expect(row('Démarche')).toEqual([
      'Démarche',
      'Dossiers',
      'En construction',
      'En instruction',
      'Acceptés',
      'Refusés',
      'Sans suite',
      'Éligibles',
      'À vérifier',
      'Non éligibles',
      'Non évalués',
      'Nouveaux',
      'Devenus complets',
      'Nouv. bloquants',
      'Supprimés',
    ]);
    expect(row(String(DEMARCHE))).toEqual([String(DEMARCHE), '4', '2', '1', '1', '0', '0', '4', '0', '0', '0', '0', '0', '0', '0']);
    expect(row(String(other))).toEqual([String(other), '3', '1', '1', '0', '1', '0', '0', '1', '1', '1', '3', '0', '0', '0']);
    expect(row('Total')).toEqual(['Total', '7', '3', '2', '1', '1', '0', '4', '1', '1', '1', '3', '0', '0', '0']);
    expect(mail.html).toContain('<th style="border: 1px solid #ccc; padding: 2px 6px; background: #dde6f0">Non éligibles</th>');
  });
});
