// Dossiers on DS forms worded differently from the simulator's (labels from the seeds' wording),
// mapped by `init`'s matcher as a démarche would be, then checked: values typed as candidates type them.
import { describe, expect, it } from 'vitest';
import { PROGRAMMES } from '../src/domain/programmes/index.ts';
import type { ProgrammeId } from '../src/domain/programmes/types.ts';
import { buildCandidature } from '../src/rules/candidature.ts';
import { evaluateCandidature, verdictOf } from '../src/rules/engine.ts';
import { matchLabels } from '../src/rules/mapping/match-labels.ts';
import { resolveMapping } from '../src/rules/mapping/resolve-mapping.ts';
import {
  type Champs,
  checkbox,
  choice,
  contextFor,
  date,
  decimal,
  descriptorsOf,
  dossierNode,
  ON_TIME,
  pdf,
  piece,
  storedNode,
  text,
  yesNo,
} from './rules-fixtures.ts';

const l = (label: string) => ({ label });

function check(programme: ProgrammeId, champs: Champs) {
  const descriptors = descriptorsOf(champs);
  const { mapping } = matchLabels(PROGRAMMES[programme], descriptors);
  const { mapping: resolved, problems } = resolveMapping(mapping, descriptors);
  expect(problems).toEqual([]);
  const candidature = buildCandidature(storedNode(dossierNode(champs, { dateDepot: ON_TIME[programme] })), { programme }, resolved);
  return verdictOf(1, evaluateCandidature(candidature, contextFor(programme)));
}
const lines = (v: ReturnType<typeof check>) => v.findings.map((f) => `${f.ruleId} ${f.severity}: ${f.message}`);

/** ASR (seed 003_d4ac5c3792af9e12.txt): a two-year post starting 2 November 2026, fiche worded in capitals, quotités per « 1ère / 2ème année ». */
function asrDossier(): Champs {
  const avis = (id: string, who: string) => ({ [id]: piece([pdf(`${id}.pdf`)], l(`Annexe - Avis du ${who}`)) });
  return {
    r1: text('Martin', l('NOM DU CANDIDAT')),
    r2: text('Paul', l('PRENOM')),
    r3: date('1994-06-01', l('Date de naissance')),
    r4: choice('Cardiologie', l('Spécialité du D.E.S.')),
    r5: text('CH de Dieppe', l('Etablissement employeur (CH)')),
    r6: choice('Lundi 2 novembre 2026', l('Date de prise de fonctions')),
    r7: choice('Deux ans', l('Durée des fonctions')),
    r8: date('2026-09-20', l('Date de soutenance de la thèse')),
    r9: date('2026-10-15', l('Date d’obtention du D.E.S.')),
    r10: text('40 %', l('Pourcentage de temps au CHU - 1ère année')),
    r11: text('60 %', l('Pourcentage de temps au CH - 1ère année')),
    r12: text('20 % (1 jour)', l('Pourcentage de temps au CHU - 2ème année')),
    r13: text('80 %', l('Pourcentage de temps au CH - 2ème année')),
    r14: text('10123456781', l('n° RPPS')),
    r15: checkbox(true, l('Annexe 12 - Protection des données')),
    r16: piece([pdf('fiche.pdf')], l('Annexe 1 - Fiche candidat')),
    r17: piece([pdf('lettre.pdf')], l('Annexe 2 - Lettre de motivation')),
    r18: piece([pdf('parcours.pdf')], l('Annexe 3 - Parcours')),
    r19: piece([pdf('projet.pdf')], l('Annexe 4 - Projet')),
    ...avis('r20', 'chef de service universitaire'),
    ...avis('r21', 'chef de service du CH'),
    ...avis('r22', 'coordonnateur de la spécialité'),
    ...avis('r23', 'directeur du CHU'),
    ...avis('r24', 'directeur du CH'),
    ...avis('r25', 'président de la CME du CHU'),
    ...avis('r26', 'président de la CME du CH'),
    r27: text('Pr Durand', l('Nom du coordonnateur')),
  };
}

