import type { CodegenConfig } from '@graphql-codegen/cli';

// Types come from the project's own schema of DS (never the upstream file) and from the
// operations in queries/. The output is generated before tests and builds, never edited.
const config: CodegenConfig = {
  schema: 'src/graphql/ds-schema.graphql',
  documents: ['queries/**/*.graphql'],
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        scalars: {
          BigInt: 'string',
          ISO8601Date: 'string',
          ISO8601DateTime: 'string',
          URL: 'string',
        },
        skipTypename: false,
        nonOptionalTypename: true,
        dedupeFragments: true,
      },
    },
  },
};
export default config;
