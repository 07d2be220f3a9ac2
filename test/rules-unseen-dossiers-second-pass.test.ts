// Issue #16 § 3 and § 4: dossiers on the second-pass unseen forms (fixtures/unseen-forms/second-pass-forms.ts),
// mapped by `init`'s matcher from the whole form (sections and blocks included), then checked.
// Expected findings come from PROGRAMMES.md and the seeds, written before running the engine.
import { describe, expect, it } from 'vitest';
import { PROGRAMMES } from '../src/domain/programmes/index.ts';
import { buildCandidature } from '../src/rules/candidature.ts';
import { candidateKeysOf, duplicateMatches } from '../src/rules/catalogue/doublon.ts';
import { evaluateCandidature, verdictOf } from '../src/rules/engine.ts';
import { indexDescriptors } from '../src/rules/mapping/descriptors.ts';
import { matchLabels } from '../src/rules/mapping/match-labels.ts';
import { resolveMapping } from '../src/rules/mapping/resolve-mapping.ts';
import type { UnseenForm } from './fixtures/unseen-forms/forms.ts';
import { AUMG_DS_FORM, ASAP_DS_FORM, ASP_DS_FORM, ASR_DS_FORM, MGVH_DS_FORM } from './fixtures/unseen-forms/second-pass-forms.ts';
import {
  type ChampInput,
  checkbox,
  choice,
  contextFor,
  date,
  dossierNode,
  file,
  integer,
  ON_TIME,
  pdf,
  piece,
  repetitionChamp,
  rowChamp,
  siretChamp,
  storedNode,
  text,
  yesNo,
} from './rules-fixtures.ts';

/** Rows of a repetition block: each row maps a child descriptor id to its value. */
type Rows = ReadonlyArray<Record<string, ChampInput>>;
type Values = Record<string, ChampInput | Rows>;

function candidatureFor(form: UnseenForm, values: Values, dateDepot = ON_TIME[form.programme], number = 1) {
  const { mapping } = matchLabels(PROGRAMMES[form.programme], form.descriptors);
  const { mapping: resolved, problems } = resolveMapping(mapping, form.descriptors);
  expect(problems).toEqual([]);
  const index = indexDescriptors(form.descriptors);
  const node = dossierNode({}, { dateDepot, number });
  for (const [id, value] of Object.entries(values)) {
    const descriptor = index.get(id)!;
    if (!Array.isArray(value)) {
      const c = value as ChampInput;
      node.champs.push({ ...c.node, id: `champ-${descriptor.id}`, champDescriptorId: descriptor.id, label: descriptor.label });
      continue;
    }
    const rows = (value as Rows).map((row, i) =>
      Object.entries(row).map(([childId, c]) => rowChamp(childId, index.get(childId)!.label, c, i)),
    );
    node.champs.push(repetitionChamp(id, descriptor.label, rows));
  }
  return buildCandidature(storedNode(node), { programme: form.programme }, resolved);
}

function check(form: UnseenForm, values: Values, dateDepot = ON_TIME[form.programme]) {
  return verdictOf(1, evaluateCandidature(candidatureFor(form, values, dateDepot), contextFor(form.programme)));
}
const lines = (v: ReturnType<typeof check>) => v.findings.map((f) => `${f.ruleId} ${f.severity}: ${f.message}`);
const rules = (v: ReturnType<typeof check>) => v.findings.map((f) => `${f.ruleId} ${f.severity}`);

/** Issue #16 § 4: the French of every finding an instructor reads. */
function expectGoodFrench(v: ReturnType<typeof check>) {
  for (const f of v.findings) {
    expect(f.message, f.message).not.toMatch(/validée?s?\b/i);
    expect(f.message, f.message).not.toContain("'");
    for (const quoted of f.message.matchAll(/« ([^»]*) »/g)) expect(quoted[1]!.length, f.message).toBeLessThanOrEqual(72);
  }
}

