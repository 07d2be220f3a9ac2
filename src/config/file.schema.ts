import { z } from 'zod';
import { PROGRAMME_IDS } from '../domain/programmes/types.ts';
import { SESSION_THRESHOLD_DEFAULTS } from '../domain/programmes/session-defaults.ts';

/** Nightly at 02:30, Paris time: after DS's own nightly jobs, before instructors start work. */
const DEFAULT_SCHEDULE = '30 2 * * *';
const DEFAULT_TIMEZONE = 'Europe/Paris';

const DATE_MESSAGE = 'date attendue au format AAAA-MM-JJ (par exemple 2025-04-30)';

/** A type error message, except for a missing key, which says so. */
const expected = (message: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'valeur obligatoire manquante' : message;

/** A calendar date 'YYYY-MM-DD' that exists (no 31 April). */
export const calendarDate = z.string({ error: expected(DATE_MESSAGE) }).refine((value) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return date.getUTCFullYear() === +m[1]! && date.getUTCMonth() === +m[2]! - 1 && date.getUTCDate() === +m[3]!;
}, DATE_MESSAGE);

const isoDateTime = z.iso.datetime({
  offset: true,
  error: 'date et heure attendues au format ISO 8601, par exemple "2020-01-01T00:00:00Z"',
});

const label = z.string().trim().min(1, 'le libellé ne doit pas être vide');
const descriptorId = z.string().trim().min(1, 'l’identifiant de champ ne doit pas être vide');
const byLabel = z.strictObject({ label });

/** A DS champ: its descriptor id (stable across revisions) or `{ label }` resolved against the form. */
export const champRefSchema = z.union([descriptorId, byLabel], {
  error: 'identifiant de champ (texte) ou { label: "…" } attendu',
});

/**
 * The row of a repetition block a key reads, chosen by the value of a sibling cell, never by its
 * position: `{ champ: <id|{label}>, valeur: "2" }` reads the row whose « Année » cell says 2.
 */
export const rowSelectorSchema = z.strictObject({
  champ: champRefSchema,
  valeur: z.union([z.string().trim().min(1, 'la valeur de ligne ne doit pas être vide'), z.number()], {
    error: expected('valeur attendue (texte ou nombre), par exemple valeur: 2'),
  }),
});

/**
 * A champ inside a repetition block: `{ repetition: <id|{label}>, champ: <id|{label}> }`, with
 * `ligne: { champ, valeur }` to read the row whose cell `champ` says `valeur` (one row per year).
 */
export const repetitionRefSchema = z.strictObject({
  repetition: champRefSchema,
  champ: champRefSchema,
  ligne: rowSelectorSchema.optional(),
});

export const mappingEntrySchema = z.union([descriptorId, byLabel, repetitionRefSchema], {
  error: 'identifiant de champ, { label: "…" } ou { repetition: …, champ: …, ligne?: { champ: …, valeur: … } } attendu',
});

const positiveAmount = z
  .number({ error: expected('montant en euros attendu (nombre)') })
  .nonnegative('le montant ne peut pas être négatif');

const percent = z
  .number({ error: expected('pourcentage attendu (nombre entre 0 et 100, sans le signe %)') })
  .min(0, 'un pourcentage ne peut pas être négatif')
  .max(100, 'un pourcentage ne peut pas dépasser 100');
const years = z
  .number({ error: expected('nombre d’années attendu') })
  .positive('nombre d’années positif attendu')
  .max(20, 'au plus 20 ans');

/** Zones accepted for the partner structure (AUMG elig.zone). */
const zonesSchema = z.strictObject({
  accepted: z
    .array(z.string().trim().min(1, 'nom de zone vide'), { error: expected('liste de zones attendue, par exemple [ZIP, ZIP+, ZAC, QPV]') })
    .min(1, 'au moins une zone acceptée attendue'),
  /** A free text typed after « Autre » that names no accepted zone: bloquant when true, alerte when false. */
  refuseOther: z.boolean({ error: expected('true ou false attendu') }),
});

/** Post-internship window (AUMG elig.post_internat), in years before the start date. */
const postInternshipSchema = z
  .strictObject({
    alertFromYears: years,
    maxYears: years,
    /** Exactly `alertFromYears` years is already an alerte. */
    alertFromIncluded: z.boolean({ error: expected('true ou false attendu') }),
    /** Exactly `maxYears` years is still allowed (an alerte), not a bloquant. */
    maxIncluded: z.boolean({ error: expected('true ou false attendu') }),
  })
  .partial();

