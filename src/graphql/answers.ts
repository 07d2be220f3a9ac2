/**
 * zod schemas of DS answers, one per operation in queries/. Each is checked at compile time
 * against the codegen type (see the `Check` lines at the end), so a schema cannot drift from
 * its .graphql document.
 *
 * Leniency where real DS is richer than the project schema: DS returns champ, descriptor and
 * demandeur types the project does not declare (CarteChamp, RNAChamp, IbanChampDescriptor…).
 * Those are kept with their common fields, retyped as `OtherChamp` / `OtherChampDescriptor` /
 * `OtherDemandeur` with the real type name in `dsTypename`, so TypeScript can still narrow on
 * `__typename`. Extra fields are stripped. Known types stay strict.
 */
import { z } from 'zod';
import type {
  Civilite,
  CorrectionReason,
  CreateDirectUploadMutation,
  DeletedDossierReason,
  DemarcheState,
  DossierAccepterMutation,
  DossierClasserSansSuiteMutation,
  DossierFieldsFragment,
  DossierEnvoyerMessageMutation,
  DossierModifierAnnotationsMutation,
  DossierPasserEnInstructionMutation,
  DossierRefuserMutation,
  DossierRepasserEnConstructionMutation,
  DossierRepasserEnInstructionMutation,
  DossierState,
  GetDeletedDossiersQuery,
  GetDemarcheQuery,
  GetDossierLabelsQuery,
  GetDossierQuery,
  GetDossiersQuery,
  GetPendingDeletedDossiersQuery,
  LabelColorEnum,
  TraitementEvent,
} from '../generated/graphql.ts';

// --- Lenient answer types -------------------------------------------------------------------

// Type aliases, not interfaces: they stay assignable to Record<string, unknown>.
export type OtherChamp = {
  __typename: 'OtherChamp';
  /** The type name DS sent, e.g. "CarteChamp". */
  dsTypename: string;
  id: string;
  champDescriptorId: string;
  label: string;
  stringValue: string | null;
  updatedAt: string;
  prefilled: boolean;
};

export type OtherChampDescriptor = {
  __typename: 'OtherChampDescriptor';
  dsTypename: string;
  id: string;
  label: string;
  description: string | null;
  required: boolean;
};

export type OtherDemandeur = {
  __typename: 'OtherDemandeur';
  dsTypename: string;
  id: string;
};

type KnownDemandeur = { __typename: 'PersonnePhysique' | 'PersonneMorale' | 'PersonneMoraleIncomplete' };

/**
 * The parsed shape of a generated operation type `T`: every champ, descriptor and demandeur
 * union also admits its `Other*` variant. For operations without those, it is `T` itself.
 */
export type Answer<T> = T extends readonly (infer E)[]
  ? Answer<E>[]
  : T extends { __typename: `${string}Champ`; champDescriptorId: string }
    ? AnswerObject<T> | OtherChamp
    : T extends { __typename: `${string}ChampDescriptor`; required: boolean }
      ? AnswerObject<T> | OtherChampDescriptor
      : T extends object
        ? AnswerObject<T>
        : T;

type AnswerObject<T> = {
  [K in keyof T]: K extends 'demandeur'
    ? T[K] extends infer D
      ? D extends KnownDemandeur
        ? AnswerObject<D> | OtherDemandeur
        : Answer<D>
      : never
    : Answer<T[K]>;
};

/**
 * The one shape of a DS dossier in the project: a node as `DossierFields` selects it, validated by
 * the schemas below when it crosses the boundary (sync, GetDossier), then stored as is in the
 * mirror's `raw_json` (file URLs blanked) and trusted by every reader after that.
 */
export type DossierNode = Answer<DossierFieldsFragment>;
export type ChampNode = DossierNode['champs'][number];
type RepetitionNode = Extract<ChampNode, { __typename: 'RepetitionChamp' }>;
/** A champ inside a repetition row (same fields, minus nested rows). */
export type RowChampNode = RepetitionNode['rows'][number]['champs'][number];
export type FileNode = Extract<ChampNode, { __typename: 'PieceJustificativeChamp' }>['files'][number];

// --- Scalars and helpers --------------------------------------------------------------------

/**
 * `__typename` of an object whose selection does not ask for it: codegen still types it, so the
 * schema fills in the only possible value.
 */
