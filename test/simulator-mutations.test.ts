import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/simulator/index.ts';
import { gql, GET_DEMARCHE, instructeurIds } from './simulator-helpers.ts';

const payload = `clientMutationId dossier { id number state motivation dateTraitement datePassageEnInstruction dateDerniereModification traitements { event emailAgentTraitant motivation } } errors { message }`;
const M = {
  passer: `mutation($input: DossierPasserEnInstructionInput!) { r: dossierPasserEnInstruction(input: $input) { ${payload} } }`,
  construction: `mutation($input: DossierRepasserEnConstructionInput!) { r: dossierRepasserEnConstruction(input: $input) { ${payload} } }`,
  accepter: `mutation($input: DossierAccepterInput!) { r: dossierAccepter(input: $input) { ${payload} } }`,
  refuser: `mutation($input: DossierRefuserInput!) { r: dossierRefuser(input: $input) { ${payload} } }`,
  classer: `mutation($input: DossierClasserSansSuiteInput!) { r: dossierClasserSansSuite(input: $input) { ${payload} } }`,
  repasser: `mutation($input: DossierRepasserEnInstructionInput!) { r: dossierRepasserEnInstruction(input: $input) { ${payload} } }`,
  annotations: `mutation($input: DossierModifierAnnotationsInput!) { r: dossierModifierAnnotations(input: $input) { clientMutationId annotations { id label stringValue } errors { message } } }`,
  message: `mutation($input: DossierEnvoyerMessageInput!) { r: dossierEnvoyerMessage(input: $input) { clientMutationId message { id body createdAt correction { reason } } errors { message } } }`,
  upload: `mutation($input: CreateDirectUploadInput!) { r: createDirectUpload(input: $input) { clientMutationId directUpload { url headers blobId signedBlobId } } }`,
};

