import type { CodegenConfig } from '@graphql-codegen/cli';

const clientConfig = {
  scalars: { Date: 'string', DateTime: 'string', JSON: 'unknown' },
  enumsAsTypes: true,
  useTypeImports: true,
};

/** The typed clients the tests and the dashboard use, generated from the committed SDL. */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    'test/gql/': {
      documents: ['test/**/*.ts', '!test/gql/**'],
      preset: 'client',
      config: clientConfig,
      presetConfig: { fragmentMasking: false },
    },
    'dashboard/src/gql/': {
      documents: ['dashboard/src/**/*.{ts,tsx}', '!dashboard/src/gql/**'],
      preset: 'client',
      config: clientConfig,
      presetConfig: { fragmentMasking: false },
    },
  },
  emitLegacyCommonJSImports: false,
};

export default config;
