/**
 * Expected verdict of each scenario dossier, written from the specification (PROGRAMMES.md and the
 * seeds), never computed with the engine's formula: the simulator is the rules engine's oracle.
 * Each line cites the clause it tests; a change of an expected verdict cites its clause in the commit.
 */
import type { ExpectedVerdict, ProgrammeId } from './model.ts';
import { FINESS_PROGRAMMES, PDF_PROGRAMMES } from './scenarios.ts';

export interface ExpectedVerdictRow {
  readonly scenario: string;
  readonly programmes: readonly ProgrammeId[] | 'all';
  /** The dossier has a live duplicate in its démarche (same RPPS or same nom, prénom, naissance). */
  readonly duplicate: boolean;
  readonly complet: boolean;
  readonly eligible: ExpectedVerdict['eligible'];
  /** Rules giving a bloquant or an alerte. */
  readonly rules: readonly string[];
  readonly clause: string;
}

const row = (
  scenario: string,
  programmes: ExpectedVerdictRow['programmes'],
  complet: boolean,
  eligible: ExpectedVerdict['eligible'],
  rules: readonly string[],
  clause: string,
  duplicate = false,
): ExpectedVerdictRow => ({ scenario, programmes, duplicate, complet, eligible, rules, clause });

const ASR_ASAP: ProgrammeId[] = ['asr', 'asap'];
const SPEC = 'PROGRAMMES.md';

