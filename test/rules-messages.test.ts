/**
 * The French message of each outcome of each rule, pinned (issue #16 § 4): what an instructor reads
 * must say what is wrong, in which champ, and what to do — planned dates as plans, the champ read as
 * evidence, typographic apostrophes, long labels shortened.
 */
import { describe, expect, it } from 'vitest';
import {
  type Champs,
  checkbox,
  choice,
  contextFor,
  date,
  findingsOf,
  integer,
  piece,
  SESSIONS,
  text,
  validAsap,
  validAsp,
  validAsr,
  validAumg,
  yesNo,
} from './rules-fixtures.ts';

type Outcome = readonly [name: string, champs: Champs, messages: readonly string[]];

const messagesOf = (rule: string, programme: Parameters<typeof findingsOf>[1], champs: Champs, dateDepot?: string) =>
  // Sync refuses a deposit date that is no date (« demain »): the rule's guard is tested on the node as is.
  findingsOf(rule, programme, champs, dateDepot === undefined ? {} : { dateDepot, unvalidated: dateDepot === 'demain' }).map(
    (f) => `${f.severity} | ${f.message}`,
  );

describe('delai.depot (PROGRAMMES.md « Deposit deadline », closing 30/04/2025 for AUMG v12)', () => {
  it.each([
    ['valid', '2025-04-10T08:30:00Z', []],
    ['boundary: 23:59 Paris on the closing day', '2025-04-30T21:59:00Z', []],
    [
      'invalid: 00:10 Paris the day after, still 30 April in UTC',
      '2025-04-30T22:10:00Z',
      [
        'bloquant | Dossier déposé hors délai : le 01/05/2025 à 00:10 (heure de Paris), alors que l’appel était ouvert jusqu’au 30/04/2025 inclus. Un dossier hors délai n’est pas examiné.',
      ],
    ],
    [
      'missing: unreadable date',
      'demain',
      ['alerte | Date de dépôt illisible (« demain ») : vérifiez le dépôt dans démarches-simplifiées.'],
    ],
  ] as const)('%s', (_name, dateDepot, expected) => {
    expect(messagesOf('delai.depot', 'aumg', validAumg(), dateDepot)).toEqual(expected);
  });
});

describe('elig.these_des_avant_prise (seed 003, start 02/11/2026)', () => {
  it.each<Outcome>([
    ['valid', validAsr(), []],
    ['boundary: thesis on the start day', { ...validAsr(), 'candidat.date_these': date('2026-11-02') }, []],
    [
      'planned thesis after the start',
      { ...validAsr(), 'candidat.these_soutenue': yesNo(false), 'candidat.date_these': date('2026-12-01') },
      [
        'bloquant | Soutenance de thèse prévue le 01/12/2026, après la prise de fonction du 02/11/2026 : la thèse doit être soutenue au plus tard à l’entrée en fonction.',
      ],
    ],
    [
      'planned DES after the start (a date after the deposit)',
      { ...validAsr(), 'candidat.date_des': date('2026-11-15') },
      [
        // The lead's wording: a DES is « obtenu », never « validé » (a dossier is not validated by a rule).
        'bloquant | Obtention du DES prévue le 15/11/2026, après la prise de fonction du 02/11/2026 : le DES doit être obtenu au plus tard à l’entrée en fonction.',
      ],
    ],
    [
      'done: DES typed as obtained (before the deposit) — never after a start in this session',
      { ...validAsr(), 'candidat.date_des': date('2025-10-15') },
      [],
    ],
    [
      'invalid: unreadable date',
      { ...validAsr(), 'candidat.date_these': text('bientôt') },
      [
        'alerte | Date illisible « bientôt » (champ « Libellé candidat.date_these ») : vérifiez à la main que la thèse est ou sera soutenue au plus tard à la prise de fonction.',
      ],
    ],
    ['missing: reported once, by complet.champ_requis', { ...validAsr(), 'candidat.date_these': date(null) }, []],
  ])('%s', (_name, champs, expected) => {
    expect(messagesOf('elig.these_des_avant_prise', 'asr', champs)).toEqual(expected);
  });

  it('a thesis ticked « soutenue » but dated after the deposit is still a plan: a future date is never shown as done', () => {
    const champs = { ...validAsr(), 'candidat.these_soutenue': yesNo(true), 'candidat.date_these': date('2026-12-01') };
    expect(messagesOf('elig.these_des_avant_prise', 'asr', champs)).toEqual([
      'bloquant | Soutenance de thèse prévue le 01/12/2026, après la prise de fonction du 02/11/2026 : la thèse doit être soutenue au plus tard à l’entrée en fonction.',
    ]);
  });

  it('a thesis passed before the deposit, after a start date the session allows, reads « soutenue »', () => {
    const ctx = contextFor('asr', { session: { ...SESSIONS.asr, startDates: ['2025-11-03'] } });
    const champs = {
      ...validAsr(),
      'poste.date_prise_fonction': date('2025-11-03'),
      'candidat.date_des': date('2025-10-15'),
      'candidat.these_soutenue': yesNo(true),
      'candidat.date_these': date('2025-12-01'),
    };
    expect(findingsOf('elig.these_des_avant_prise', 'asr', champs, { ctx }).map((f) => `${f.severity} | ${f.message}`)).toEqual([
      'bloquant | Thèse soutenue le 01/12/2025, après la prise de fonction du 03/11/2025 : la thèse doit être soutenue au plus tard à l’entrée en fonction.',
    ]);
  });
});