// ---------------------------------------------------------------------------------------------
/** ASR session 2026 (seed 003): a two-year post starting 2 November 2026; year 2 listed first in the block. */
function asr(): Values {
  return {
    a1: text('Lefebvre'),
    a2: text('Anne-Sophie'),
    a3: text('03/02/1995'),
    a4: text('Eure'),
    a5: choice('Docteur Junior'),
    a6: choice('Pneumologie'),
    a7: text('CH d’Évreux'),
    a8: choice('2 novembre 2026'),
    a9: choice('2 ans'),
    a10: text('1000 1234 565'),
    a11: yesNo(true),
    a12: text('15/10/2025'),
    a13: date('2026-10-01'),
    a14: [
      { a14a: choice('Année 2'), a14b: text('30 %'), a14c: text('70 %') },
      { a14a: choice('Année 1'), a14b: text('20 % (1 jour)'), a14c: text('80 %') },
    ],
    a15: piece([pdf('projet.pdf')]),
    a16: piece([pdf('avis5.pdf')]),
    a17: piece([pdf('avis6.pdf')]),
    a18: piece([pdf('avis7.pdf')]),
    a19: choice('Favorable'),
    a20: text('Pr Dubois Marc'),
    a21: piece([pdf('avis8.pdf')]),
    a22: piece([pdf('avis9.pdf')]),
    a23: piece([pdf('avis10.pdf')]),
    a24: piece([pdf('avis11.pdf')]),
    a25: checkbox(true),
    a26: piece([pdf('lettre.pdf')]),
    a27: piece([pdf('parcours.pdf')]),
    a28: piece([pdf('fiche.pdf')]),
  };
}

