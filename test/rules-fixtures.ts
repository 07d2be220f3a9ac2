// Builders for rule tests: a dossier node as DS returns it, mapped with descriptor id = semantic key.
import type { DemarcheConfig } from '../src/config/file.schema.ts';
import { type DossierNode, getDossierAnswer } from '../src/graphql/answers.ts';
import { buildCandidature, type Candidature } from '../src/rules/candidature.ts';
import { type RuleContext, ruleContextFor } from '../src/rules/context.ts';
import { evaluateCandidature } from '../src/rules/engine.ts';
import type { Finding } from '../src/rules/finding.ts';
import type { ChampDescriptorInfo } from '../src/rules/mapping/descriptors.ts';
import { resolveMapping } from '../src/rules/mapping/resolve-mapping.ts';
import type { ProgrammeId } from '../src/domain/programmes/types.ts';
import { uncheckedLine, uncheckedRules } from '../src/rules/unchecked.ts';

export interface ChampInput {
  readonly node: Record<string, unknown>;
  readonly type: string;
  readonly label?: string;
  readonly required?: boolean;
}

const base = (typename: string, value: string | null) => ({
  __typename: typename,
  stringValue: value,
  updatedAt: '2025-04-01T10:00:00Z',
  prefilled: false,
});

export const text = (value: string | null, opts: Partial<ChampInput> = {}): ChampInput => ({
  type: 'Text',
  node: { ...base('TextChamp', value), textValue: value },
  ...opts,
});
export const date = (value: string | null, opts: Partial<ChampInput> = {}): ChampInput => ({
  type: 'Date',
  node: { ...base('DateChamp', value), date: value },
  ...opts,
});
export const checkbox = (checked: boolean, opts: Partial<ChampInput> = {}): ChampInput => ({
  type: 'Checkbox',
  node: { ...base('CheckboxChamp', checked ? 'true' : 'false'), checked },
  ...opts,
});
export const yesNo = (value: boolean | null, opts: Partial<ChampInput> = {}): ChampInput => ({
  type: 'YesNo',
  node: { ...base('YesNoChamp', value === null ? null : String(value)), yesNo: value },
  ...opts,
});
export const choice = (value: string | null, opts: Partial<ChampInput> = {}): ChampInput => ({
  type: 'DropDownList',
  node: { ...base('DropDownListChamp', value), choice: value },
  ...opts,
});
export const multi = (values: string[], opts: Partial<ChampInput> = {}): ChampInput => ({
  type: 'MultipleDropDownList',
  node: { ...base('MultipleDropDownListChamp', values.join(', ')), values },
  ...opts,
});
export const integer = (value: string | null, opts: Partial<ChampInput> = {}): ChampInput => ({
  type: 'IntegerNumber',
  node: { ...base('IntegerNumberChamp', value), integerValue: value },
  ...opts,
});
export const decimal = (value: number | null, opts: Partial<ChampInput> = {}): ChampInput => ({
  type: 'DecimalNumber',
  node: { ...base('DecimalNumberChamp', value === null ? null : String(value)), decimalValue: value },
  ...opts,
});
export const siretChamp = (siret: string | null, opts: Partial<ChampInput> = {}): ChampInput => ({
  type: 'Siret',
  node: { ...base('SiretChamp', siret), etablissement: siret === null ? null : { siret, entreprise: null } },
  ...opts,
});

export const pdf = (filename = 'piece.pdf') => ({
  filename,
  contentType: 'application/pdf',
  checksum: 'x',
  byteSizeBigInt: '1234',
  url: 'https://example.invalid/f',
  createdAt: '2025-04-01T10:00:00Z',
});
export const file = (filename: string, contentType: string) => ({ ...pdf(filename), contentType });
export const piece = (files: ReturnType<typeof pdf>[], opts: Partial<ChampInput> = {}): ChampInput => ({
  type: 'PieceJustificative',
  node: { ...base('PieceJustificativeChamp', null), files },
  ...opts,
});

