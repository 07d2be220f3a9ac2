/**
 * Scenarios: each seeded dossier follows one, so that every rule of the PROGRAMMES.md catalogue
 * is exercised (valid, invalid, boundary, missing). Expected verdicts are in
 * expected-verdicts.table.ts, written from the specification.
 */
import type { FileSpec, Identity, ProgrammeId, RowValue, Values } from './model.ts';
import type { FormVariant, ProgrammeDef } from './programmes.ts';
import { addDays, addYears } from './time.ts';
import { breakKey, siren, siretLaPoste } from './identifiers.ts';
import type { Rng } from './prng.ts';

export interface ScenarioContext {
  def: ProgrammeDef;
  rng: Rng;
  start: string;
  identity: Identity;
}

export interface Scenario {
  id: string;
  programmes: ProgrammeId[] | 'all';
  apply?: (values: Values, ctx: ScenarioContext) => void;
  deposit?: 'last_minute' | 'late';
  duplicateOf?: 'rpps' | 'nom';
  /** Only in the démarches of this form variant (programmes.ts VARIANTS). */
  variant?: FormVariant;
}

export const PDF_PROGRAMMES: ProgrammeId[] = ['aumg', 'asp', 'mgvh'];
// PROGRAMMES.md id.finess: « ASP (+ where a FINESS champ exists) »; the ASR form has one too.
export const FINESS_PROGRAMMES: ProgrammeId[] = ['asp', 'mgvh', 'asr'];

const file = (filename: string, contentType: string): FileSpec => ({ filename, contentType });