describe('ASR 2026 on an unseen DS form (seed 003, PROGRAMMES.md ASR)', () => {
  it('a complete dossier (year 2 listed first, « 20 % (1 jour) », RPPS typed in groups) is complete and eligible', () => {
    const v = check(ASR_DS_FORM, asr());
    expect(lines(v)).toEqual([]);
    expect([v.complet, v.eligible]).toEqual([true, 'oui']);
  });

  it('bounds included: CHU 40 % / CH 60 %, DES and thesis on the start date itself', () => {
    const v = check(ASR_DS_FORM, {
      ...asr(),
      a12: text('02/11/2026'),
      a13: date('2026-11-02'),
      a14: [
        { a14a: choice('Année 1'), a14b: text('40 %'), a14c: text('60 %') },
        { a14a: choice('Année 2'), a14b: text('40'), a14c: text('60') },
      ],
    });
    expect(lines(v)).toEqual([]);
  });

  it.each(['Session de novembre 2026', 'au 2 novembre 2026', 'Novembre 2026 (sous réserve)'])(
    'a start date option worded « %s » is the session’s 2 November 2026 (seed 003: « au 2 novembre 2026 »)',
    (option) => {
      expect(lines(check(ASR_DS_FORM, { ...asr(), a8: choice(option) }))).toEqual([]);
    },
  );

  it('an unreadable start date: elig.session bloquant; the thesis/DES rule says why it could not run, « DES » in capitals', () => {
    const v = check(ASR_DS_FORM, { ...asr(), a8: choice('Rentrée 2026') });
    expect(rules(v)).toEqual(['elig.session bloquant', 'elig.these_des_avant_prise info', 'elig.these_des_avant_prise info']);
    const messages = v.findings.map((f) => f.message).join('\n');
    expect(messages).toContain('(date de soutenance de thèse (passée ou prévue))');
    expect(messages).toContain('(date d’obtention du DES (passée ou prévue))');
    expectGoodFrench(v);
  });

  it('shares typed in days of the week (« 1 jour par semaine », « 8 demi-journées par semaine ») are read as 20 % and 80 %', () => {
    const v = check(ASR_DS_FORM, {
      ...asr(),
      a14: [
        { a14a: choice('Année 1'), a14b: text('1 jour par semaine'), a14c: text('4 jours par semaine') },
        { a14a: choice('Année 2'), a14b: text('2 demi-journées / semaine'), a14c: text('8 demi-journées par semaine') },
      ],
    });
    expect(lines(v)).toEqual([]);
  });

  it('year 2 outside the bounds: two bloquants naming the year (PROGRAMMES.md: CHU at most 40 %, CH at least 60 %)', () => {
    const v = check(ASR_DS_FORM, {
      ...asr(),
      a14: [
        { a14a: choice('Année 1'), a14b: text('20 %'), a14c: text('80 %') },
        { a14a: choice('Année 2'), a14b: text('41 %'), a14c: text('59 %') },
      ],
    });
    expect(rules(v)).toEqual(['elig.quotite_asr bloquant', 'elig.quotite_asr bloquant']);
    expect(v.findings.every((f) => f.message.includes('année 2'))).toBe(true);
    expect(v.eligible).toBe('non');
    expectGoodFrench(v);
  });

  it('a one-year post is not checked for year 2, even without a year-2 row (PROGRAMMES.md « Time splits »)', () => {
    const v = check(ASR_DS_FORM, {
      ...asr(),
      a9: choice('1 an'),
      a14: [{ a14a: choice('Année 1'), a14b: text('25 %'), a14c: text('75 %') }],
    });
    expect(lines(v)).toEqual([]);
  });

  it('two rows claiming year 1: an alerte, no row read silently (docs/regles.md « Plusieurs lignes »)', () => {
    const v = check(ASR_DS_FORM, {
      ...asr(),
      a14: [
        { a14a: choice('Année 1'), a14b: text('20 %'), a14c: text('80 %') },
        { a14a: choice('Année 1'), a14b: text('50 %'), a14c: text('50 %') },
        { a14a: choice('Année 2'), a14b: text('20 %'), a14c: text('80 %') },
      ],
    });
    expect(v.eligible).not.toBe('oui');
    expect(v.findings.some((f) => f.severity !== 'info' && /lignes? 1 et 2/.test(f.message))).toBe(true);
  });

  it('a DES planned the day after the start date is a bloquant worded as planned, never as obtained', () => {
    const v = check(ASR_DS_FORM, { ...asr(), a13: date('2026-11-03') });
    expect(rules(v)).toEqual(['elig.these_des_avant_prise bloquant']);
    expect(v.findings[0]!.message).toContain('prévue le 03/11/2026');
    expect(v.findings[0]!.message).not.toMatch(/obtenu le/);
    expectGoodFrench(v);
  });

  it('thesis not passed and no date given: a bloquant (seed 003: « bien préciser la date de soutenance fixée »)', () => {
    const v = check(ASR_DS_FORM, { ...asr(), a11: yesNo(false), a12: text(null) });
    // The programme requires the thesis date (docs/champs.md): its absence is the bloquant.
    expect(rules(v)).toEqual(['complet.champ_requis bloquant']);
    expect(v.findings[0]!.evidence[0]!.label).toBe('Date de soutenance de thèse (réalisée ou prévue)');
    expect(v.eligible).toBe('non');
    expectGoodFrench(v);
  });

  it('a « Favorable avec réserves » coordinator: alerte (PROGRAMMES.md « Avis »)', () => {
    const v = check(ASR_DS_FORM, { ...asr(), a19: choice('Favorable avec réserves') });
    expect(rules(v)).toEqual(['avis.complets alerte']);
    expect(v.eligible).toBe('a_verifier');
    expectGoodFrench(v);
  });

  it('a missing avis of the PCME du CH (annexe 11): bloquant, not complete', () => {
    const v = check(ASR_DS_FORM, { ...asr(), a24: piece([]) });
    expect(rules(v)).toEqual(['avis.complets bloquant']);
    expect(v.complet).toBe(false);
    expectGoodFrench(v);
  });

  it('consent not ticked: bloquant whose message does not quote the 80-character label in full', () => {
    const v = check(ASR_DS_FORM, { ...asr(), a25: checkbox(false) });
    expect(rules(v).every((r) => r.endsWith('bloquant'))).toBe(true);
    expect(rules(v)).toContain('rgpd.consentement bloquant');
    expect(v.complet).toBe(false);
    expectGoodFrench(v);
  });

  it('filed at 00:10 Paris time the day after closing: late, with the time (PROGRAMMES.md « Deposit deadline »)', () => {
    const v = check(ASR_DS_FORM, asr(), '2026-02-15T23:10:00Z');
    expect(rules(v)).toEqual(['delai.depot bloquant']);
    expect(v.findings[0]!.message).toContain('16/02/2026 à 00:10');
    // Seeds 000 and 001: « jusqu’au … inclus »; « à minuit » could be read as the start of the closing day.
    expect(v.findings[0]!.message).toContain('ouvert jusqu’au 15/02/2026 inclus');
    expectGoodFrench(v);
  });
});