export const HIDDEN = Symbol('hidden by a condition');
export type Champs = Record<string, ChampInput | typeof HIDDEN>;

export interface DossierOptions {
  number?: number;
  state?: string;
  dateDepot?: string;
  demarche?: number;
  /**
   * Build from the node as is, without the boundary schema: a value sync would refuse (a deposit
   * date that is no date), to test a rule's guard for what the types still allow.
   */
  unvalidated?: boolean;
}

export function dossierNode(champs: Champs, opts: DossierOptions = {}) {
  return {
    __typename: 'Dossier',
    id: `RG9zc2llci0${opts.number ?? 1}`,
    number: opts.number ?? 1,
    state: opts.state ?? 'en_construction',
    archived: false,
    dateDepot: opts.dateDepot ?? '2025-04-01T10:00:00+02:00',
    datePassageEnConstruction: '2025-04-01T10:00:00+02:00',
    dateDerniereModification: '2025-04-02T10:00:00+02:00',
    demarche: { number: opts.demarche ?? 12345, revision: { id: 'rev' } },
    groupeInstructeur: { id: 'g', number: 1, label: 'défaut' },
    usager: { id: 'u', email: 'depot@univ.example' },
    dateDerniereModificationChamps: '2025-04-02T10:00:00+02:00',
    dateDerniereModificationAnnotations: '2025-04-02T10:00:00+02:00',
    datePassageEnInstruction: null,
    dateTraitement: null,
    dateExpiration: null,
    motivation: null,
    demandeur: { __typename: 'PersonneMorale', id: 'pm', siret: '73282932000074', entreprise: { raisonSociale: 'Université' } },
    labels: [],
    traitements: [],
    messages: [],
    annotations: [],
    champs: Object.entries(champs)
      .filter((entry): entry is [string, ChampInput] => entry[1] !== HIDDEN)
      .map(([key, c]) => ({ ...c.node, id: `champ-${key}`, champDescriptorId: key, label: c.label ?? `Libellé ${key}` })),
  };
}

/** One champ of a repetition row: the leaf's node under the child descriptor's id, suffixed by its row. */
export function rowChamp(descriptorId: string, label: string, c: ChampInput, row: number) {
  return { ...c.node, id: `champ-${descriptorId}-${row}`, champDescriptorId: descriptorId, label };
}

/** A DS repetition champ (RepetitionChamp) whose rows hold the given champs, in this order. */
export function repetitionChamp(descriptorId: string, label: string, rows: ReadonlyArray<ReadonlyArray<ReturnType<typeof rowChamp>>>) {
  return {
    __typename: 'RepetitionChamp',
    id: `champ-${descriptorId}`,
    champDescriptorId: descriptorId,
    label,
    stringValue: null,
    updatedAt: '2025-04-02T10:00:00+02:00',
    prefilled: false,
    rows: rows.map((champs, i) => ({ id: `row-${i}`, champs })),
  } as never;
}

/**
 * A node as the mirror stores it: validated by the boundary schema sync uses (graphql/answers.ts),
 * so a fixture DS could not send fails here instead of reaching the rules.
 */
export function storedNode(node: unknown): DossierNode {
  return getDossierAnswer.parse({ dossier: node }).dossier;
}

export function descriptorsOf(champs: Champs): ChampDescriptorInfo[] {
  return Object.entries(champs).map(([key, c]) =>
    c === HIDDEN
      ? { id: key, label: `Libellé ${key}`, type: 'Text', required: true }
      : { id: key, label: c.label ?? `Libellé ${key}`, type: c.type, required: c.required ?? false },
  );
}

export const SESSIONS: Record<ProgrammeId, DemarcheConfig['session']> = {
  aumg: { closingDate: '2025-04-30', startDates: ['2025-11-01'], durationsYears: [2] },
  asp: { closingDate: '2019-03-20', startDates: ['2019-11-02'], durationsYears: [2] },
  mgvh: { closingDate: '2020-03-13', startDates: ['2020-11-02'], durationsYears: [2] },
  asr: { closingDate: '2026-02-15', startDates: ['2026-05-04', '2026-11-02', '2027-05-02'], durationsYears: [1, 2] },
  asap: { closingDate: '2025-02-14', startDates: ['2025-11-02', '2026-05-04'], durationsYears: [1, 2] },
};

