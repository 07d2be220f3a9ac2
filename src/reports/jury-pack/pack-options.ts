/** The choices of `ds-ars dossier-jury`, apart from the pack's code so that `--help` loads nothing else. */
export const PACK_SCOPES = ['en_instruction', 'tous'] as const;
export type PackScope = (typeof PACK_SCOPES)[number];

export const PACK_VERDICTS = ['oui', 'non', 'a_verifier', 'non_evalue'] as const;
export type PackVerdict = (typeof PACK_VERDICTS)[number];

export const PACK_SPLITS = ['specialite', 'groupe'] as const;
export type PackSplit = (typeof PACK_SPLITS)[number];