describe('ASR on an unseen form (seed 003, PROGRAMMES.md ASR)', () => {
  it('a complete dossier typed « Lundi 2 novembre 2026 », « Deux ans », « 20 % (1 jour) » is complete and eligible', () => {
    const v = check('asr', asrDossier());
    expect(lines(v)).toEqual([]);
    expect([v.complet, v.eligible]).toEqual([true, 'oui']);
  });

  it('shares typed as fractions « 0,4 » / « 0,6 » are read as 40 % / 60 %, for an instructor to confirm (alerte, not a false bloquant)', () => {
    const v = check('asr', {
      ...asrDossier(),
      r10: text('0,4', l('Pourcentage de temps au CHU - 1ère année')),
      r11: text('0,6', l('Pourcentage de temps au CH - 1ère année')),
    });
    expect(lines(v)).toEqual([
      'elig.quotite_asr alerte: Quotités de l’année 1 écrites en fractions (« 0,4 », « 0,6 ») : lues comme 40 % et 60 %. Vérifiez auprès du déposant.',
    ]);
    expect(v.eligible).toBe('a_verifier');
  });

  it('fractions that break the rule are still a bloquant, with French decimals (PROGRAMMES.md: CHU at most 40 %)', () => {
    const v = check('asr', {
      ...asrDossier(),
      r10: text('0,5', l('Pourcentage de temps au CHU - 1ère année')),
      r11: text('0,5', l('Pourcentage de temps au CH - 1ère année')),
    });
    expect(lines(v)).toEqual([
      'elig.quotite_asr bloquant: Temps au centre hospitalier de 50 % en année 1 (champ « Pourcentage de temps au CH - 1ère année ») : il doit être d’au moins 60 %.',
      'elig.quotite_asr bloquant: Temps au CHU de 50 % en année 1 (champ « Pourcentage de temps au CHU - 1ère année ») : il doit être compris entre 20 % et 40 %.',
      'elig.quotite_asr alerte: Quotités de l’année 1 écrites en fractions (« 0,5 », « 0,5 ») : lues comme 50 % et 50 %. Vérifiez auprès du déposant.',
    ]);
    expect(v.eligible).toBe('non');
  });

  it('a share with decimals is written the French way in the message', () => {
    const v = check('asr', {
      ...asrDossier(),
      r10: text('40,5 %', l('Pourcentage de temps au CHU - 1ère année')),
      r11: text('59,5 %', l('Pourcentage de temps au CH - 1ère année')),
    });
    expect(lines(v)).toEqual([
      'elig.quotite_asr bloquant: Temps au centre hospitalier de 59,5 % en année 1 (champ « Pourcentage de temps au CH - 1ère année ») : il doit être d’au moins 60 %.',
      'elig.quotite_asr bloquant: Temps au CHU de 40,5 % en année 1 (champ « Pourcentage de temps au CHU - 1ère année ») : il doit être compris entre 20 % et 40 %.',
    ]);
  });

  it('a start date whose weekday is wrong is not a session date (never guessed)', () => {
    const v = check('asr', { ...asrDossier(), r6: choice('Mardi 2 novembre 2026', l('Date de prise de fonctions')) });
    expect(v.findings.filter((f) => f.ruleId === 'elig.session').map((f) => f.severity)).toEqual(['bloquant']);
  });
});

/** ASAP (seed 004_cfe1d3a8f9f01ae4.txt): thesis question as a drop-down « Oui/Non » worded like the seed. */
function asapDossier(): Champs {
  return {
    s1: text('Bernard', l('Nom')),
    s2: text('Lucie', l('Prénom')),
    s3: choice('Dermatologie', l('Spécialité')),
    s4: choice('Rouen', l('Subdivision')),
    s5: choice('Novembre 2025', l('Date de prise de fonction')),
    s6: choice('Oui – date de soutenance : 12/09/2024', l('Thèse soutenue ?')),
    s7: text('CHU de Rouen', l('Etablissement hospitalier')),
    s8: text('MSP du Tréport', l('Nom de la structure ambulatoire')),
    s9: text('Dr Leroy', l('Nom du responsable de la structure ambulatoire')),
    s10: yesNo(true, l('La structure est-elle située en zone prioritaire ?')),
    s11: decimal(50, l('Temps hospitalier (%)')),
    s12: decimal(50, l('Temps ambulatoire (%)')),
    s13: checkbox(true, l("J'accepte le traitement de mes données personnelles")),
    s14: piece([pdf()], l('Lettre de motivation')),
    s15: piece([pdf()], l('CV détaillé')),
    s16: piece([pdf()], l('Dossier de candidature')),
    s17: piece([pdf('diplomes.pdf')], l('Copie des diplômes')),
    s18: piece([pdf()], l('Avis du coordonnateur régional')),
    s19: piece([pdf()], l('Avis du chef de service - structure ambulatoire')),
    s20: piece([pdf()], l('Avis du chef de service - établissement hospitalier')),
    s21: piece([pdf()], l('Avis du directeur - structure ambulatoire')),
    s22: piece([pdf()], l('Avis du directeur - établissement hospitalier')),
    s23: text('Pr Martin', l('Nom du coordonnateur')),
  };
}

describe('ASAP on an unseen form (seed 004, PROGRAMMES.md ASAP)', () => {
  it('a complete dossier is complete and eligible', () => {
    const v = check('asap', asapDossier());
    expect(lines(v)).toEqual([]);
    expect([v.complet, v.eligible]).toEqual([true, 'oui']);
  });

  it('« Oui – date de soutenance » without the diploma copies is a bloquant (elig.diplomes_si_these)', () => {
    const v = check('asap', { ...asapDossier(), s17: piece([], l('Copie des diplômes')) });
    expect(v.findings.map((f) => [f.ruleId, f.severity])).toEqual([['elig.diplomes_si_these', 'bloquant']]);
    expect(v.findings[0]!.evidence[0]!.label).toBe('Thèse soutenue ?');
  });

  it('shares « 0,5 » / « 0,5 » are an alerte, not « 0.5 % + 0.5 % = 1 % » (PROGRAMMES.md elig.quotite_asap)', () => {
    const v = check('asap', {
      ...asapDossier(),
      s11: text('0,5', l('Temps hospitalier (%)')),
      s12: text('0,5', l('Temps ambulatoire (%)')),
    });
    expect(lines(v)).toEqual([
      'elig.quotite_asap alerte: Quotités écrites en fractions (« 0,5 », « 0,5 ») : lues comme 50 % et 50 %. Vérifiez auprès du déposant.',
    ]);
  });
});

