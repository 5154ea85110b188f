// Shared jest settings: TypeScript through SWC (decorators for NestJS), workspace
// packages resolved to their sources so tests never need a build first.
const path = require('node:path');

const packages = path.join(__dirname, 'packages');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true, tsx: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'automatic' } },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    '^@ordo/engine$': path.join(packages, 'engine/src/index.ts'),
    '^@ordo/engine/testing$': path.join(packages, 'engine/src/testing/index.ts'),
    '^@ordo/connectors$': path.join(packages, 'connectors/src/index.ts'),
    '^@ordo/connectors/testing$': path.join(packages, 'connectors/src/testing/index.ts'),
    '^@ordo/fake-systems$': path.join(__dirname, 'examples/fake-systems/src/index.ts'),
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  reporters: ['default', path.join(__dirname, 'scripts/jest-totals-reporter.js')],
};