describe('complet.champ_requis', () => {
  it.each<Outcome>([
    ['valid', validAsr(), []],
    [
      'missing',
      { ...validAsr(), 'candidat.date_these': date(null) },
      [
        'bloquant | Dossier incomplet : « Libellé candidat.date_these » (Date de soutenance de thèse) n’est pas renseigné alors que le programme ASR l’exige. Demandez au déposant de le compléter.',
      ],
    ],
    [
      'long label quoted short',
      {
        ...validAsr(),
        extra: text(null, {
          required: true,
          label: `Merci d’indiquer ici, si le candidat a déjà exercé des fonctions hospitalières, l’établissement, le service, la durée et le statut occupé ${'x'.repeat(60)}`,
        }),
      },
      [
        'bloquant | Dossier incomplet : champ obligatoire non rempli « Merci d’indiquer ici, si le candidat a déjà exercé des fonctions… ». Demandez au déposant de le compléter.',
      ],
    ],
  ])('%s', (_name, champs, expected) => {
    expect(messagesOf('complet.champ_requis', 'asr', champs)).toEqual(expected);
  });
});

describe('elig.quotite_asr (seed 003: CHU 20–40 %, CH ≥ 60 %, total 100 %)', () => {
  const split = (chu: string, ch: string): Champs => ({
    ...validAsr(),
    'poste.duree_annees': choice('1 an'),
    'quotite.chu.annee1': integer(chu),
    'quotite.ch.annee1': integer(ch),
  });
  it.each<Outcome>([
    ['valid', split('30', '70'), []],
    ['boundary: one day at the CHU', split('20', '80'), []],
    ['boundary: 40 % at the CHU, 60 % at the CH', split('40', '60'), []],
    [
      'invalid: CHU below 20 %',
      split('10', '90'),
      ['bloquant | Temps au CHU de 10 % en année 1 (champ « Libellé quotite.chu.annee1 ») : il doit être compris entre 20 % et 40 %.'],
    ],
    [
      'invalid: CH below 60 %, the CH champ quoted',
      split('45', '55'),
      [
        // Sorted by the champ each finding reads (engine order).
        'bloquant | Temps au centre hospitalier de 55 % en année 1 (champ « Libellé quotite.ch.annee1 ») : il doit être d’au moins 60 %.',
        'bloquant | Temps au CHU de 45 % en année 1 (champ « Libellé quotite.chu.annee1 ») : il doit être compris entre 20 % et 40 %.',
      ],
    ],
    [
      'invalid: total not 100 %',
      split('30', '60'),
      ['bloquant | Répartition de l’année 1 : CHU 30 % + centre hospitalier 60 % = 90 %, le total doit faire 100 %.'],
    ],
    // A share typed in a text champ: DS only sends digits in a number champ.
    [
      'invalid: unreadable',
      { ...split('30', '60'), 'quotite.chu.annee1': text('beaucoup') },
      [
        'alerte | Quotité illisible « beaucoup » (champ « Libellé quotite.chu.annee1 ») : un pourcentage est attendu, par exemple 40 % ; vérifiez la répartition à la main.',
      ],
    ],
    ['missing: reported by complet.champ_requis', { ...split('30', '70'), 'quotite.chu.annee1': integer(null) }, []],
  ])('%s', (_name, champs, expected) => {
    expect(messagesOf('elig.quotite_asr', 'asr', champs)).toEqual(expected);
  });

  it('shows the CH champ, not the CHU champ, as evidence of a CH finding', () => {
    const ch = findingsOf('elig.quotite_asr', 'asr', split('45', '55')).find((f) => f.message.startsWith('Temps au centre hospitalier'));
    expect(ch?.evidence.map((e) => e.champId)).toEqual(['quotite.ch.annee1']);
  });
});