/** Weekly time split of an ASR (elig.quotite_asr). */
const timeSplitAsrSchema = z
  .strictObject({ chuMinPercent: percent, chuMaxPercent: percent, chMinPercent: percent, totalPercent: percent })
  .partial();

/** Time split of an ASAP (elig.quotite_asap). */
const timeSplitAsapSchema = z.strictObject({ ambulatoryMinPercent: percent, totalPercent: percent }).partial();

/**
 * The call's parameters. Dates change with every session and have no default; the thresholds
 * left out take the values of the programme's seed (src/rules/session-parameters.ts, docs/regles.md).
 */
const sessionSchema = z
  .strictObject({
    closingDate: calendarDate,
    startDates: z.array(calendarDate, { error: expected('liste de dates AAAA-MM-JJ attendue') }).default([]),
    durationsYears: z
      .array(z.number().int('nombre entier d’années attendu').min(1, 'au moins 1 an').max(10, 'au plus 10 ans'), {
        error: 'liste de durées en années attendue, par exemple [1, 2]',
      })
      .optional(),
    zones: zonesSchema.partial().optional(),
    requiredDes: z
      .array(z.string().trim().min(1, 'spécialité vide'), {
        error: expected('liste de spécialités de DES attendue, par exemple [médecine générale]'),
      })
      .min(1, 'au moins une spécialité attendue')
      .optional(),
    postInternship: postInternshipSchema.optional(),
    timeSplitAsr: timeSplitAsrSchema.optional(),
    timeSplitAsap: timeSplitAsapSchema.optional(),
    monthlyAmountEur: positiveAmount.optional(),
    months: z.number().int('nombre entier de mois attendu').positive('au moins 1 mois').optional(),
    envelopeEur: positiveAmount.optional(),
  })
  .superRefine((session, ctx) => {
    // Bounds given on their own are checked against the other bound's default.
    const defaults = SESSION_THRESHOLD_DEFAULTS;
    const post = {
      alertFromYears: session.postInternship?.alertFromYears ?? defaults.postInternship.alertFromYears,
      maxYears: session.postInternship?.maxYears ?? defaults.postInternship.maxYears,
    };
    if (post.alertFromYears > post.maxYears) {
      ctx.addIssue({
        code: 'custom',
        path: ['postInternship', 'alertFromYears'],
        message: `alertFromYears (${post.alertFromYears}) doit être inférieur ou égal à maxYears (${post.maxYears})`,
      });
    }
    const asr = {
      chuMinPercent: session.timeSplitAsr?.chuMinPercent ?? defaults.timeSplitAsr.chuMinPercent,
      chuMaxPercent: session.timeSplitAsr?.chuMaxPercent ?? defaults.timeSplitAsr.chuMaxPercent,
    };
    if (asr.chuMinPercent > asr.chuMaxPercent) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeSplitAsr', 'chuMinPercent'],
        message: `chuMinPercent (${asr.chuMinPercent}) doit être inférieur ou égal à chuMaxPercent (${asr.chuMaxPercent})`,
      });
    }
  });

const annotationsSchema = z.strictObject({
  synthese: champRefSchema.optional(),
  complet: champRefSchema.optional(),
  eligibilite: champRefSchema.optional(),
  dateControle: champRefSchema.optional(),
});

const instructionSchema = z.strictObject({
  enabled: z.boolean().default(false),
  messageIncomplets: z.boolean().default(false),
  disableNotification: z.boolean().default(false),
});

const decisionsSchema = z.strictObject({
  passerEnInstruction: z.boolean().default(true),
  disableNotification: z.boolean().default(false),
  justificatif: z.string().trim().min(1).nullable().default(null),
});

const semanticKey = z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, 'clé sémantique attendue, par exemple candidat.rpps');

export const demarcheSchema = z.strictObject({
  number: z
    .number({ error: expected('numéro de démarche attendu (nombre entier)') })
    .int('numéro de démarche entier attendu')
    .positive('numéro de démarche positif attendu'),
  programme: z.enum(PROGRAMME_IDS, { error: expected(`programme attendu parmi : ${PROGRAMME_IDS.join(', ')}`) }),
  libelle: z.string().trim().min(1).optional(),
  instructeurEmail: z.email('adresse e-mail invalide').optional(),
  session: sessionSchema,
  mapping: z.record(semanticKey, mappingEntrySchema).default({}),
  requiredPieces: z.array(semanticKey).optional(),
  pdfOnly: z.union([z.boolean(), z.array(semanticKey)], { error: expected('true, false ou liste de pièces attendu') }).optional(),
  annotations: annotationsSchema.default({}),
  instruction: instructionSchema.default({ enabled: false, messageIncomplets: false, disableNotification: false }),
  decisions: decisionsSchema.default({ passerEnInstruction: true, disableNotification: false, justificatif: null }),
});

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'nom de variable d’environnement attendu (pas sa valeur), par exemple DS_API_TOKEN');

