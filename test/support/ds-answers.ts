/** Hand-written DS answers, shaped like the real API (NOTES.md §2), for client tests. */
const at = '2026-01-05T10:00:00+01:00';

export function champ(typename: string, id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    __typename: typename,
    id,
    champDescriptorId: `desc-${id}`,
    label: `Champ ${id}`,
    stringValue: null,
    updatedAt: at,
    prefilled: false,
    ...extra,
  };
}

export function dossierNode(number: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `RG9zc2llci0${number}`,
    number,
    state: 'en_construction',
    archived: false,
    dateDepot: at,
    datePassageEnConstruction: at,
    datePassageEnInstruction: null,
    dateTraitement: null,
    dateExpiration: null,
    dateDerniereModification: at,
    dateDerniereModificationChamps: at,
    dateDerniereModificationAnnotations: at,
    motivation: null,
    demarche: { number: 12345, revision: { id: 'UmV2aXNpb24tMQ==' } },
    groupeInstructeur: { id: 'R3JvdXBlLTE=', number: 1, label: 'défaut' },
    usager: { id: 'VXNlci0x', email: 'usager@example.org' },
    demandeur: {
      __typename: 'PersonnePhysique',
      id: 'SW5kLTE=',
      civilite: 'Mme',
      nom: 'Martin',
      prenom: 'Claire',
      dateDeNaissance: null,
      email: null,
    },
    labels: [],
    traitements: [{ event: 'depose', dateTraitement: at, emailAgentTraitant: null, motivation: null }],
    messages: [],
    champs: [
      champ('TextChamp', 'c1', { stringValue: 'Cabinet du port', textValue: 'Cabinet du port' }),
      champ('CarteChamp', 'c2', { stringValue: 'Une zone', geoAreas: [{ id: 'g1' }] }),
      champ('RepetitionChamp', 'c3', {
        rows: [{ id: 'r1', champs: [champ('IntegerNumberChamp', 'c3a', { stringValue: '3', integerValue: '3' })] }],
      }),
    ],
    annotations: [champ('CheckboxChamp', 'a1', { stringValue: 'true', checked: true })],
    ...overrides,
  };
}

export function dossiersPage(nodes: unknown[], endCursor: string | null = 'Y3Vyc29yLTE=', hasNextPage = false) {
  return { demarche: { id: 'RGVtYXJjaGUtMTIzNDU=', dossiers: { pageInfo: { hasNextPage, endCursor }, nodes } } };
}

export function accepterPayload(errors: { message: string }[] | null, dossier: Record<string, unknown> | null = null) {
  return { dossierAccepter: { clientMutationId: 'cm-1', dossier, errors } };
}