export function contextFor(
  programme: ProgrammeId,
  overrides: Partial<Pick<DemarcheConfig, 'session' | 'requiredPieces' | 'pdfOnly'>> = {},
): RuleContext {
  return ruleContextFor({ programme, session: SESSIONS[programme], ...overrides });
}

/** A deposit date inside each session, so only delai tests see late dossiers. */
export const ON_TIME: Record<ProgrammeId, string> = {
  aumg: '2025-04-01T10:00:00+02:00',
  asp: '2019-03-01T10:00:00+01:00',
  mgvh: '2020-03-01T10:00:00+01:00',
  asr: '2026-02-01T10:00:00+01:00',
  asap: '2025-02-01T10:00:00+01:00',
};

export function candidatureOf(programme: ProgrammeId, champs: Champs, opts: DossierOptions = {}): Candidature {
  opts = { dateDepot: ON_TIME[programme], ...opts };
  const mapping = Object.fromEntries(Object.keys(champs).map((k) => [k, k]));
  const { mapping: resolved, problems } = resolveMapping(mapping, descriptorsOf(champs));
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('\n'));
  const node = dossierNode(champs, opts);
  return buildCandidature(opts.unvalidated ? (node as unknown as DossierNode) : storedNode(node), { programme }, resolved);
}

/** Findings of one rule for a dossier made of `champs`. */
export function findingsOf(
  ruleId: string,
  programme: ProgrammeId,
  champs: Champs,
  opts: DossierOptions & { ctx?: RuleContext } = {},
): Finding[] {
  const ctx = opts.ctx ?? contextFor(programme);
  return evaluateCandidature(candidatureOf(programme, champs, opts), ctx).filter((f) => f.ruleId === ruleId);
}

/**
 * « Contrôles non effectués » lines of one rule for a démarche whose mapping holds exactly the
 * keys of `champs` (what check, the Synthèse sheet and the digest report once per démarche).
 */
export function uncheckedOf(ruleId: string, programme: ProgrammeId, champs: Champs, ctx: RuleContext = contextFor(programme)): string[] {
  return uncheckedRules(ctx, (key) => key in champs)
    .filter((u) => u.ruleId === ruleId)
    .map(uncheckedLine);
}

export const severities = (findings: readonly Finding[]) => findings.map((f) => f.severity);

/** A complete, eligible AUMG dossier: every rule passes. */
export function validAumg(): Champs {
  return {
    'universite.nom': text('Université Paris Cité'),
    'structure.nom': text('Centre de santé des Lilas'),
    'structure.zone': choice('ZIP'),
    'candidat.nom': text('Dupont'),
    'candidat.prenom': text('Jeanne'),
    'candidat.date_naissance': date('1992-03-14'),
    'candidat.rpps': text('10001234565'),
    'candidat.specialite_des': choice('Médecine générale'),
    'candidat.date_fin_internat': date('2023-10-31'),
    'piece.presentation_dumg': piece([pdf('dumg.pdf')]),
    'piece.presentation_structure': piece([pdf('structure.pdf')]),
    'piece.lettre_engagement': piece([pdf('engagement.pdf')]),
    'piece.projet': piece([pdf('projet.pdf')]),
    'piece.cv': piece([pdf('cv.pdf')]),
    'piece.lettre_motivation': piece([pdf('lettre.pdf')]),
  };
}

const ASR_AVIS = [
  'chef_service_chu',
  'chef_service_ch',
  'coordonnateur',
  'directeur_chu',
  'directeur_ch',
  'president_cme_chu',
  'president_cme_ch',
];