// ---------------------------------------------------------------------------------------------
/** ASAP session 2025 (seed 004): start November 2025, thesis passed, structure in a priority zone. */
function asap(): Values {
  return {
    b1: text('Nguyen'),
    b2: text('Thi Mai'),
    b3: date('1993-05-20'),
    b4: choice('Ophtalmologie'),
    b5: choice('Caen'),
    b6: choice('Novembre 2025'),
    b7: yesNo(true),
    b8: date('2024-09-12'),
    b9: text('CHU de Caen – pôle tête et cou, service d’ophtalmologie'),
    b10: text('Pr Lemoine'),
    b11: text('Maison de santé de Vire'),
    b12: siretChamp('73282932000074'),
    b13: text('Dr Petit Jean'),
    b14: yesNo(true),
    b16: text('50 %'),
    b17: text('50 %'),
    b18: piece([pdf('coord.pdf')]),
    b19: choice('Favorable'),
    b20: piece([pdf('chef-ambu.pdf')]),
    b21: piece([pdf('chef-hosp.pdf')]),
    b22: piece([pdf('dir-ambu.pdf')]),
    b23: piece([pdf('dir-hosp.pdf')]),
    b24: piece([pdf('lettre.pdf')]),
    b25: piece([pdf('cv.pdf')]),
    b26: piece([pdf('dossier.pdf')]),
    b27: piece([pdf('diplomes.pdf')]),
    b28: checkbox(true),
  };
}

