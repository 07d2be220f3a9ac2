import { describe, expect, it } from 'vitest';
import {
  contextFor,
  file,
  findingsOf,
  HIDDEN,
  pdf,
  piece,
  severities,
  text,
  checkbox,
  uncheckedOf,
  validAsp,
  validAumg,
  validMgvh,
} from './rules-fixtures.ts';

describe('complet.champ_requis', () => {
  const rule = 'complet.champ_requis';

  it.each([
    ['valid dossier', {}, []],
    ['programme-required champ empty', { 'candidat.nom': text(null) }, ['bloquant']],
    ['programme-required champ only spaces and zero-width chars', { 'candidat.nom': text(' \u200B\u200D ') }, ['bloquant']],
    ['DS-required champ empty although not in the programme', { extra: text('', { required: true, label: 'Téléphone' }) }, ['bloquant']],
    ['DS-required checkbox unticked', { extra: checkbox(false, { required: true, label: 'Je certifie' }) }, ['bloquant']],
    ['DS-required checkbox ticked', { extra: checkbox(true, { required: true }) }, []],
    ['DS-optional champ empty', { extra: text(null, { required: false }) }, []],
    ['required champ hidden by a condition', { 'candidat.nom': HIDDEN }, []],
    ['required champ DS-required and empty: reported once', { 'candidat.nom': text(null, { required: true }) }, ['bloquant']],
  ] as const)('%s', (_name, overrides, expected) => {
    expect(severities(findingsOf(rule, 'aumg', { ...validAumg(), ...overrides }))).toEqual(expected);
  });

  it('names the champ label and tells what to do', () => {
    const [f] = findingsOf(rule, 'aumg', { ...validAumg(), extra: text(null, { required: true, label: 'Téléphone portable' }) });
    expect(f?.message).toContain('« Téléphone portable »');
    expect(f?.message).toMatch(/compléter/);
    expect(f?.evidence[0]).toMatchObject({ label: 'Téléphone portable', champId: 'extra' });
  });

  it('a programme-required field not mapped is reported once for the démarche, not on each dossier', () => {
    const champs = validAumg();
    delete champs['candidat.nom'];
    expect(findingsOf(rule, 'aumg', champs)).toEqual([]);
    expect(uncheckedOf(rule, 'aumg', champs)).toEqual([
      'Champs obligatoires remplis (complet.champ_requis) : aucun champ « Nom du candidat » (candidat.nom) dans la section mapping de la configuration',
    ]);
    expect(uncheckedOf(rule, 'aumg', validAumg())).toEqual([]);
  });

  it('leaves required pieces to complet.piece_requise', () => {
    expect(findingsOf(rule, 'aumg', { ...validAumg(), 'piece.cv': piece([], { required: true }) })).toEqual([]);
  });
});

describe('complet.piece_requise', () => {
  const rule = 'complet.piece_requise';

  it.each([
    ['all pieces attached', {}, []],
    ['a required piece empty', { 'piece.cv': piece([]) }, ['bloquant']],
    ['two required pieces empty', { 'piece.cv': piece([]), 'piece.projet': piece([]) }, ['bloquant', 'bloquant']],
    ['several files in one champ', { 'piece.cv': piece([pdf('a.pdf'), pdf('b.pdf')]) }, []],
    ['optional piece empty', { 'piece.attestation_ordre': piece([]) }, []],
    ['required piece hidden by a condition', { 'piece.cv': HIDDEN }, ['info']],
  ] as const)('AUMG: %s', (_name, overrides, expected) => {
    expect(severities(findingsOf(rule, 'aumg', { ...validAumg(), ...overrides }))).toEqual(expected);
  });

  it('MGVH requires the four pieces of the seed', () => {
    const champs = validMgvh();
    for (const key of ['piece.cv', 'piece.lettre_motivation', 'piece.lettre_engagement', 'piece.attestation_ordre']) {
      expect(severities(findingsOf(rule, 'mgvh', { ...champs, [key]: piece([]) })), key).toEqual(['bloquant']);
    }
  });

  it('uses the démarche list instead of the programme default', () => {
    const ctx = contextFor('aumg', { requiredPieces: ['piece.attestation_ordre'] });
    const champs = { ...validAumg(), 'piece.cv': piece([]), 'piece.attestation_ordre': piece([]) };
    const findings = findingsOf(rule, 'aumg', champs, { ctx });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.evidence[0]?.champId).toBe('piece.attestation_ordre');
  });

  it('a required piece not mapped is reported once for the démarche', () => {
    const champs = validAumg();
    delete champs['piece.projet'];
    expect(findingsOf(rule, 'aumg', champs)).toEqual([]);
    expect(uncheckedOf(rule, 'aumg', champs)).toEqual([
      'Pièces obligatoires jointes (complet.piece_requise) : aucun champ « Projet co-construit entre les partenaires » (piece.projet) dans la section mapping de la configuration',
    ]);
  });
});

describe('complet.piece_pdf', () => {
  const rule = 'complet.piece_pdf';

  it.each([
    ['PDF', [pdf('cv.pdf')], 0],
    ['upper-case extension', [pdf('CV.PDF')], 0],
    ['Word document', [file('cv.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')], 1],
    ['PDF content type, wrong extension', [file('cv.doc', 'application/pdf')], 1],
    ['.pdf extension, image content type', [file('cv.pdf', 'image/jpeg')], 1],
    ['no extension', [file('cv', 'application/pdf')], 1],
    ['one bad file among two', [pdf('a.pdf'), file('b.png', 'image/png')], 1],
    ['RTL override hiding the real extension', [file('cv\u202Efdp.exe', 'application/x-msdownload')], 1],
    ['emoji filename', [pdf('📄 cv.pdf')], 0],
  ] as const)('ASP: %s', (_name, files, count) => {
    const findings = findingsOf(rule, 'asp', { ...validAsp(), 'piece.cv': piece([...files], { label: 'CV du candidat' }) });
    expect(findings).toHaveLength(count);
    for (const f of findings) {
      expect(f.severity).toBe('bloquant');
      expect(f.message).toContain('« CV du candidat »');
    }
  });

  it('checks unmapped piece champs too when every piece must be PDF (ASP)', () => {
    const findings = findingsOf(rule, 'asp', { ...validAsp(), autre: piece([file('photo.jpg', 'image/jpeg')], { label: 'Autre pièce' }) });
    expect(severities(findings)).toEqual(['bloquant']);
  });

  it('AUMG: only volet 8 pieces must be PDF', () => {
    const xlsx = file('dumg.xlsx', 'application/vnd.ms-excel');
    expect(findingsOf(rule, 'aumg', { ...validAumg(), 'piece.presentation_dumg': piece([xlsx]) })).toEqual([]);
    expect(severities(findingsOf(rule, 'aumg', { ...validAumg(), 'piece.cv': piece([xlsx]) }))).toEqual(['bloquant']);
  });

  it.each([
    ['ASR default: no PDF constraint', 'asr', undefined, 0],
    ['ASR with pdfOnly: true', 'asr', true, 1],
    ['ASP with pdfOnly: false', 'asp', false, 0],
  ] as const)('%s', (_name, programme, pdfOnly, count) => {
    const ctx = contextFor(programme, pdfOnly === undefined ? {} : { pdfOnly });
    const champs = { 'piece.cv': piece([file('cv.odt', 'application/vnd.oasis.opendocument.text')]) };
    expect(findingsOf(rule, programme, champs, { ctx })).toHaveLength(count);
  });
});