const typename = <N extends string>(name: N) => z.literal(name).default(name);
const id = z.string().min(1);
const dateTime = z.iso.datetime({ offset: true });
const date = z.iso.date();
// DS encodes BigInt as a string; a number is accepted and normalised.
const bigInt = z.union([z.string().regex(/^-?\d+$/), z.number().int()]).transform(String);

const dossierState = z.enum(['en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite'] satisfies DossierState[]);
const demarcheState = z.enum(['brouillon', 'close', 'depubliee', 'publiee'] satisfies DemarcheState[]);
const civilite = z.enum(['M', 'Mme'] satisfies Civilite[]);
export const deletedReason = z.enum([
  'expired',
  'instructeur_request',
  'manager_request',
  'procedure_removed',
  'user_expired',
  'user_removed',
  'user_request',
] satisfies DeletedDossierReason[]);
const traitementEvent = z.enum([
  'accepte',
  'accepte_automatiquement',
  'classe_sans_suite',
  'depose',
  'depose_correction_instructeur',
  'depose_correction_usager',
  'passe_en_instruction',
  'passe_en_instruction_automatiquement',
  'refuse',
  'refuse_automatiquement',
  'repasse_en_construction',
  'repasse_en_instruction',
] satisfies TraitementEvent[]);
const labelColor = z.enum([
  'beige_gris_galet',
  'blue_ecume',
  'brown_cafe_creme',
  'green_bourgeon',
  'green_emeraude',
  'green_menthe',
  'green_tilleul_verveine',
  'pink_macaron',
  'purple_glycine',
  'yellow_tournesol',
] satisfies LabelColorEnum[]);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * Retypes an object whose `__typename` is not in `known` as `other`, keeping the real name in
 * `dsTypename`; the discriminated union then stays precise on the known types.
 */
function withOther<T extends z.ZodType>(known: ReadonlySet<string>, other: string, schema: T) {
  return z.preprocess((value) => {
    if (isRecord(value) && typeof value.__typename === 'string' && !known.has(value.__typename)) {
      return { ...value, __typename: other, dsTypename: value.__typename };
    }
    return value;
  }, schema);
}

const pageInfo = z.object({ __typename: typename('PageInfo'), hasNextPage: z.boolean(), endCursor: z.string().nullable() });
const validationErrors = z.array(z.object({ __typename: typename('ValidationError'), message: z.string() })).nullable();

const file = z.object({
  __typename: typename('File'),
  filename: z.string(),
  contentType: z.string(),
  checksum: z.string(),
  byteSizeBigInt: bigInt,
  url: z.string().min(1),
  createdAt: dateTime,
});

// --- Champs ---------------------------------------------------------------------------------

const champCommon = {
  id,
  champDescriptorId: z.string(),
  label: z.string(),
  stringValue: z.string().nullable(),
  updatedAt: dateTime,
  prefilled: z.boolean(),
};

const departement = z.object({ __typename: typename('Departement'), code: z.string(), name: z.string() }).nullable();

const knownChampVariants = {
  TextChamp: { textValue: z.string().nullable() },
  DateChamp: { date: date.nullable() },
  DatetimeChamp: { datetime: dateTime.nullable() },
  CheckboxChamp: { checked: z.boolean() },
  YesNoChamp: { yesNo: z.boolean().nullable() },
  DropDownListChamp: { choice: z.string().nullable() },
  MultipleDropDownListChamp: { values: z.array(z.string()) },
  LinkedDropDownListChamp: { primaryValue: z.string().nullable(), secondaryValue: z.string().nullable() },
  IntegerNumberChamp: { integerValue: bigInt.nullable() },
  DecimalNumberChamp: { decimalValue: z.number().nullable() },
  CiviliteChamp: { civilite: civilite.nullable() },
  SiretChamp: {
    etablissement: z
      .object({
        __typename: typename('PersonneMorale'),
        siret: z.string(),
        entreprise: z.object({ __typename: typename('Entreprise'), raisonSociale: z.string() }).nullable(),
      })
      .nullable(),
  },
  AddressChamp: {
    address: z
      .object({
        __typename: typename('Address'),
        label: z.string(),
        postalCode: z.string(),
        cityName: z.string(),
        cityCode: z.string(),
        departmentCode: z.string().nullable(),
        departmentName: z.string().nullable(),
      })
      .nullable(),
  },
  CommuneChamp: {
    commune: z
      .object({ __typename: typename('Commune'), name: z.string(), code: z.string(), postalCode: z.string().nullable() })
      .nullable(),
    departement,
  },
  DepartementChamp: { departement },
  RegionChamp: { region: z.object({ __typename: typename('Region'), code: z.string(), name: z.string() }).nullable() },
  PaysChamp: { pays: z.object({ __typename: typename('Pays'), code: z.string(), name: z.string() }).nullable() },
  PieceJustificativeChamp: { files: z.array(file) },
  DossierLinkChamp: {},
  RepetitionChamp: {},
} as const;