describe('ASAP 2025 on an unseen DS form (seed 004, PROGRAMMES.md ASAP)', () => {
  it('a complete dossier at the 50 % bound is complete and eligible', () => {
    const v = check(ASAP_DS_FORM, asap());
    expect(lines(v)).toEqual([]);
    expect([v.complet, v.eligible]).toEqual([true, 'oui']);
  });

  it('ambulatory 45 %: bloquant (seed 004: « à hauteur de 50% minimum »)', () => {
    const v = check(ASAP_DS_FORM, { ...asap(), b16: text('55 %'), b17: text('45 %') });
    expect(rules(v)).toEqual(['elig.quotite_asap bloquant']);
    expectGoodFrench(v);
  });

  it('shares that do not add up to 100 %: bloquant', () => {
    const v = check(ASAP_DS_FORM, { ...asap(), b16: text('40 %'), b17: text('50 %') });
    expect(rules(v)).toEqual(['elig.quotite_asap bloquant']);
    expectGoodFrench(v);
  });

  it('outside a priority zone without the coordinator’s justification: alerte; with it: nothing', () => {
    const without = check(ASAP_DS_FORM, { ...asap(), b14: yesNo(false) });
    expect(rules(without)).toEqual(['elig.zone_justifiee alerte']);
    expectGoodFrench(without);
    const withIt = check(ASAP_DS_FORM, { ...asap(), b14: yesNo(false), b15: text('Seule MSP de la spécialité à moins de 40 km.') });
    expect(lines(withIt)).toEqual([]);
  });

  it('thesis passed without the diplomas: bloquant (elig.diplomes_si_these); not passed, planned date: nothing', () => {
    expect(rules(check(ASAP_DS_FORM, { ...asap(), b27: piece([]) }))).toEqual(['elig.diplomes_si_these bloquant']);
    expect(lines(check(ASAP_DS_FORM, { ...asap(), b7: yesNo(false), b8: date('2025-10-01'), b27: piece([]) }))).toEqual([]);
  });

  it('a SIRET with a bad key: bloquant (PROGRAMMES.md id.siret)', () => {
    const v = check(ASAP_DS_FORM, { ...asap(), b12: siretChamp('73282932000075') });
    expect(rules(v)).toEqual(['id.siret bloquant']);
    expectGoodFrench(v);
  });

  it('an unfavourable coordinator: alerte; consent not ticked: bloquant, the 105-character label cut', () => {
    expect(rules(check(ASAP_DS_FORM, { ...asap(), b19: choice('Défavorable') }))).toEqual(['avis.complets alerte']);
    const v = check(ASAP_DS_FORM, { ...asap(), b28: checkbox(false) });
    expect(rules(v)).toContain('rgpd.consentement bloquant');
    expectGoodFrench(v);
  });
});

// ---------------------------------------------------------------------------------------------
/** AUMG v12 (seed 002): start 1 November 2025; the tutor is registered, the candidate too. */
function aumg(): Values {
  return {
    c1: choice('Université Paris Cité'),
    c2: text('MSP des Lilas'),
    c3: siretChamp('73282932000074'),
    c4: choice('ZIP+'),
    c5: text('Moreau'),
    c6: text('Claire'),
    c7: text('10100000008'),
    c8: text('Durand'),
    c9: text('Léa'),
    c10: text('14/03/1992'),
    c11: text('10001234565'),
    c13: choice('Médecine générale'),
    c14: text('31/10/2023'),
    c15: piece([pdf('dumg.pdf')]),
    c16: piece([pdf('structure.pdf')]),
    c17: piece([pdf('engagement.pdf')]),
    c18: piece([pdf('projet.pdf')]),
    c19: piece([pdf('cv.pdf')]),
    c20: piece([pdf('lettre.pdf')]),
  };
}

describe('AUMG v12 on an unseen DS form (seed 002, PROGRAMMES.md AUMG)', () => {
  it('a complete dossier is complete and eligible', () => {
    const v = check(AUMG_DS_FORM, aumg());
    expect(lines(v)).toEqual([]);
    expect([v.complet, v.eligible]).toEqual([true, 'oui']);
  });

  it('the tutor’s RPPS never stands for the candidate’s: no RPPS, no planned date → bloquant', () => {
    const v = check(AUMG_DS_FORM, { ...aumg(), c11: text(null) });
    expect(rules(v)).toEqual(['id.rpps bloquant']);
    expectGoodFrench(v);
  });

  it('a planned registration date: strictly before the start date (PROGRAMMES.md « RPPS »)', () => {
    expect(lines(check(AUMG_DS_FORM, { ...aumg(), c11: text(null), c12: date('2025-10-31') }))).toEqual([]);
    const v = check(AUMG_DS_FORM, { ...aumg(), c11: text(null), c12: date('2025-11-01') });
    expect(rules(v)).toEqual(['id.rpps bloquant']);
    expect(v.findings[0]!.message).not.toMatch(/inscrit le|inscription le 01\/11\/2025 obtenue/);
    expectGoodFrench(v);
  });

  it.each([
    ['02/11/2021', []],
    ['01/11/2020', ['elig.post_internat alerte']],
    ['31/10/2020', ['elig.post_internat bloquant']],
  ])('end of internship typed « %s » (PROGRAMMES.md « End of internship »)', (end, expected) => {
    const v = check(AUMG_DS_FORM, { ...aumg(), c14: text(end) });
    expect(rules(v)).toEqual(expected);
    expectGoodFrench(v);
  });

  it('an end of internship typed as a month alone is not read as a day: the instructor is told (never a silent pass)', () => {
    const v = check(AUMG_DS_FORM, { ...aumg(), c14: text('octobre 2020') });
    expect(v.eligible).not.toBe('oui');
    expectGoodFrench(v);
  });

  it('a zone typed in « Autre »: bloquant (zones.refuseOther defaults to true)', () => {
    const v = check(AUMG_DS_FORM, { ...aumg(), c4: choice('Zone de revitalisation rurale') });
    expect(rules(v)).toEqual(['elig.zone bloquant']);
    expectGoodFrench(v);
  });

  it('a CV sent as a Word file: bloquant (PROGRAMMES.md complet.piece_pdf)', () => {
    const v = check(AUMG_DS_FORM, {
      ...aumg(),
      c19: piece([file('cv.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')]),
    });
    expect(rules(v)).toEqual(['complet.piece_pdf bloquant']);
    expect(v.complet).toBe(false);
    expectGoodFrench(v);
  });
});