/** AUMG (seed 002_81a7b64d948be2e6.txt) on the form of fixtures/unseen-forms AUMG_FORM: dates typed as text, contacts in a block. */
function aumgDossier(): Champs {
  return {
    u1: choice('Université Paris Cité', l('UFR de rattachement')),
    u3: text('Centre de santé des Lilas', l('Structure de soins - dénomination')),
    u4: choice('ZIP+', l("Zone d'implantation (ZIP, ZIP+, ZAC, QPV)")),
    u5: text('Pr Lefèvre', l('Nom du directeur du DUMG')),
    u6: text('DUPONT', l("Nom d'usage")),
    u7: text('Jeanne', l('Prénom(s)')),
    u8: text('14/03/1992', l('Date de naissance (jj/mm/aaaa)')),
    u9: text('n° 10001234565', l('RPPS (si inscrit)')),
    u11: choice('Médecine générale', l('Spécialité du DES')),
    u12: date('2023-10-31', l("Date de fin de l'internat (réalisée ou prévue)")),
    u13: text('751234567', l('N° ADELI')),
    u14: piece([pdf('dumg.pdf')], l('Présentation du DUMG (modèle)')),
    u15: piece([pdf('structure.pdf')], l('Présentation de la structure')),
    u16: piece([pdf('engagement.pdf')], l('Lettre d’engagement signée par les 3 partenaires')),
    u17: piece([pdf('projet.pdf')], l('Projet co-construit')),
    u18: piece([pdf('cv.pdf')], l('CV')),
    u19: piece([pdf('lettre.pdf')], l('Lettre de motivation')),
  };
}

describe('AUMG on an unseen form (seed 002, PROGRAMMES.md AUMG, start 01/11/2025)', () => {
  it('a complete dossier with « n° 10001234565 » and a date of birth typed as text is complete and eligible', () => {
    const v = check('aumg', aumgDossier());
    expect(lines(v)).toEqual([]);
    expect([v.complet, v.eligible]).toEqual([true, 'oui']);
  });

  it.each([
    // PROGRAMMES.md « End of internship (AUMG): more than 5 years before the start date → bloquant; between 4 and 5 years (both ends included) → alerte ».
    ['2021-11-02', 'oui', []],
    [
      '2021-11-01',
      'a_verifier',
      [
        'elig.post_internat alerte: Internat terminé le 01/11/2021, entre 4 et 5 ans avant la prise de fonction du 01/11/2025 : éligibilité à confirmer.',
      ],
    ],
    [
      '2020-11-01',
      'a_verifier',
      [
        'elig.post_internat alerte: Internat terminé le 01/11/2020, entre 4 et 5 ans avant la prise de fonction du 01/11/2025 : éligibilité à confirmer.',
      ],
    ],
  ] as const)('end of internship %s → %s', (end, eligible, expected) => {
    const v = check('aumg', { ...aumgDossier(), u12: date(end, l("Date de fin de l'internat (réalisée ou prévue)")) });
    expect(lines(v)).toEqual(expected);
    expect(v.eligible).toBe(eligible);
  });

  it('more than 5 years is a bloquant, the evidence is the internship champ of the form', () => {
    const v = check('aumg', { ...aumgDossier(), u12: date('2020-10-31', l("Date de fin de l'internat (réalisée ou prévue)")) });
    expect(v.eligible).toBe('non');
    expect(v.findings.map((f) => [f.ruleId, f.severity, f.evidence[0]?.label, f.evidence[0]?.champId])).toEqual([
      ['elig.post_internat', 'bloquant', "Date de fin de l'internat (réalisée ou prévue)", 'u12'],
    ]);
  });

  it('a DES other than médecine générale is a bloquant (elig.des_mg)', () => {
    const v = check('aumg', { ...aumgDossier(), u11: choice('Médecine d’urgence', l('Spécialité du DES')) });
    expect(v.findings.map((f) => [f.ruleId, f.severity])).toEqual([['elig.des_mg', 'bloquant']]);
  });

  it('no RPPS and no planned date: bloquant naming the form’s champs (PROGRAMMES.md id.rpps)', () => {
    const v = check('aumg', {
      ...aumgDossier(),
      u9: text(null, l('RPPS (si inscrit)')),
      u10: date(null, l("Si non inscrit : date prévisionnelle d'inscription au tableau de l'Ordre")),
    });
    expect(v.findings.map((f) => [f.ruleId, f.severity])).toEqual([['id.rpps', 'bloquant']]);
    expect(v.findings[0]!.message).toContain('« RPPS (si inscrit) »');
  });
});
