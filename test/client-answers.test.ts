import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getDemarcheAnswer, getDossiersAnswer } from '../src/graphql/answers.ts';
import { dossierNumberAt, formatPath, malformedAnswerError } from '../src/graphql/client.ts';
import { champ, dossierNode, dossiersPage } from './support/ds-answers.ts';

describe('answer schemas', () => {
  it('parse a page of dossiers, filling in the __typename the query does not select', () => {
    const page = getDossiersAnswer.parse(dossiersPage([dossierNode(101)]));
    expect(page.__typename).toBe('Query');
    expect(page.demarche.dossiers.pageInfo).toEqual({ __typename: 'PageInfo', hasNextPage: false, endCursor: 'Y3Vyc29yLTE=' });
    const node = page.demarche.dossiers.nodes?.[0];
    expect(node?.number).toBe(101);
    expect(node?.demandeur).toMatchObject({ __typename: 'PersonnePhysique', nom: 'Martin' });
  });

  it('keep champ types the project does not know, with their common fields, and strip the rest', () => {
    const page = getDossiersAnswer.parse(dossiersPage([dossierNode(101)]));
    const champs = page.demarche.dossiers.nodes?.[0]?.champs ?? [];
    expect(champs.map((c) => c.__typename)).toEqual(['TextChamp', 'OtherChamp', 'RepetitionChamp']);
    expect(champs[1]).toEqual({
      __typename: 'OtherChamp',
      dsTypename: 'CarteChamp',
      id: 'c2',
      champDescriptorId: 'desc-c2',
      label: 'Champ c2',
      stringValue: 'Une zone',
      updatedAt: '2026-01-05T10:00:00+01:00',
      prefilled: false,
    });
    const repetition = champs[2];
    if (repetition?.__typename !== 'RepetitionChamp') throw new Error('expected a repetition');
    expect(repetition.rows[0]?.champs[0]).toMatchObject({ __typename: 'IntegerNumberChamp', integerValue: '3' });
  });

  it('accept unknown demandeur and descriptor types', () => {
    const page = getDossiersAnswer.parse(
      dossiersPage([dossierNode(7, { demandeur: { __typename: 'PersonneInconnue', id: 'x', foo: 1 } })]),
    );
    expect(page.demarche.dossiers.nodes?.[0]?.demandeur).toEqual({ __typename: 'OtherDemandeur', dsTypename: 'PersonneInconnue', id: 'x' });

    const descriptor = (typename: string, extra: Record<string, unknown> = {}) => ({
      __typename: typename,
      id: `d-${typename}`,
      label: typename,
      description: null,
      required: false,
      ...extra,
    });
    const demarche = getDemarcheAnswer.parse({
      demarche: {
        id: 'RGVtYXJjaGUtMQ==',
        number: 1,
        title: 'Postes médicaux partagés',
        state: 'publiee',
        dateCreation: '2026-01-01T00:00:00Z',
        dateDerniereModification: '2026-01-01T00:00:00Z',
        dateFermeture: null,
        activeRevision: {
          id: 'rev',
          dateCreation: '2026-01-01T00:00:00Z',
          datePublication: null,
          champDescriptors: [
            descriptor('IbanChampDescriptor'),
            descriptor('DropDownListChampDescriptor', { options: ['a', 'b'], otherOption: false }),
            descriptor('RepetitionChampDescriptor', { champDescriptors: [descriptor('NumberChampDescriptor')] }),
          ],
          annotationDescriptors: [],
        },
        groupeInstructeurs: [],
        labels: [{ id: 'l1', name: 'À examiner', color: 'blue_ecume' }],
      },
    });
    const descriptors = demarche.demarche.activeRevision.champDescriptors;
    expect(descriptors.map((d) => d.__typename)).toEqual([
      'OtherChampDescriptor',
      'DropDownListChampDescriptor',
      'RepetitionChampDescriptor',
    ]);
    const repetition = descriptors[2];
    if (repetition?.__typename !== 'RepetitionChampDescriptor') throw new Error('expected a repetition');
    expect(repetition.champDescriptors?.[0]).toMatchObject({ __typename: 'OtherChampDescriptor', dsTypename: 'NumberChampDescriptor' });
  });

  it('stay strict on the fields of known types', () => {
    const bad = dossiersPage([dossierNode(1), dossierNode(2, { champs: [champ('CheckboxChamp', 'x', { checked: 'oui' })] })]);
    const result = getDossiersAnswer.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['demarche', 'dossiers', 'nodes', 1, 'champs', 0, 'checked']);
  });

  it('reject an unknown dossier state and a date that is not ISO 8601', () => {
    expect(getDossiersAnswer.safeParse(dossiersPage([dossierNode(1, { state: 'brouillon' })])).success).toBe(false);
    expect(getDossiersAnswer.safeParse(dossiersPage([dossierNode(1, { dateDepot: '05/01/2026' })])).success).toBe(false);
  });
});

describe('malformed answer errors', () => {
  it('name the JSON path and the dossier number', () => {
    const data = dossiersPage([dossierNode(1), dossierNode(2), dossierNode(3), dossierNode(4567, { state: 42 })]);
    const result = getDossiersAnswer.safeParse(data, { error: z.locales.fr().localeError });
    if (result.success) throw new Error('expected a failure');
    const error = malformedAnswerError(result.error, data, 'GetDossiers, démarche 12345, page 3');
    expect(error.code).toBe('malformed_answer');
    expect(error.message).toContain('GetDossiers, démarche 12345, page 3');
    expect(error.message).toContain('dossier 4567');
    expect(error.message).toContain('demarche.dossiers.nodes[3].state');
    expect(error.details).toMatchObject({ path: 'demarche.dossiers.nodes[3].state', dossier: 4567 });
  });

  it('formatPath and dossierNumberAt', () => {
    expect(formatPath(['dossier', 'champs', 2, 'value'])).toBe('dossier.champs[2].value');
    expect(dossierNumberAt({ dossier: { number: 9, champs: [] } }, ['dossier', 'champs', 0])).toBe(9);
    expect(dossierNumberAt({ demarche: { number: 12345 } }, ['demarche', 'title'])).toBeUndefined();
  });
});