type ChampTypename = keyof typeof knownChampVariants;
const KNOWN_CHAMPS: ReadonlySet<string> = new Set(Object.keys(knownChampVariants));

const otherChamp = z.object({ __typename: z.literal('OtherChamp'), dsTypename: z.string(), ...champCommon });

function champVariant<N extends ChampTypename>(name: N) {
  return z.object({ __typename: z.literal(name), ...champCommon, ...knownChampVariants[name] });
}

const champVariantList = [
  champVariant('TextChamp'),
  champVariant('DateChamp'),
  champVariant('DatetimeChamp'),
  champVariant('CheckboxChamp'),
  champVariant('YesNoChamp'),
  champVariant('DropDownListChamp'),
  champVariant('MultipleDropDownListChamp'),
  champVariant('LinkedDropDownListChamp'),
  champVariant('IntegerNumberChamp'),
  champVariant('DecimalNumberChamp'),
  champVariant('CiviliteChamp'),
  champVariant('SiretChamp'),
  champVariant('AddressChamp'),
  champVariant('CommuneChamp'),
  champVariant('DepartementChamp'),
  champVariant('RegionChamp'),
  champVariant('PaysChamp'),
  champVariant('PieceJustificativeChamp'),
  champVariant('DossierLinkChamp'),
] as const;

/** `...ChampFields`, as selected inside a repetition row or by the annotations mutation. */
const champ = withOther(
  KNOWN_CHAMPS,
  'OtherChamp',
  z.discriminatedUnion('__typename', [...champVariantList, champVariant('RepetitionChamp'), otherChamp]),
);

/** `...ChampFields` plus the rows of repetitions, as selected by DossierFields. */
const champWithRows = withOther(
  KNOWN_CHAMPS,
  'OtherChamp',
  z.discriminatedUnion('__typename', [
    ...champVariantList,
    champVariant('RepetitionChamp').extend({
      rows: z.array(z.object({ __typename: typename('Row'), id, champs: z.array(champ) })),
    }),
    otherChamp,
  ]),
);

// --- Champ descriptors ----------------------------------------------------------------------

const descriptorCommon = { id, label: z.string(), description: z.string().nullable(), required: z.boolean() };

const plainDescriptorTypenames = [
  'TextChampDescriptor',
  'TextareaChampDescriptor',
  'EmailChampDescriptor',
  'PhoneChampDescriptor',
  'DateChampDescriptor',
  'DatetimeChampDescriptor',
  'CheckboxChampDescriptor',
  'YesNoChampDescriptor',
  'IntegerNumberChampDescriptor',
  'DecimalNumberChampDescriptor',
  'SiretChampDescriptor',
  'AddressChampDescriptor',
  'CommuneChampDescriptor',
  'DepartementChampDescriptor',
  'CiviliteChampDescriptor',
  'HeaderSectionChampDescriptor',
  'ExplicationChampDescriptor',
  'DossierLinkChampDescriptor',
  'PieceJustificativeChampDescriptor',
] as const;

const KNOWN_DESCRIPTORS: ReadonlySet<string> = new Set([
  ...plainDescriptorTypenames,
  'DropDownListChampDescriptor',
  'MultipleDropDownListChampDescriptor',
  'LinkedDropDownListChampDescriptor',
  'RepetitionChampDescriptor',
]);

const descriptorVariantList = [
  z.object({ __typename: z.enum(plainDescriptorTypenames), ...descriptorCommon }),
  z.object({
    __typename: z.literal('DropDownListChampDescriptor'),
    ...descriptorCommon,
    options: z.array(z.string()).nullable(),
    otherOption: z.boolean().nullable(),
  }),
  z.object({
    __typename: z.literal('MultipleDropDownListChampDescriptor'),
    ...descriptorCommon,
    options: z.array(z.string()).nullable(),
  }),
  z.object({
    __typename: z.literal('LinkedDropDownListChampDescriptor'),
    ...descriptorCommon,
    options: z.array(z.string()).nullable(),
  }),
  z.object({ __typename: z.literal('OtherChampDescriptor'), dsTypename: z.string(), ...descriptorCommon }),
] as const;