describe('doublon.candidat on the AUMG form: the tutor is in many dossiers, the candidate in one (PROGRAMMES.md « Duplicates »)', () => {
  const keys = (values: Values, number: number) => candidateKeysOf(candidatureFor(AUMG_DS_FORM, values, ON_TIME.aumg, number));

  it('two candidates with the same tutor (same RPPS, same name) are not duplicates', () => {
    const other = { ...aumg(), c8: text('Petit'), c9: text('Hugo'), c10: text('02/02/1993'), c11: text(null), c12: date('2025-09-01') };
    expect(duplicateMatches([keys(aumg(), 1), keys(other, 2)]).size).toBe(0);
  });

  it('the same candidate typed « DURAND », « Lea », « 1992-03-14 » in a second dossier is one', () => {
    const again = { ...aumg(), c8: text('DURAND'), c9: text('Lea'), c10: text('14/03/1992'), c11: text(null), c12: date('2025-09-01') };
    expect([...duplicateMatches([keys(aumg(), 1), keys(again, 2)]).keys()].sort()).toEqual([1, 2]);
  });
});

// ---------------------------------------------------------------------------------------------
/** ASP vague 6 (seed 000): FINESS and RPPS typed with their own label around them. */
function asp(): Values {
  return {
    d1: text('GHU Paris psychiatrie et neurosciences'),
    d2: text('FINESS : 750 712 184'),
    d3: text('CH de Saint-Denis'),
    d4: text('Mme Roux Élise'),
    d5: choice('Psychiatrie'),
    d6: date('2019-11-02'),
    d7: text('Madame'),
    d8: text('BERNARD'),
    d9: text('Chloé'),
    d10: date('1990-01-15'),
    d11: text('RPPS n° 10001234565'),
    d13: piece([pdf('cv.pdf')]),
    d14: piece([pdf('lettre.pdf')]),
    d15: piece([pdf('projet.pdf')]),
  };
}