describe('elig.quotite_asap (seed 004: ambulatory ≥ 50 %)', () => {
  const split = (hosp: number, ambu: number): Champs => ({
    ...validAsap(),
    'quotite.hospitalier.annee1': integer(String(hosp)),
    'quotite.ambulatoire.annee1': integer(String(ambu)),
  });
  it.each<Outcome>([
    ['valid', split(40, 60), []],
    ['boundary: 50 %', split(50, 50), []],
    [
      'invalid: 40 %',
      split(60, 40),
      [
        'bloquant | Temps en structure ambulatoire de 40 % (champ « Libellé quotite.ambulatoire.annee1 ») : il doit être d’au moins 50 % (consultations avancées).',
      ],
    ],
    ['invalid: total', split(30, 60), ['bloquant | Répartition : hospitalier 30 % + ambulatoire 60 % = 90 %, le total doit faire 100 %.']],
  ])('%s', (_name, champs, expected) => {
    expect(messagesOf('elig.quotite_asap', 'asap', champs)).toEqual(expected);
  });
});

describe('avis.complets (PROGRAMMES.md « Avis »)', () => {
  const sens = (value: string | null): Champs => ({ ...validAsr(), 'avis.coordonnateur.sens': choice(value) });
  it.each<Outcome>([
    ['valid: Favorable', sens('Favorable'), []],
    // « not plainly Favorable (e.g. with reservations, Défavorable) → alerte »: an unreserved favourable avis is plain.
    ['valid: Très favorable', sens('Très favorable'), []],
    ['valid: Avis favorable sans réserve', sens('Avis favorable sans réserve'), []],
    [
      'invalid: Défavorable',
      sens('Défavorable'),
      ['alerte | Avis défavorable (« Défavorable », champ « Libellé avis.coordonnateur.sens ») : à examiner avant le jury.'],
    ],
    [
      'boundary: favourable with reservations',
      sens('Favorable avec réserves'),
      [
        'alerte | Avis favorable avec réserves (« Favorable avec réserves », champ « Libellé avis.coordonnateur.sens ») : lisez les réserves avant le jury.',
      ],
    ],
    [
      'unclear wording',
      sens('Réservé'),
      [
        'alerte | Avis « Réservé » (champ « Libellé avis.coordonnateur.sens ») : ni « Favorable » ni « Défavorable », lisez l’avis signé avant le jury.',
      ],
    ],
    [
      'missing avis',
      { ...validAsr(), 'avis.coordonnateur': piece([]) },
      ['bloquant | Dossier incomplet : avis manquant « Libellé avis.coordonnateur ». Demandez au déposant de joindre l’avis signé.'],
    ],
  ])('%s', (_name, champs, expected) => {
    expect(messagesOf('avis.complets', 'asr', champs)).toEqual(expected);
  });
});

