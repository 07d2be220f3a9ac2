import { normalizeText } from '../../shared/names.ts';

// Words that carry no meaning in form labels; "n°"/"numéro" too, since "N° RPPS" and "RPPS" mean the same.
const STOP_WORDS = new Set([
  'de',
  'du',
  'la',
  'le',
  'l',
  'd',
  'des',
  'en',
  'au',
  'aux',
  'et',
  'a',
  'un',
  'une',
  'les',
  'pour',
  'par',
  'sur',
  'son',
  'sa',
  'ses',
  'votre',
  'vos',
  'n',
  'no',
  'num',
  'numero',
  'o',
  'ou',
  'si',
  'dans',
  'avec',
  'est',
  'il',
  'elle',
]);

/**
 * Acronyms are meaning, not filler: « DES » or « D.E.S. » written in capitals is the diplôme
 * d'études spécialisées, while « des » in a sentence is an article (a stop word). Matched on the
 * label as typed, before lower-casing.
 */
const ACRONYMS: ReadonlyArray<[RegExp, string]> = [[/(?<![\p{L}\p{N}])D\.?\s?E\.?\s?S\.?(?![\p{L}\p{N}])/gu, ' desspecialite ']];

/** Abbreviations usual in hospital and university forms, read as the word they stand for. */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  med: 'medecine',
  gen: 'generale',
  spe: 'specialite',
  spec: 'specialite',
  etab: 'etablissement',
  etabl: 'etablissement',
  hosp: 'hospitalier',
  univ: 'universite',
  ambu: 'ambulatoire',
  amb: 'ambulatoire',
  tel: 'telephone',
  prev: 'previsionnelle',
  obt: 'obtention',
  dt: 'date',
  naiss: 'naissance',
  insc: 'inscription',
  coord: 'coordonnateur',
  dir: 'directeur',
  subdiv: 'subdivision',
  fct: 'fonction',
  fonct: 'fonction',
  struct: 'structure',
  quot: 'quotite',
  sout: 'soutenance',
  cand: 'candidat',
  etabt: 'etablissement',
  ets: 'etablissement',
  // « PCME du CHU »: the président de la commission médicale d’établissement (seed 003 annexes 10-11).
  pcme: 'president cme',
};

/** normalizeText of the label, capped: a hostile label of megabytes is not worth comparing whole. */
export function normalizeLabel(label: string): string {
  return normalizeText(label.slice(0, 500));
}

// « 1ère année », « première année », « 2e année », « deuxième année »: the same year as « année 1 ».
const ORDINAL_YEARS: ReadonlyArray<[RegExp, string]> = [
  [/\b(?:1|1ere|1re|1er|premiere|premier)\s+annee\b/g, 'annee 1'],
  [/\b(?:2|2eme|2e|2nde|deuxieme|seconde|second)\s+annee\b/g, 'annee 2'],
];

/** Meaningful tokens of a label (stop words dropped, acronyms kept, abbreviations expanded). */
export function labelTokens(label: string): string[] {
  let marked = label.slice(0, 500);
  for (const [pattern, token] of ACRONYMS) marked = marked.replace(pattern, token);
  let text = normalizeLabel(marked);
  for (const [pattern, token] of ORDINAL_YEARS) text = text.replace(pattern, token);
  return text
    .split(' ')
    .filter((t) => t !== '' && !STOP_WORDS.has(t))
    .flatMap((t) => (ABBREVIATIONS[t] ?? t).split(' '));
}