const descriptor = withOther(
  KNOWN_DESCRIPTORS,
  'OtherChampDescriptor',
  z.discriminatedUnion('__typename', [
    ...descriptorVariantList,
    z.object({ __typename: z.literal('RepetitionChampDescriptor'), ...descriptorCommon }),
  ]),
);

const descriptorWithChildren = withOther(
  KNOWN_DESCRIPTORS,
  'OtherChampDescriptor',
  z.discriminatedUnion('__typename', [
    ...descriptorVariantList,
    z.object({
      __typename: z.literal('RepetitionChampDescriptor'),
      ...descriptorCommon,
      champDescriptors: z.array(descriptor).nullable(),
    }),
  ]),
);

const revision = z.object({
  __typename: typename('Revision'),
  id,
  dateCreation: dateTime,
  datePublication: dateTime.nullable(),
  champDescriptors: z.array(descriptorWithChildren),
  annotationDescriptors: z.array(descriptorWithChildren),
});

// --- Dossier --------------------------------------------------------------------------------

const demandeur = withOther(
  new Set(['PersonnePhysique', 'PersonneMorale', 'PersonneMoraleIncomplete']),
  'OtherDemandeur',
  z.discriminatedUnion('__typename', [
    z.object({
      __typename: z.literal('PersonnePhysique'),
      id,
      civilite: civilite.nullable(),
      nom: z.string(),
      prenom: z.string(),
      dateDeNaissance: date.nullable(),
      email: z.string().nullable(),
    }),
    z.object({
      __typename: z.literal('PersonneMorale'),
      id,
      siret: z.string(),
      entreprise: z.object({ __typename: typename('Entreprise'), raisonSociale: z.string() }).nullable(),
    }),
    z.object({ __typename: z.literal('PersonneMoraleIncomplete'), id, siret: z.string() }),
    z.object({ __typename: z.literal('OtherDemandeur'), dsTypename: z.string(), id }),
  ]),
);

const dossier = z.object({
  __typename: typename('Dossier'),
  id,
  number: z.number().int(),
  state: dossierState,
  archived: z.boolean(),
  dateDepot: dateTime,
  datePassageEnConstruction: dateTime,
  datePassageEnInstruction: dateTime.nullable(),
  dateTraitement: dateTime.nullable(),
  dateExpiration: dateTime.nullable(),
  dateDerniereModification: dateTime,
  dateDerniereModificationChamps: dateTime,
  dateDerniereModificationAnnotations: dateTime,
  motivation: z.string().nullable(),
  demarche: z.object({
    __typename: typename('DemarcheDescriptor'),
    number: z.number().int(),
    revision: z.object({ __typename: typename('Revision'), id }),
  }),
  groupeInstructeur: z.object({ __typename: typename('GroupeInstructeur'), id, number: z.number().int(), label: z.string() }),
  usager: z.object({ __typename: typename('Profile'), id: z.string(), email: z.string() }),
  demandeur,
  labels: z.array(z.object({ __typename: typename('Label'), id, name: z.string() })),
  traitements: z.array(
    z.object({
      __typename: typename('Traitement'),
      event: traitementEvent,
      dateTraitement: dateTime,
      emailAgentTraitant: z.string().nullable(),
      motivation: z.string().nullable(),
    }),
  ),
  messages: z.array(
    z.object({
      __typename: typename('Message'),
      id,
      email: z.string(),
      body: z.string(),
      createdAt: dateTime,
      // A pending correction (dateResolution null) blocks dossierPasserEnInstruction (NOTES §3).
      // Mirrors synced before this field was selected do not have it: readers treat it as absent.
      correction: z
        .object({
          __typename: typename('Correction'),
          reason: z.enum(['incomplete', 'incorrect', 'outdated'] satisfies CorrectionReason[]),
          dateResolution: dateTime.nullable(),
        })
        .nullable()
        .default(null),
    }),
  ),
  champs: z.array(champWithRows),
  annotations: z.array(champWithRows),
});