export const EXPECTED_VERDICTS: readonly ExpectedVerdictRow[] = [
  row('valide', 'all', true, 'oui', [], `${SPEC} Verdicts: no bloquant and no alerte ⇒ complet, éligible oui`),
  row(
    'valide',
    'all',
    true,
    'a_verifier',
    ['doublon.candidat'],
    `${SPEC} doublon.candidat (alerte), seed 002 « Un dossier par candidat »`,
    true,
  ),
  row(
    'depot_limite_23h59',
    'all',
    true,
    'oui',
    [],
    `${SPEC} Deposit deadline: Paris calendar date ≤ closing date, inclusive (seed 000 « inclus »)`,
  ),
  row(
    'depot_hors_delai_00h10',
    'all',
    true,
    'non',
    ['delai.depot'],
    `${SPEC} Deposit deadline: 00:10 Paris on the next day is late; seed 002 « déposé hors-délai ne sera pas traité »`,
  ),
  row(
    'champ_requis_manquant',
    'all',
    false,
    'non',
    ['complet.champ_requis'],
    `${SPEC} complet.champ_requis (bloquant): DS's required flag`,
  ),
  row('piece_requise_manquante', 'all', false, 'non', ['complet.piece_requise'], `${SPEC} complet.piece_requise (bloquant)`),
  row('rpps_cle_invalide', 'all', true, 'a_verifier', ['id.rpps'], `${SPEC} RPPS: 11 digits with a bad key → alerte`),
  row(
    'rpps_absent_date_prevue',
    'all',
    true,
    'oui',
    [],
    `${SPEC} RPPS: absent → a planned registration date strictly before the start date`,
  ),
  row('rpps_absent_date_tardive', 'all', true, 'non', ['id.rpps'], `${SPEC} RPPS: planned date not before the start date → bloquant`),
  row('rpps_mal_forme', 'all', true, 'non', ['id.rpps'], `${SPEC} RPPS: malformed and no planned date → bloquant`),
  row(
    'rpps_requis_vide',
    'all',
    false,
    'non',
    ['complet.champ_requis', 'id.rpps'],
    `${SPEC} complet.champ_requis and RPPS: neither number nor date → bloquant`,
  ),
  row('doublon_rpps', 'all', true, 'a_verifier', ['doublon.candidat'], `${SPEC} Duplicates: same RPPS among live dossiers → alerte`, true),
  row('doublon_rpps', 'all', true, 'oui', [], `${SPEC} Duplicates: only live dossiers count`),
  row(
    'doublon_nom',
    'all',
    true,
    'a_verifier',
    ['doublon.candidat'],
    `${SPEC} Duplicates: same nom + prénom + naissance after normalisation → alerte`,
    true,
  ),
  row('doublon_nom', 'all', true, 'oui', [], `${SPEC} Duplicates: only live dossiers count`),
  row('piece_non_pdf', PDF_PROGRAMMES, false, 'non', ['complet.piece_pdf'], `${SPEC} complet.piece_pdf; seed 000 « UNIQUEMENT PDF »`),
  row(
    'piece_pdf_type_incoherent',
    PDF_PROGRAMMES,
    false,
    'non',
    ['complet.piece_pdf'],
    `${SPEC} Pieces: content type application/pdf and .pdf extension`,
  ),
  row('piece_pdf_extension_majuscules', PDF_PROGRAMMES, true, 'oui', [], `${SPEC} Pieces: a .pdf extension in any case`),
  row(
    'piece_plusieurs_fichiers_dont_jpg',
    PDF_PROGRAMMES,
    false,
    'non',
    ['complet.piece_pdf'],
    `${SPEC} Pieces: every file of a champ counts`,
  ),
  row(
    'finess_cle_invalide',
    FINESS_PROGRAMMES,
    true,
    'a_verifier',
    ['id.finess'],
    `${SPEC} id.finess: Luhn key mismatch → alerte, where a FINESS champ exists`,
  ),
  row(
    'finess_mal_forme',
    FINESS_PROGRAMMES,
    true,
    'non',
    ['id.finess'],
    `${SPEC} id.finess: not 9 characters → bloquant; seed 000 « composé de 9 chiffres »`,
  ),
  row(
    'des_autre_specialite',
    ['aumg'],
    true,
    'non',
    ['elig.des_mg'],
    `${SPEC} elig.des_mg; seed 002 « diplômé du DES de Médecine Générale »`,
  ),
  row(
    'post_internat_4_ans_exactement',
    ['aumg'],
    true,
    'a_verifier',
    ['elig.post_internat'],
    `${SPEC} End of internship: between 4 and 5 years, both ends included → alerte`,
  ),
  row(
    'post_internat_5_ans_exactement',
    ['aumg'],
    true,
    'a_verifier',
    ['elig.post_internat'],
    `${SPEC} End of internship: between 4 and 5 years, both ends included → alerte`,
  ),
  row(
    'post_internat_plus_de_5_ans',
    ['aumg'],
    true,
    'non',
    ['elig.post_internat'],
    `${SPEC} End of internship: more than 5 years before the start → bloquant`,
  ),
  row('zone_hors_zonage', ['aumg'], true, 'non', ['elig.zone'], `${SPEC} elig.zone: ZIP, ZIP+, ZAC or QPV (seed 002 volet 2)`),
  row('siret_cle_invalide', ['mgvh'], true, 'non', ['id.siret'], `${SPEC} id.siret: valid Luhn key → else bloquant`),
  row('siret_la_poste', ['mgvh'], true, 'oui', [], `${SPEC} id.siret: La Poste SIRET rule (digit sum multiple of 5)`),
  row('siren_seul_valide', ['mgvh'], true, 'oui', [], `${SPEC} id.siret: 14 (SIRET) or 9 (SIREN) digits`),
  row(
    'these_apres_prise_de_fonction',
    ['asr'],
    true,
    'non',
    ['elig.these_des_avant_prise'],
    'seed 003 « le DES et la thèse aient été validés à la date d’entrée en fonction »',
  ),
  row(
    'these_prevue_avant_prise_de_fonction',
    ASR_ASAP,
    true,
    'oui',
    [],
    `seed 003: planned soutenance before the start date is accepted; seed 004: diplomas only if the thesis is passed`,
  ),
  row(
    'des_apres_prise_de_fonction',
    ['asr'],
    true,
    'non',
    ['elig.these_des_avant_prise'],
    'seed 003 « le DES et la thèse aient été validés à la date d’entrée en fonction »',
  ),
  row('quotite_chu_20', ['asr'], true, 'oui', [], `${SPEC} ASR time split: CHU at least 20 % (one day), boundary included`),
  row('quotite_chu_40_ch_60', ['asr'], true, 'oui', [], `${SPEC} ASR time split: CHU at most 40 %, CH at least 60 %, boundaries included`),
  row('quotite_chu_insuffisante', ['asr'], true, 'non', ['elig.quotite_asr'], `${SPEC} elig.quotite_asr: CHU below 20 % → bloquant`),
  row('quotite_somme_differente_de_100', ['asr'], true, 'non', ['elig.quotite_asr'], `${SPEC} elig.quotite_asr: sum 100 %`),
  row(
    'quotite_annee_2_invalide',
    ['asr'],
    true,
    'non',
    ['elig.quotite_asr'],
    `${SPEC} Time splits: checked for each year of the chosen duration`,
  ),
  row('poste_un_an_annee_2_masquee', ['asr'], true, 'oui', [], `${SPEC} Time splits: no year 2 for a one-year post`),
  row(
    'quotites_annee_2_listee_en_premier',
    ['asr'],
    true,
    'non',
    ['elig.quotite_asr'],
    `${SPEC} Time split per week, per year: CHU at least 20 % — year 1 (CHU 10 %) is the row whose « Année » says year 1, though listed after year 2 (issue #16 § 3)`,
  ),
  row(
    'quotites_deux_lignes_annee_2',
    ['asr'],
    true,
    'a_verifier',
    ['elig.quotite_asr'],
    `${SPEC} Rules: « it never guesses and never passes silently » — two rows say year 2, neither is read: alerte (issue #16 § 3)`,
  ),
  row(
    'date_prise_hors_session',
    ASR_ASAP,
    true,
    'non',
    ['elig.session'],
    `${SPEC} elig.session: start date is one of the session's dates (seeds 003, 004)`,
  ),
  row(
    'quotite_ambulatoire_50',
    ['asap'],
    true,
    'oui',
    [],
    `${SPEC} elig.quotite_asap: ambulatory ≥ 50 %, boundary included (seed 004 « 50% minimum »)`,
  ),
  row(
    'quotite_ambulatoire_insuffisante',
    ['asap'],
    true,
    'non',
    ['elig.quotite_asap'],
    `${SPEC} elig.quotite_asap: ambulatory below 50 % → bloquant`,
  ),
  row('quotite_asap_somme_differente_de_100', ['asap'], true, 'non', ['elig.quotite_asap'], `${SPEC} elig.quotite_asap: sum 100 %`),
  row('hors_zone_prioritaire_justifie', ['asap'], true, 'oui', [], `${SPEC} elig.zone_justifiee: justification present`),
  row(
    'hors_zone_prioritaire_sans_justification',
    ['asap'],
    true,
    'a_verifier',
    ['elig.zone_justifiee'],
    `${SPEC} elig.zone_justifiee (alerte); seed 004 « devra justifier le choix »`,
  ),
  row(
    'these_soutenue_sans_diplomes',
    ['asap'],
    true,
    'non',
    ['elig.diplomes_si_these'],
    `${SPEC} elig.diplomes_si_these (bloquant, not a completeness rule); seed 004 « si vous avez déjà passé votre thèse »`,
  ),
  row('piece_non_pdf_autorisee', ASR_ASAP, true, 'oui', [], `${SPEC} complet.piece_pdf applies to ASP, MGVH, AUMG only`),
  row(
    'avis_manquant',
    ASR_ASAP,
    false,
    'non',
    ['avis.complets'],
    `${SPEC} Avis: a missing required avis → bloquant; avis.complets is a completeness rule`,
  ),
  row(
    'avis_favorable_avec_reserves',
    ASR_ASAP,
    true,
    'a_verifier',
    ['avis.complets'],
    `${SPEC} Avis: « Favorable avec réserves » → alerte`,
  ),
  row('avis_defavorable', ASR_ASAP, true, 'a_verifier', ['avis.complets'], `${SPEC} Avis: « Défavorable » → alerte`),
  row(
    'consentement_non_coche',
    ASR_ASAP,
    false,
    'non',
    ['rgpd.consentement'],
    `${SPEC} rgpd.consentement is a completeness rule (seed 003 annexe 12)`,
  ),
];

/** The table's line for a scenario dossier; a missing line is an error, never a guess. */
export function expectedVerdictRow(scenario: string, programme: ProgrammeId, duplicate: boolean): ExpectedVerdictRow {
  const found = EXPECTED_VERDICTS.find(
    (r) => r.scenario === scenario && r.duplicate === duplicate && (r.programmes === 'all' || r.programmes.includes(programme)),
  );
  if (!found) throw new Error(`expected-verdicts.table.ts: no line for scenario ${scenario} (${programme}, duplicate: ${duplicate})`);
  return found;
}

export function expectedVerdictOf(scenario: string, programme: ProgrammeId, duplicate: boolean): ExpectedVerdict {
  const r = expectedVerdictRow(scenario, programme, duplicate);
  return { scenario, complet: r.complet, eligible: r.eligible, rules: [...r.rules].sort() };
}