describe('elig.post_internat (seed 002, start 01/11/2025, both ends included)', () => {
  const fin = (value: string | null): Champs => ({
    ...validAumg(),
    'candidat.date_fin_internat': value === null ? date(null) : value.includes('-') ? date(value) : text(value),
  });
  it.each<Outcome>([
    ['valid', fin('2023-10-31'), []],
    [
      'boundary: 4 years exactly',
      fin('2021-11-01'),
      ['alerte | Internat terminé le 01/11/2021, entre 4 et 5 ans avant la prise de fonction du 01/11/2025 : éligibilité à confirmer.'],
    ],
    [
      'boundary: 5 years exactly',
      fin('2020-11-01'),
      ['alerte | Internat terminé le 01/11/2020, entre 4 et 5 ans avant la prise de fonction du 01/11/2025 : éligibilité à confirmer.'],
    ],
    [
      'invalid: more than 5 years',
      fin('2020-10-31'),
      [
        'bloquant | Internat terminé le 31/10/2020, plus de 5 ans avant la prise de fonction du 01/11/2025 : le candidat n’est plus en post-internat au sens de l’AUMG.',
      ],
    ],
    [
      'invalid: after the start',
      fin('2026-01-01'),
      ['alerte | Fin d’internat le 01/01/2026, après la prise de fonction du 01/11/2025 : vérifiez la date saisie.'],
    ],
    [
      'invalid: unreadable',
      fin('l’an dernier'),
      [
        'alerte | Date de fin d’internat illisible « l’an dernier » (champ « Libellé candidat.date_fin_internat ») : vérifiez-la à la main.',
      ],
    ],
    ['missing: reported by complet.champ_requis', fin(null), []],
  ])('%s', (_name, champs, expected) => {
    expect(messagesOf('elig.post_internat', 'aumg', champs)).toEqual(expected);
  });
});

describe('elig.zone and elig.des_mg (seed 002)', () => {
  it.each<Outcome>([
    ['valid', { ...validAumg(), 'structure.zone': choice('ZIP+') }, []],
    [
      'invalid',
      { ...validAumg(), 'structure.zone': choice('Hors zonage') },
      [
        'bloquant | Zone de la structure « Hors zonage » (champ « Libellé structure.zone ») : l’appel exige une structure en zone ZIP, ZIP+, ZAC ou QPV.',
      ],
    ],
    [
      'free text (« Autre ») refused by default',
      { ...validAumg(), 'structure.zone': choice('Zone de revitalisation rurale') },
      [
        'bloquant | Zone de la structure « Zone de revitalisation rurale » (champ « Libellé structure.zone ») : l’appel exige une structure en zone ZIP, ZIP+, ZAC ou QPV.',
      ],
    ],
  ])('elig.zone: %s', (_name, champs, expected) => {
    expect(messagesOf('elig.zone', 'aumg', champs)).toEqual(expected);
  });

  it.each<Outcome>([
    ['valid', validAumg(), []],
    [
      'invalid',
      { ...validAumg(), 'candidat.specialite_des': choice('Pédiatrie') },
      [
        'bloquant | Spécialité de DES « Pédiatrie » (champ « Libellé candidat.specialite_des ») : l’AUMG est réservé aux titulaires du DES de médecine générale.',
      ],
    ],
    [
      'invalid: yes/no unticked',
      { ...validAumg(), 'candidat.specialite_des': yesNo(false) },
      [
        'bloquant | Le candidat n’est pas déclaré titulaire du DES de médecine générale (champ « Libellé candidat.specialite_des »). L’AUMG lui est réservé.',
      ],
    ],
  ])('elig.des_mg: %s', (_name, champs, expected) => {
    expect(messagesOf('elig.des_mg', 'aumg', champs)).toEqual(expected);
  });
});

describe('id.rpps (PROGRAMMES.md « RPPS », start 01/11/2025)', () => {
  const noRpps = (planned: string | null): Champs => ({
    ...validAumg(),
    'candidat.rpps': text(null),
    'candidat.date_inscription_ordre': date(planned),
  });
  it.each<Outcome>([
    ['valid', validAumg(), []],
    [
      'invalid: bad key',
      { ...validAumg(), 'candidat.rpps': text('10001234566') },
      [
        'alerte | Numéro RPPS « 10001234566 » (champ « Libellé candidat.rpps ») : 11 chiffres mais la clé de contrôle ne correspond pas. Vérifiez le numéro dans l’annuaire santé.',
      ],
    ],
    ['planned registration before the start', noRpps('2025-06-01'), []],
    [
      'boundary: planned on the start day (strictly before required)',
      noRpps('2025-11-01'),
      [
        'bloquant | Pas de RPPS valide et inscription à l’Ordre prévue le 01/11/2025, pas avant la prise de fonction du 01/11/2025. L’inscription doit précéder la prise de fonction.',
      ],
    ],
    [
      'missing: neither',
      noRpps(null),
      [
        'bloquant | Ni numéro RPPS valide (11 chiffres) ni date prévisionnelle d’inscription à l’Ordre : le candidat doit avoir l’un ou l’autre. Demandez au déposant de compléter « Libellé candidat.rpps » ou « Libellé candidat.date_inscription_ordre ».',
      ],
    ],
  ])('%s', (_name, champs, expected) => {
    expect(messagesOf('id.rpps', 'aumg', champs)).toEqual(expected);
  });
});