/** A complete, eligible ASR dossier (two-year post starting 2 November 2026). */
export function validAsr(): Champs {
  return {
    'candidat.nom': text('Martin'),
    'candidat.prenom': text('Paul'),
    'candidat.date_naissance': date('1994-06-01'),
    'candidat.specialite_des': choice('Cardiologie'),
    'etablissement.nom': text('CH de Dieppe'),
    'poste.date_prise_fonction': choice('Novembre 2026'),
    'poste.duree_annees': choice('2 ans'),
    'candidat.date_des': date('2026-10-15'),
    'candidat.date_these': date('2026-09-20'),
    'quotite.chu.annee1': integer('40'),
    'quotite.ch.annee1': integer('60'),
    'quotite.chu.annee2': text('20 %'),
    'quotite.ch.annee2': text('80 %'),
    'rgpd.consentement': checkbox(true),
    'piece.fiche_candidat': piece([pdf('fiche.pdf')]),
    'piece.lettre_motivation': piece([pdf('lettre.pdf')]),
    'piece.parcours': piece([pdf('parcours.pdf')]),
    'piece.projet': piece([pdf('projet.pdf')]),
    'candidat.rpps': text('10123456781'),
    ...Object.fromEntries(ASR_AVIS.map((a) => [`avis.${a}`, piece([pdf(`avis-${a}.pdf`)])])),
  };
}

const ASAP_AVIS = [
  'coordonnateur',
  'chef_service_ambulatoire',
  'chef_service_hospitalier',
  'directeur_ambulatoire',
  'directeur_hospitalier',
];

/** A complete, eligible ASAP dossier. */
export function validAsap(): Champs {
  return {
    'candidat.nom': text('Bernard'),
    'candidat.prenom': text('Lucie'),
    specialite: choice('Dermatologie'),
    subdivision: choice('Rouen'),
    'poste.date_prise_fonction': choice('Novembre 2025'),
    'candidat.these_soutenue': yesNo(true),
    'etablissement.nom': text('CHU de Rouen'),
    'structure.nom': text('MSP du Tréport'),
    'structure.zone_prioritaire': yesNo(true),
    'quotite.hospitalier.annee1': decimal(50),
    'quotite.ambulatoire.annee1': decimal(50),
    'rgpd.consentement': checkbox(true),
    'piece.lettre_motivation': piece([pdf()]),
    'piece.cv': piece([pdf()]),
    'piece.dossier_candidature': piece([pdf()]),
    'piece.diplomes': piece([pdf('diplomes.pdf')]),
    'candidat.rpps': text('10123456781'),
    ...Object.fromEntries(ASAP_AVIS.map((a) => [`avis.${a}`, piece([pdf()])])),
  };
}

/** A complete MGVH dossier. */
export function validMgvh(): Champs {
  return {
    'etablissement.nom': text('CH de Gonesse'),
    'structure.nom': text('Cabinet médical du centre'),
    'structure.siret': siretChamp('73282932000074'),
    'candidat.nom': text('Durand'),
    'candidat.prenom': text('Marc'),
    'candidat.date_naissance': date('1990-01-01'),
    'candidat.rpps': text('10001234565'),
    'piece.cv': piece([pdf()]),
    'piece.lettre_motivation': piece([pdf()]),
    'piece.lettre_engagement': piece([pdf()]),
    'piece.attestation_ordre': piece([pdf()]),
  };
}

/** A complete ASP dossier. */
export function validAsp(): Champs {
  return {
    'etablissement.nom': text('Hôpital Avicenne'),
    'etablissement.finess': text('930780127'),
    'structure.nom': text('Hôpital Jean-Verdier'),
    specialite: choice('Pneumologie'),
    'candidat.nom': text('Petit'),
    'candidat.prenom': text('Anne'),
    'candidat.date_naissance': date('1991-05-05'),
    'candidat.rpps': text('10001234565'),
    'piece.cv': piece([pdf()]),
    'piece.lettre_motivation': piece([pdf()]),
  };
}