const deletedDossierPage = z.object({
  __typename: typename('DeletedDossierConnection'),
  pageInfo,
  nodes: z
    .array(
      z
        .object({
          __typename: typename('DeletedDossier'),
          id,
          number: z.number().int(),
          state: dossierState,
          reason: deletedReason,
          dateSupression: dateTime,
        })
        .nullable(),
    )
    .nullable(),
});

// --- Operations -----------------------------------------------------------------------------

const query = <S extends z.ZodRawShape>(shape: S) => z.object({ __typename: typename('Query'), ...shape });
const mutation = <S extends z.ZodRawShape>(shape: S) => z.object({ __typename: typename('Mutation'), ...shape });

export const getDossiersAnswer = query({
  demarche: z.object({
    __typename: typename('Demarche'),
    id,
    dossiers: z.object({
      __typename: typename('DossierConnection'),
      pageInfo,
      nodes: z.array(dossier.nullable()).nullable(),
    }),
  }),
});

export const getDossierAnswer = query({ dossier });

export const getDossierLabelsAnswer = query({
  demarche: z.object({
    __typename: typename('Demarche'),
    id,
    dossiers: z.object({
      __typename: typename('DossierConnection'),
      pageInfo,
      nodes: z
        .array(
          z
            .object({
              __typename: typename('Dossier'),
              id,
              number: z.number().int(),
              labels: z.array(z.object({ __typename: typename('Label'), id, name: z.string() })),
            })
            .nullable(),
        )
        .nullable(),
    }),
  }),
});

export const getDemarcheAnswer = query({
  demarche: z.object({
    __typename: typename('Demarche'),
    id,
    number: z.number().int(),
    title: z.string(),
    state: demarcheState,
    dateCreation: dateTime,
    dateDerniereModification: dateTime,
    dateFermeture: dateTime.nullable(),
    activeRevision: revision,
    groupeInstructeurs: z.array(
      z.object({
        __typename: typename('GroupeInstructeur'),
        id,
        number: z.number().int(),
        label: z.string(),
        closed: z.boolean(),
        instructeurs: z.array(z.object({ __typename: typename('Profile'), id, email: z.string() })),
      }),
    ),
    labels: z.array(z.object({ __typename: typename('Label'), id, name: z.string(), color: labelColor })),
  }),
});

export const getDeletedDossiersAnswer = query({
  demarche: z.object({ __typename: typename('Demarche'), id, deletedDossiers: deletedDossierPage }),
});

export const getPendingDeletedDossiersAnswer = query({
  demarche: z.object({ __typename: typename('Demarche'), id, pendingDeletedDossiers: deletedDossierPage }),
});

// The dossier a state-change mutation returns; decisions also return their motivation and date.
const transitionDossier = z.object({
  __typename: typename('Dossier'),
  id,
  number: z.number().int(),
  state: dossierState,
  dateDerniereModification: dateTime,
});
const decisionDossier = transitionDossier.extend({ motivation: z.string().nullable(), dateTraitement: dateTime.nullable() });

const dossierPayload = <N extends string, D extends z.ZodTypeAny>(name: N, dossier: D) =>
  z
    .object({
      __typename: typename(name),
      clientMutationId: z.string().nullable(),
      dossier: dossier.nullable(),
      errors: validationErrors,
    })
    .nullable();

const decisionPayload = <N extends string>(name: N) => dossierPayload(name, decisionDossier);
const transitionPayload = <N extends string>(name: N) => dossierPayload(name, transitionDossier);

export const dossierAccepterAnswer = mutation({ dossierAccepter: decisionPayload('DossierAccepterPayload') });
export const dossierRefuserAnswer = mutation({ dossierRefuser: decisionPayload('DossierRefuserPayload') });
export const dossierClasserSansSuiteAnswer = mutation({
  dossierClasserSansSuite: decisionPayload('DossierClasserSansSuitePayload'),
});
export const dossierPasserEnInstructionAnswer = mutation({
  dossierPasserEnInstruction: transitionPayload('DossierPasserEnInstructionPayload'),
});
export const dossierRepasserEnConstructionAnswer = mutation({
  dossierRepasserEnConstruction: transitionPayload('DossierRepasserEnConstructionPayload'),
});
export const dossierRepasserEnInstructionAnswer = mutation({
  dossierRepasserEnInstruction: transitionPayload('DossierRepasserEnInstructionPayload'),
});

