import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * A typed citegraph client for a frontend: graphql-codegen's client preset over citegraph's
 * SDL, for an ESM TypeScript project (module and moduleResolution NodeNext). Run from this
 * folder: `npx graphql-codegen --config codegen.ts`; it writes src/generated/.
 */
const config: CodegenConfig = {
  // citegraph's committed SDL. A copy of it in your repository does as well, or a running server's
  // /graphql where introspection is on.
  schema: '../../schema/schema.graphql',
  documents: ['src/**/*.ts', '!src/generated/**'],
  // Fail on a document that names no operation or fragment, instead of generating nothing.
  ignoreNoDocuments: false,
  // NodeNext resolves relative imports by their full name: the generated files import each other
  // as './graphql.js'. (Older codegen versions spelled this emitLegacyCommonJSImports: false.)
  importExtension: '.js',
  generates: {
    'src/generated/': {
      preset: 'client',
      presetConfig: {
        // A component reads its own fragment's fields with getFragmentData.
        fragmentMasking: { unmaskFunctionName: 'getFragmentData' },
      },
      config: {
        // Every custom scalar mapped, and generation fails on one that is not (a new scalar would
        // otherwise arrive typed `unknown`).
        strictScalars: true,
        scalars: {
          // RFC 3339 full-date, "2014-06-20". Kept a string: new Date() would read it as midnight UTC
          // and show the day before west of Greenwich. Compare and sort it as a string.
          Date: { input: 'string', output: 'string' },
          // RFC 3339 date-time in UTC, "2026-12-04T03:40:41.000Z": new Date(value) reads it.
          DateTime: { input: 'string', output: 'string' },
          // A JSON value, parsed (citegraph sends CSL-JSON items and arrays of them here).
          JSON: { input: '../scalars.js#JsonValue', output: '../scalars.js#JsonValue' },
        },
        // Enums as string unions: no runtime objects, nothing to import to compare a value.
        enumsAsTypes: true,
        useTypeImports: true,
        // Documents as typed strings: fetch sends them as they are, with no GraphQL parser at runtime.
        documentMode: 'string',
      },
    },
  },
};

export default config;