export const SCENARIOS: Scenario[] = [
  { id: 'valide', programmes: 'all' },
  { id: 'depot_limite_23h59', programmes: 'all', deposit: 'last_minute' },
  { id: 'depot_hors_delai_00h10', programmes: 'all', deposit: 'late' },
  {
    id: 'champ_requis_manquant',
    programmes: 'all',
    apply: (v) => {
      v['telephone'] = null;
    },
  },
  {
    id: 'piece_requise_manquante',
    programmes: 'all',
    apply: (v) => {
      v['lettre_motivation'] = [];
    },
  },
  {
    id: 'rpps_cle_invalide',
    programmes: 'all',
    apply: (v) => {
      v['rpps'] = breakKey(String(v['rpps']));
    },
  },
  {
    id: 'rpps_absent_date_prevue',
    programmes: 'all',
    apply: (v, c) => {
      v['inscrit_ordre'] = false;
      v['rpps'] = undefined; // hidden by the condition, so never required
      v['date_ordre'] = addDays(c.start, -45);
    },
  },
  {
    id: 'rpps_absent_date_tardive',
    programmes: 'all',
    apply: (v, c) => {
      v['inscrit_ordre'] = false;
      v['rpps'] = undefined;
      v['date_ordre'] = addDays(c.start, 30);
    },
  },
  {
    id: 'rpps_mal_forme',
    programmes: 'all',
    apply: (v) => {
      v['rpps'] = String(v['rpps']).slice(0, 8);
    },
  },
  {
    id: 'rpps_requis_vide',
    programmes: 'all',
    apply: (v) => {
      v['rpps'] = null;
    },
  },
  { id: 'doublon_rpps', programmes: 'all', duplicateOf: 'rpps' },
  { id: 'doublon_nom', programmes: 'all', duplicateOf: 'nom' },
  // PDF-only programmes
  {
    id: 'piece_non_pdf',
    programmes: PDF_PROGRAMMES,
    apply: (v, c) => {
      v['lettre_motivation'] = [
        file(`Lettre_motivation_${c.identity.nom}.docx`, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'),
      ];
    },
  },
  {
    id: 'piece_pdf_type_incoherent',
    programmes: PDF_PROGRAMMES,
    apply: (v) => {
      v['cv'] = [file('CV.pdf', 'image/jpeg')];
    },
  },
  {
    id: 'piece_pdf_extension_majuscules',
    programmes: PDF_PROGRAMMES,
    apply: (v) => {
      v['cv'] = [file('CV_SCAN.PDF', 'application/pdf')];
    },
  },
  {
    id: 'piece_plusieurs_fichiers_dont_jpg',
    programmes: PDF_PROGRAMMES,
    apply: (v) => {
      v['cv'] = [file('CV_page1.pdf', 'application/pdf'), file('CV_page2.jpg', 'image/jpeg')];
    },
  },
  // FINESS
  {
    id: 'finess_cle_invalide',
    programmes: FINESS_PROGRAMMES,
    apply: (v) => {
      v['finess'] = breakKey(String(v['finess']));
    },
  },
  {
    id: 'finess_mal_forme',
    programmes: FINESS_PROGRAMMES,
    apply: (v) => {
      v['finess'] = String(v['finess']).slice(0, 8);
    },
  },
  // AUMG
  {
    id: 'des_autre_specialite',
    programmes: ['aumg'],
    apply: (v) => {
      v['specialite'] = 'Pédiatrie';
    },
  },
  {
    id: 'post_internat_4_ans_exactement',
    programmes: ['aumg'],
    apply: (v, c) => {
      v['fin_internat'] = addYears(c.start, -4);
    },
  },
  {
    id: 'post_internat_5_ans_exactement',
    programmes: ['aumg'],
    apply: (v, c) => {
      v['fin_internat'] = addYears(c.start, -5);
    },
  },
  {
    id: 'post_internat_plus_de_5_ans',
    programmes: ['aumg'],
    apply: (v, c) => {
      v['fin_internat'] = addDays(addYears(c.start, -5), -1);
    },
  },
  {
    id: 'zone_hors_zonage',
    programmes: ['aumg'],
    apply: (v) => {
      v['zone'] = 'Hors zonage';
    },
  },
  // MGVH: SIRET typed as text
  {
    id: 'siret_cle_invalide',
    programmes: ['mgvh'],
    apply: (v) => {
      v['structure_siret'] = breakKey(String(v['structure_siret']));
    },
  },
  {
    id: 'siret_la_poste',
    programmes: ['mgvh'],
    apply: (v, c) => {
      v['structure_siret'] = siretLaPoste(c.rng);
    },
  },
  {
    id: 'siren_seul_valide',
    programmes: ['mgvh'],
    apply: (v, c) => {
      v['structure_siret'] = siren(c.rng);
    },
  },
  // ASR
  {
    id: 'these_apres_prise_de_fonction',
    programmes: ['asr'],
    apply: (v, c) => {
      v['these_soutenue'] = false;
      v['date_soutenance'] = addDays(c.start, 20);
    },
  },
  {
    id: 'these_prevue_avant_prise_de_fonction',
    programmes: ['asr', 'asap'],
    apply: (v, c) => {
      v['these_soutenue'] = false;
      v['date_soutenance'] = addDays(c.start, -30);
      if (c.def.id === 'asap') v['diplomes'] = [];
    },
  },
  {
    id: 'des_apres_prise_de_fonction',
    programmes: ['asr'],
    apply: (v, c) => {
      v['date_des'] = addDays(c.start, 60);
    },
  },
  {
    id: 'quotite_chu_20',
    programmes: ['asr'],
    apply: (v) => setAsrSplit(v, 20, 80),
  },
  {
    id: 'quotite_chu_40_ch_60',
    programmes: ['asr'],
    apply: (v) => setAsrSplit(v, 40, 60),
  },
  {
    id: 'quotite_chu_insuffisante',
    programmes: ['asr'],
    apply: (v) => setAsrSplit(v, 10, 90, 1),
  },
  {
    id: 'quotite_somme_differente_de_100',
    programmes: ['asr'],
    apply: (v) => setAsrSplit(v, 30, 60, 1),
  },
  {
    id: 'quotite_annee_2_invalide',
    programmes: ['asr'],
    apply: (v) => {
      v['duree'] = 2;
      v['quotite_chu_1'] = 30;
      v['quotite_ch_1'] = 70;
      v['quotite_chu_2'] = 50;
      v['quotite_ch_2'] = 50;
    },
  },
  {
    id: 'poste_un_an_annee_2_masquee',
    programmes: ['asr'],
    apply: (v) => setAsrSplit(v, 30, 70, 1),
  },
  {
    id: 'date_prise_hors_session',
    programmes: ['asr', 'asap'],
    // After the planned start, so DES and thesis dates stay before it (one rule at a time).
    apply: (v, c) => {
      v['date_prise'] = addDays(c.start, 45);
    },
  },
  // ASR form with one row per year (variant quotites_par_annee), rows as the candidate listed them.
  {
    id: 'quotites_annee_2_listee_en_premier',
    programmes: ['asr'],
    variant: 'quotites_par_annee',
    // Year 2 (valid) listed first, year 1 (CHU 10 %, below the 20 % minimum) second.
    apply: (v) => {
      v['duree'] = 2;
      v['quotites_par_annee'] = [yearRow('Deuxième année', 30, 70), yearRow('Première année', 10, 90)];
    },
  },
  {
    id: 'quotites_deux_lignes_annee_2',
    programmes: ['asr'],
    variant: 'quotites_par_annee',
    apply: (v) => {
      v['duree'] = 2;
      v['quotites_par_annee'] = [yearRow('Première année', 30, 70), yearRow('Deuxième année', 30, 70), yearRow('Deuxième année', 40, 60)];
    },
  },
  // ASAP
  {
    id: 'quotite_ambulatoire_50',
    programmes: ['asap'],
    apply: (v) => {
      v['quotite_ambulatoire'] = 50;
      v['quotite_hospitaliere'] = 50;
    },
  },
  {
    id: 'quotite_ambulatoire_insuffisante',
    programmes: ['asap'],
    apply: (v) => {
      v['quotite_ambulatoire'] = 40;
      v['quotite_hospitaliere'] = 60;
    },
  },
  {
    id: 'quotite_asap_somme_differente_de_100',
    programmes: ['asap'],
    apply: (v) => {
      v['quotite_ambulatoire'] = 60;
      v['quotite_hospitaliere'] = 30;
    },
  },
  {
    id: 'hors_zone_prioritaire_justifie',
    programmes: ['asap'],
    apply: (v) => {
      v['zone_prioritaire'] = false;
      v['justification_zone'] =
        'La structure accueille une consultation avancée unique sur le territoire ; le coordonnateur soutient ce choix.';
    },
  },
  {
    id: 'hors_zone_prioritaire_sans_justification',
    programmes: ['asap'],
    apply: (v) => {
      v['zone_prioritaire'] = false;
      v['justification_zone'] = null;
    },
  },
  {
    id: 'these_soutenue_sans_diplomes',
    programmes: ['asap'],
    apply: (v) => {
      v['these_soutenue'] = true;
      v['diplomes'] = [];
    },
  },
  {
    id: 'piece_non_pdf_autorisee',
    programmes: ['asr', 'asap'],
    apply: (v) => {
      v['lettre_motivation'] = [file('lettre_motivation.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')];
    },
  },
  // Avis and consent (ASR, ASAP)
  {
    id: 'avis_manquant',
    programmes: ['asr', 'asap'],
    apply: (v) => {
      v['avis_coordonnateur'] = [];
      v['avis_coordonnateur_sens'] = null;
    },
  },
  {
    id: 'avis_favorable_avec_reserves',
    programmes: ['asr', 'asap'],
    apply: (v, c) => {
      v[`${c.def.avis[1] ?? 'avis_coordonnateur'}_sens`] = 'Favorable avec réserves';
    },
  },
  {
    id: 'avis_defavorable',
    programmes: ['asr', 'asap'],
    apply: (v, c) => {
      v[`${c.def.avis[2] ?? 'avis_coordonnateur'}_sens`] = 'Défavorable';
    },
  },
  {
    id: 'consentement_non_coche',
    programmes: ['asr', 'asap'],
    apply: (v) => {
      v['consentement'] = false;
    },
  },
];

function setAsrSplit(v: Values, chu: number, ch: number, duree?: number): void {
  if (duree !== undefined) v['duree'] = duree;
  v['quotite_chu_1'] = chu;
  v['quotite_ch_1'] = ch;
  if (v['duree'] === 2) {
    v['quotite_chu_2'] = chu;
    v['quotite_ch_2'] = ch;
  } else {
    v['quotite_chu_2'] = undefined;
    v['quotite_ch_2'] = undefined;
  }
}

/** One row of the per-year time split block (variant quotites_par_annee). */
export function yearRow(annee: string, chu: number, ch: number): RowValue {
  return { annee, chu, ch };
}

/** Scenarios of a programme's démarche; a variant's démarche has its variant's scenarios too. */
export function scenariosFor(programme: ProgrammeId, variant?: FormVariant): Scenario[] {
  return SCENARIOS.filter(
    (s) => (s.programmes === 'all' || s.programmes.includes(programme)) && (s.variant === undefined || s.variant === variant),
  );
}

export const SCENARIO_BY_ID = new Map(SCENARIOS.map((s) => [s.id, s]));