export const configSchema = z.strictObject({
  instance: z
    .strictObject({
      endpoint: z.url({ protocol: /^https?$/, error: 'URL http(s) complète attendue' }).optional(),
      tokenEnv: envName.default('DS_API_TOKEN'),
      uiBaseUrl: z.url({ protocol: /^https?$/, error: 'URL http(s) complète attendue' }).optional(),
      instructeurEmail: z.email('adresse e-mail invalide').optional(),
    })
    .default({ tokenEnv: 'DS_API_TOKEN' }),
  sync: z
    .strictObject({
      files: z.boolean().default(false),
      origin: isoDateTime.optional(),
      labelsEveryHours: z.number().positive('durée en heures positive attendue').default(24),
    })
    .default({ files: false, labelsEveryHours: 24 }),
  demarches: z.array(demarcheSchema, { error: expected('liste de démarches attendue') }).min(1, 'au moins une démarche attendue'),
  mail: z
    .strictObject({
      smtp: z.strictObject({
        host: z.string().trim().min(1, 'hôte SMTP attendu'),
        port: z.number().int().min(1).max(65535, 'port entre 1 et 65535 attendu'),
        secure: z.boolean().default(false),
        user: z.string().optional(),
        passwordEnv: envName.optional(),
      }),
      from: z.email('adresse e-mail invalide'),
      to: z.array(z.email('adresse e-mail invalide')).min(1, 'au moins un destinataire attendu'),
      // No default here: the digest leaves the jury workbook out unless asked (personal data by
      // mail, RGPD); the decisions summary keeps attaching its result workbook unless told not to.
      attachWorkbook: z.boolean().optional(),
      /** Where the mail says the workbooks and jury packs are: a folder path or a share link. */
      filesLocation: z.string().trim().min(1, 'chemin ou lien attendu').optional(),
    })
    .optional(),
  worker: z
    .strictObject({
      schedule: z.string().trim().min(1).default(DEFAULT_SCHEDULE),
      timezone: z.string().trim().min(1).default(DEFAULT_TIMEZONE),
      annotate: z.boolean().default(false),
      // Renewed while work goes on: only a holder that stopped answering keeps it that long.
      leaseMinutes: z.number().int().positive('durée en minutes positive attendue').default(5),
      // A démarche busy elsewhere is retried within the night, every so often, until this long after the start.
      busyRetryMinutes: z.number().int().min(0, 'durée en minutes positive ou nulle attendue').default(120),
      busyRetryEverySeconds: z.number().int().positive('durée en secondes positive attendue').default(60),
    })
    .default({
      schedule: DEFAULT_SCHEDULE,
      timezone: DEFAULT_TIMEZONE,
      annotate: false,
      leaseMinutes: 5,
      busyRetryMinutes: 120,
      busyRetryEverySeconds: 60,
    }),
  output: z.strictObject({ dir: z.string().trim().min(1).default('./var/rapports') }).default({ dir: './var/rapports' }),
  // Safety rails (docs/garde-fous.md). The worker never confirms a mass change, whatever `confirmed` says.
  safety: z
    .strictObject({
      massChange: z
        .strictObject({
          percent: z.number().gt(0, 'pourcentage strictement positif attendu').max(100, 'pourcentage entre 0 et 100 attendu').default(20),
          minimum: z.number().int('nombre entier de dossiers attendu').min(1, 'au moins 1 dossier').default(10),
          confirmed: z.boolean().default(false),
        })
        .default({ percent: 20, minimum: 10, confirmed: false }),
    })
    .default({ massChange: { percent: 20, minimum: 10, confirmed: false } }),
});

export type Config = z.output<typeof configSchema>;
export type DemarcheConfig = Config['demarches'][number];
export type SessionConfig = DemarcheConfig['session'];
export type ChampRef = z.output<typeof champRefSchema>;
export type MappingEntry = z.output<typeof mappingEntrySchema>;