export const dossierModifierAnnotationsAnswer = mutation({
  dossierModifierAnnotations: z
    .object({
      __typename: typename('DossierModifierAnnotationsPayload'),
      clientMutationId: z.string().nullable(),
      annotations: z.array(champ).nullable(),
      errors: validationErrors,
    })
    .nullable(),
});

export const dossierEnvoyerMessageAnswer = mutation({
  dossierEnvoyerMessage: z
    .object({
      __typename: typename('DossierEnvoyerMessagePayload'),
      clientMutationId: z.string().nullable(),
      message: z.object({ __typename: typename('Message'), id, body: z.string(), createdAt: dateTime }).nullable(),
      errors: validationErrors,
    })
    .nullable(),
});

export const createDirectUploadAnswer = mutation({
  createDirectUpload: z
    .object({
      __typename: typename('CreateDirectUploadPayload'),
      clientMutationId: z.string().nullable(),
      directUpload: z.object({
        __typename: typename('DirectUpload'),
        url: z.string(),
        headers: z.string(),
        blobId: id,
        signedBlobId: id,
      }),
    })
    .nullable(),
});

/** Schema of each operation's answer, by operation name (the client picks it from the document). */
export const answerSchemas = {
  GetDossiers: getDossiersAnswer,
  GetDossier: getDossierAnswer,
  GetDossierLabels: getDossierLabelsAnswer,
  GetDemarche: getDemarcheAnswer,
  GetDeletedDossiers: getDeletedDossiersAnswer,
  GetPendingDeletedDossiers: getPendingDeletedDossiersAnswer,
  DossierAccepter: dossierAccepterAnswer,
  DossierRefuser: dossierRefuserAnswer,
  DossierClasserSansSuite: dossierClasserSansSuiteAnswer,
  DossierPasserEnInstruction: dossierPasserEnInstructionAnswer,
  DossierRepasserEnConstruction: dossierRepasserEnConstructionAnswer,
  DossierRepasserEnInstruction: dossierRepasserEnInstructionAnswer,
  DossierModifierAnnotations: dossierModifierAnnotationsAnswer,
  DossierEnvoyerMessage: dossierEnvoyerMessageAnswer,
  CreateDirectUpload: createDirectUploadAnswer,
} as const satisfies Record<string, z.ZodType>;

export type OperationName = keyof typeof answerSchemas;

// --- Compile-time checks: each schema parses exactly the generated type ---------------------

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;
type Out<K extends OperationName> = z.output<(typeof answerSchemas)[K]>;

/** @public Never imported: exported so that tsc checks it (an unused type would be an error). */
export type AnswerSchemaChecks = [
  Check<Same<Out<'GetDossiers'>, Answer<GetDossiersQuery>>>,
  Check<Same<Out<'GetDossier'>, Answer<GetDossierQuery>>>,
  Check<Same<Out<'GetDossierLabels'>, Answer<GetDossierLabelsQuery>>>,
  Check<Same<Out<'GetDemarche'>, Answer<GetDemarcheQuery>>>,
  Check<Same<Out<'GetDeletedDossiers'>, Answer<GetDeletedDossiersQuery>>>,
  Check<Same<Out<'GetPendingDeletedDossiers'>, Answer<GetPendingDeletedDossiersQuery>>>,
  Check<Same<Out<'DossierAccepter'>, Answer<DossierAccepterMutation>>>,
  Check<Same<Out<'DossierRefuser'>, Answer<DossierRefuserMutation>>>,
  Check<Same<Out<'DossierClasserSansSuite'>, Answer<DossierClasserSansSuiteMutation>>>,
  Check<Same<Out<'DossierPasserEnInstruction'>, Answer<DossierPasserEnInstructionMutation>>>,
  Check<Same<Out<'DossierRepasserEnConstruction'>, Answer<DossierRepasserEnConstructionMutation>>>,
  Check<Same<Out<'DossierRepasserEnInstruction'>, Answer<DossierRepasserEnInstructionMutation>>>,
  Check<Same<Out<'DossierModifierAnnotations'>, Answer<DossierModifierAnnotationsMutation>>>,
  Check<Same<Out<'DossierEnvoyerMessage'>, Answer<DossierEnvoyerMessageMutation>>>,
  Check<Same<Out<'CreateDirectUpload'>, Answer<CreateDirectUploadMutation>>>,
];