describe('ASP v6 on an unseen DS form (seed 000, PROGRAMMES.md ASP)', () => {
  it('a complete dossier with « FINESS : 750 712 184 » and « RPPS n° … » is complete and eligible', () => {
    const v = check(ASP_DS_FORM, asp());
    expect(lines(v)).toEqual([]);
    expect([v.complet, v.eligible]).toEqual([true, 'oui']);
  });

  it('an establishment typed after its FINESS (« 750712184 - GHU Paris ») is read; « 732829320 (SIREN) » is no FINESS', () => {
    expect(lines(check(ASP_DS_FORM, { ...asp(), d2: text('750712184 - GHU Paris') }))).toEqual([]);
    expect(rules(check(ASP_DS_FORM, { ...asp(), d2: text('732829320 (SIREN)') }))).toEqual(['id.finess bloquant']);
  });

  it('a FINESS of 8 characters: bloquant; a bad key: alerte (PROGRAMMES.md id.finess)', () => {
    expect(rules(check(ASP_DS_FORM, { ...asp(), d2: text('75071218') }))).toEqual(['id.finess bloquant']);
    const v = check(ASP_DS_FORM, { ...asp(), d2: text('750712185') });
    expect(rules(v)).toEqual(['id.finess alerte']);
    expectGoodFrench(v);
  });

  it('an RPPS with a bad key: alerte; none but a planned date the day before the start: nothing', () => {
    expect(rules(check(ASP_DS_FORM, { ...asp(), d11: text('10003456783') }))).toEqual(['id.rpps alerte']);
    expect(lines(check(ASP_DS_FORM, { ...asp(), d11: text(null), d12: date('2019-11-01') }))).toEqual([]);
  });

  it('a CV as a JPEG: bloquant (seed 000 « UNIQUEMENT PDF »)', () => {
    const v = check(ASP_DS_FORM, { ...asp(), d13: piece([file('cv.jpg', 'image/jpeg')]) });
    expect(rules(v)).toEqual(['complet.piece_pdf bloquant']);
    expectGoodFrench(v);
  });
});

// ---------------------------------------------------------------------------------------------
/** MGVH 2020 (seed 001): SIRET typed in groups, ranked first by its establishment. */
function mgvh(): Values {
  return {
    e1: text('CH de Gonesse'),
    e2: text('950110015'),
    e3: text('Centre de santé de Sarcelles'),
    e4: text('732 829 320 00074'),
    e5: integer('1'),
    e6: text('Dr Lambert Henri'),
    e7: date('1965-04-02'),
    e9: text('Rossi'),
    e10: text('Marco'),
    e11: date('1991-07-08'),
    e12: text('10001234565'),
    e14: piece([pdf('cv.pdf')]),
    e15: piece([pdf('lettre.pdf')]),
    e16: piece([pdf('engagement.pdf')]),
    e17: piece([pdf('attestation.pdf')]),
  };
}

describe('MGVH on an unseen DS form (seed 001, PROGRAMMES.md MGVH)', () => {
  it('a complete dossier is complete and eligible', () => {
    const v = check(MGVH_DS_FORM, mgvh());
    expect(lines(v)).toEqual([]);
    expect([v.complet, v.eligible]).toEqual([true, 'oui']);
  });

  it('a SIREN alone is accepted; a SIRET with a bad key is a bloquant (PROGRAMMES.md id.siret)', () => {
    expect(lines(check(MGVH_DS_FORM, { ...mgvh(), e4: text('SIREN 732829320') }))).toEqual([]);
    const v = check(MGVH_DS_FORM, { ...mgvh(), e4: text('SIRET : 73282932000075') });
    expect(rules(v)).toEqual(['id.siret bloquant']);
    expectGoodFrench(v);
  });

  it('the attestation d’inscription à l’Ordre missing: bloquant (PROGRAMMES.md MGVH: 4 required pieces)', () => {
    const v = check(MGVH_DS_FORM, { ...mgvh(), e17: piece([]) });
    expect(rules(v)).toEqual(['complet.piece_requise bloquant']);
    expect(v.complet).toBe(false);
    expectGoodFrench(v);
  });

  it('filed at 00:10 Paris time on 14 March 2020: late, with the time', () => {
    const v = check(MGVH_DS_FORM, mgvh(), '2020-03-13T23:10:00Z');
    expect(rules(v)).toEqual(['delai.depot bloquant']);
    expect(v.findings[0]!.message).toContain('14/03/2020 à 00:10');
    expectGoodFrench(v);
  });
});