describe('id.finess (seed 000, 9 characters)', () => {
  it.each<Outcome>([
    ['valid', validAsp(), []],
    [
      'invalid: 8 characters',
      { ...validAsp(), 'etablissement.finess': text('93078012') },
      [
        'bloquant | Numéro FINESS « 93078012 » (champ « Libellé etablissement.finess ») invalide : 9 caractères attendus, 8 trouvés. Demandez le numéro FINESS de l’établissement (9 caractères).',
      ],
    ],
    [
      'invalid key',
      { ...validAsp(), 'etablissement.finess': text('930780128') },
      [
        'alerte | Numéro FINESS « 930780128 » (champ « Libellé etablissement.finess ») : la clé de contrôle ne correspond pas. Vérifiez le numéro dans le répertoire FINESS.',
      ],
    ],
  ])('%s', (_name, champs, expected) => {
    expect(messagesOf('id.finess', 'asp', champs)).toEqual(expected);
  });
});

describe('elig.session, rgpd.consentement, elig.zone_justifiee (seeds 003, 004)', () => {
  it.each<Outcome>([
    ['valid', validAsr(), []],
    [
      'invalid start',
      {
        ...validAsr(),
        'poste.date_prise_fonction': date('2026-09-01'),
        'candidat.date_these': date('2026-06-01'),
        'candidat.date_des': date('2026-06-01'),
      },
      [
        'bloquant | Prise de fonction « 01/09/2026 » (champ « Libellé poste.date_prise_fonction ») : elle doit être l’une des dates de la session (04/05/2026, 02/11/2026, 02/05/2027).',
      ],
    ],
    [
      'invalid duration',
      { ...validAsr(), 'poste.duree_annees': choice('3 ans') },
      ['bloquant | Durée « 3 ans » (champ « Libellé poste.duree_annees ») : elle doit être de 1 ou 2 ans.'],
    ],
  ])('elig.session: %s', (_name, champs, expected) => {
    expect(messagesOf('elig.session', 'asr', champs)).toEqual(expected);
  });

  it('rgpd.consentement: unticked', () => {
    expect(messagesOf('rgpd.consentement', 'asr', { ...validAsr(), 'rgpd.consentement': checkbox(false) })).toEqual([
      'bloquant | Consentement à la protection des données non donné (champ « Libellé rgpd.consentement ») : sans lui, l’ARS ne peut pas traiter la candidature. Demandez au candidat de cocher la case.',
    ]);
  });

  it('elig.zone_justifiee: not justified', () => {
    expect(
      messagesOf('elig.zone_justifiee', 'asap', {
        ...validAsap(),
        'structure.zone_prioritaire': yesNo(false),
        'justification.zone': text(null),
      }),
    ).toEqual([
      'alerte | Structure partenaire hors zone prioritaire : le coordonnateur doit justifier ce choix, or le champ « Libellé justification.zone » est vide.',
    ]);
  });
});

describe('every finding message uses the typographic apostrophe', () => {
  it('no straight apostrophe in any message above', () => {
    const all = [
      ...messagesOf('delai.depot', 'aumg', validAumg(), '2025-04-30T22:10:00Z'),
      ...messagesOf('complet.champ_requis', 'asr', { ...validAsr(), 'candidat.date_these': date(null) }),
      ...messagesOf('elig.post_internat', 'aumg', { ...validAumg(), 'candidat.date_fin_internat': date('2020-10-31') }),
      ...messagesOf('id.rpps', 'aumg', { ...validAumg(), 'candidat.rpps': text(null), 'candidat.date_inscription_ordre': date(null) }),
    ];
    expect(all.length).toBeGreaterThan(3);
    for (const m of all) expect(m).not.toContain("'");
  });
});