describe('simulator: mutations', () => {
  let sim: RunningSimulator;
  let number: number;
  let ids: { all: string; onlyFirst: string; onlySecond: string };
  let annotationIds: Record<string, string>;
  let groupeLabels: string[];

  beforeAll(async () => {
    sim = await startSimulator({ seed: 11, programmes: ['asr'], dossiersPerDemarche: 40, rateLimitPerMinute: 0 });
    number = sim.demarches[0]!.number;
    const { json } = await gql(sim, GET_DEMARCHE, { number });
    ids = instructeurIds(json.data.demarche);
    groupeLabels = json.data.demarche.groupeInstructeurs.map((g: { label: string }) => g.label);
    annotationIds = Object.fromEntries(
      json.data.demarche.activeRevision.annotationDescriptors.map((a: { label: string; id: string }) => [a.label, a.id]),
    );
  });
  afterAll(() => sim.close());

  const pick = (state: string, used = new Set<number>()) => {
    const found = sim.store.listDossiers(number).find((d) => d.state === state && !d.deleted && !d.pendingDeleted && !used.has(d.number));
    if (!found) throw new Error(`no ${state} dossier`);
    used.add(found.number);
    return found;
  };
  const used = new Set<number>();
  const run = async (m: string, input: Record<string, unknown>) => (await gql(sim, m, { input })).json;

  it('passes en instruction once, echoes clientMutationId, records the traitement and bumps the date', async () => {
    const d = pick('en_construction', used);
    const out = await run(M.passer, { dossierId: d.id, instructeurId: ids.all, clientMutationId: 'c-1' });
    expect(out.data.r.errors).toBeNull();
    expect(out.data.r.clientMutationId).toBe('c-1');
    expect(out.data.r.dossier.state).toBe('en_instruction');
    expect(out.data.r.dossier.datePassageEnInstruction).not.toBeNull();
    expect(out.data.r.dossier.traitements.at(-1)).toMatchObject({
      event: 'passe_en_instruction',
      emailAgentTraitant: 'sophie.lecomte@ars.sante.fr',
    });
    expect(sim.store.getDossier(d.number).dateDerniereModification.getTime()).toBeGreaterThan(d.dateDerniereModification.getTime());
    const again = await run(M.passer, { dossierId: d.id, instructeurId: ids.all });
    expect(again.data.r).toMatchObject({ dossier: null, errors: [{ message: 'Le dossier est déjà en instruction' }] });
    expect(sim.stats.mutations.filter((m) => m.dossierNumber === d.number).map((m) => m.ok)).toEqual([true, false]);
  });

  it('refuses transitions from the wrong state with DS messages', async () => {
    const construction = pick('en_construction', used);
    expect((await run(M.accepter, { dossierId: construction.id, instructeurId: ids.all })).data.r.errors).toEqual([
      { message: 'Le dossier est déjà en construction' },
    ]);
    expect((await run(M.construction, { dossierId: construction.id, instructeurId: ids.all })).data.r.errors).toEqual([
      { message: 'Le dossier est déjà en construction' },
    ]);
    expect((await run(M.repasser, { dossierId: construction.id, instructeurId: ids.all })).data.r.errors).toEqual([
      { message: 'Le dossier est déjà en construction' },
    ]);
    const accepted = pick('accepte', used);
    expect((await run(M.passer, { dossierId: accepted.id, instructeurId: ids.all })).data.r.errors).toEqual([
      { message: 'Le dossier est déjà accepté' },
    ]);
    const refused = pick('refuse', used);
    expect((await run(M.classer, { dossierId: refused.id, instructeurId: ids.all, motivation: 'x' })).data.r.errors).toEqual([
      { message: 'Le dossier est déjà refusé' },
    ]);
  });

  it('accepts, refuses and classes sans suite from en instruction, with motivation rules', async () => {
    const a = pick('en_instruction', used);
    const accepted = await run(M.accepter, { dossierId: a.id, instructeurId: ids.all, motivation: 'Avis favorable du jury' });
    expect(accepted.data.r.dossier).toMatchObject({ state: 'accepte', motivation: 'Avis favorable du jury' });
    expect(accepted.data.r.dossier.dateTraitement).not.toBeNull();
    expect(accepted.data.r.dossier.traitements.at(-1)).toMatchObject({ event: 'accepte', motivation: 'Avis favorable du jury' });

    const r = pick('en_instruction', used);
    const missing = await gql(sim, M.refuser, { input: { dossierId: r.id, instructeurId: ids.all } });
    expect(missing.json.errors[0].message).toContain('motivation');
    expect(missing.json.data).toBeUndefined();
    const blank = await run(M.refuser, { dossierId: r.id, instructeurId: ids.all, motivation: '   ' });
    expect(blank.data.r).toMatchObject({ dossier: null, errors: [{ message: 'La motivation doit être renseignée' }] });
    const refused = await run(M.refuser, { dossierId: r.id, instructeurId: ids.all, motivation: 'Quotité CHU insuffisante' });
    expect(refused.data.r.dossier.state).toBe('refuse');

    const c = pick('en_instruction', used);
    const classed = await run(M.classer, { dossierId: c.id, instructeurId: ids.all, motivation: 'Candidature retirée' });
    expect(classed.data.r.dossier).toMatchObject({
      state: 'sans_suite',
      traitements: expect.arrayContaining([expect.objectContaining({ event: 'classe_sans_suite' })]),
    });

    const back = await run(M.repasser, { dossierId: c.id, instructeurId: ids.all });
    expect(back.data.r.dossier).toMatchObject({ state: 'en_instruction', dateTraitement: null, motivation: null });
    const construction = await run(M.construction, { dossierId: c.id, instructeurId: ids.all });
    expect(construction.data.r.dossier.state).toBe('en_construction');
  });

  it('checks the instructeur: unknown → not_found, other groupe → payload error', async () => {
    const d = pick('en_construction', used);
    const unknown = await gql(sim, M.passer, { input: { dossierId: d.id, instructeurId: 'SW5zdHJ1Y3RldXItOTk5' } });
    expect(unknown.json.errors[0].extensions.code).toBe('not_found');
    const snapshot = sim.store.getDossier(d.number);
    const outsider = snapshot.groupe === groupeLabels[0] ? ids.onlySecond : ids.onlyFirst;
    const denied = await run(M.passer, { dossierId: d.id, instructeurId: outsider });
    expect(denied.data.r).toMatchObject({ dossier: null, errors: [{ message: 'L’instructeur n’a pas les droits d’accès à ce dossier' }] });
    const badDossier = await gql(sim, M.passer, { input: { dossierId: 'RG9zc2llci0x', instructeurId: ids.all } });
    expect(badDossier.json.errors[0].extensions.code).toBe('not_found');
  });

  it('keeps valid annotations and reports the others (partial success)', async () => {
    const d = pick('en_instruction', used);
    const out = await run(M.annotations, {
      dossierId: d.id,
      instructeurId: ids.all,
      clientMutationId: 'ann-1',
      annotations: [
        { id: annotationIds['Contrôle automatique – synthèse'], value: { textarea: 'Dossier complet, éligible.' } },
        { id: annotationIds['Dossier complet'], value: { yesNo: true } },
        { id: annotationIds['Éligibilité'], value: { dropDownList: 'Peut-être' } },
        { id: annotationIds['Date du contrôle'], value: { integerNumber: 3 } },
        { id: 'Q2hhbXAtOTk5OTk=', value: { text: 'x' } },
        { id: annotationIds['Ordre de priorité'], value: { integerNumber: 2 } },
      ],
    });
    expect(out.data.r.clientMutationId).toBe('ann-1');
    expect(out.data.r.annotations.map((a: { label: string }) => a.label)).toEqual([
      'Contrôle automatique – synthèse',
      'Dossier complet',
      'Ordre de priorité',
    ]);
    expect(out.data.r.errors).toHaveLength(3);
    const after = sim.store.getDossier(d.number);
    expect(after.annotations).toMatchObject({ a_synthese: 'Dossier complet, éligible.', a_complet: true, a_priorite: 2 });
    expect(after.annotations['a_eligibilite']).toBeUndefined();
    expect(after.dateDerniereModificationAnnotations.getTime()).toBeGreaterThan(d.dateDerniereModificationAnnotations.getTime());
    expect(after.dateDerniereModificationChamps.getTime()).toBe(d.dateDerniereModificationChamps.getTime());
    const both = await gql(sim, M.annotations, {
      input: {
        dossierId: d.id,
        instructeurId: ids.all,
        annotations: [{ id: annotationIds['Dossier complet'], value: { yesNo: true, checkbox: true } }],
      },
    });
    expect(both.json.errors.length).toBeGreaterThan(0);
  });

  it('sends messages; a correction puts the dossier back en construction until the usager edits it', async () => {
    const d = pick('en_instruction', used);
    const empty = await run(M.message, { dossierId: d.id, instructeurId: ids.all, body: ' ' });
    expect(empty.data.r.errors).toEqual([{ message: 'Le message ne peut pas être vide' }]);
    const msg = await run(M.message, {
      dossierId: d.id,
      instructeurId: ids.all,
      body: 'Merci de joindre l’avis du coordonnateur.',
      correction: 'incomplete',
    });
    expect(msg.data.r.message).toMatchObject({ body: 'Merci de joindre l’avis du coordonnateur.', correction: { reason: 'incomplete' } });
    expect(sim.store.getDossier(d.number)).toMatchObject({ state: 'en_construction', pendingCorrection: true });
    const blocked = await run(M.passer, { dossierId: d.id, instructeurId: ids.all });
    expect(blocked.data.r.errors).toEqual([{ message: 'Le dossier est en attente de correction' }]);
    sim.store.editDossier(d.number);
    expect((await run(M.passer, { dossierId: d.id, instructeurId: ids.all })).data.r.dossier.state).toBe('en_instruction');
  });

  it('uploads a justificatif with createDirectUpload and accepts with it', async () => {
    const d = pick('en_instruction', used);
    const bytes = Buffer.from('%PDF-1.4\n% décision\n%%EOF\n');
    const checksum = createHash('md5').update(bytes).digest('base64');
    const up = await run(M.upload, {
      dossierId: d.id,
      filename: 'decision.pdf',
      byteSize: bytes.length,
      checksum,
      contentType: 'application/pdf',
      clientMutationId: 'up-1',
    });
    const { url, headers, signedBlobId } = up.data.r.directUpload;
    expect(JSON.parse(headers)).toMatchObject({ 'Content-MD5': checksum });
    const early = await run(M.accepter, { dossierId: d.id, instructeurId: ids.all, justificatif: signedBlobId });
    expect(early.data.r.errors[0].message).toContain('téléversé');
    expect((await fetch(url, { method: 'PUT', body: Buffer.from('autre chose') })).status).toBe(422);
    expect((await fetch(url, { method: 'PUT', headers: JSON.parse(headers), body: bytes })).status).toBe(204);
    const ok = await run(M.accepter, { dossierId: d.id, instructeurId: ids.all, justificatif: signedBlobId });
    expect(ok.data.r.dossier.state).toBe('accepte');
  });
});
