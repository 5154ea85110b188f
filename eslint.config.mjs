// ESLint flat config. The engine's purity (STYLE.md #1) is enforced here, not hoped for.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const ioModules = [
  'fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'child_process', 'dgram', 'dns', 'tls',
  'cluster', 'worker_threads', 'os', 'crypto', 'readline', 'process', 'perf_hooks', 'vm',
].flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/schema/**', 'shared/**', '**/*.js', '**/*.cjs', '**/*.mjs', '**/vite.config.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['packages/engine/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.map((name) => ({ name, message: 'The engine is pure: no I/O (STYLE.md #1).' })),
          patterns: [
            { group: ['@nestjs/*', 'typeorm', 'socket.io*', 'react', 'react-dom', '@xyflow/*', 'pg', 'better-sqlite3', 'undici', 'axios'], message: 'The engine imports no framework, database, network or UI code.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Read the clock from EngineContext.now.' },
        { object: 'Math', property: 'random', message: 'Randomness comes in through the context.' },
        { object: 'performance', property: 'now', message: 'The engine reads no clock.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'The engine does no I/O.' },
        { name: 'process', message: 'The engine reads no environment.' },
        { name: 'setTimeout', message: 'Timers are effects (timer.start), not calls.' },
        { name: 'setInterval', message: 'Timers are effects (timer.start), not calls.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() reads the clock: use EngineContext.now.' },
      ],
    },
  },
  {
    // Nest resolves constructor parameters from emitted type metadata: a type-only import
    // of an injected class would break dependency injection.
    files: ['packages/server/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['**/test/**/*.ts', '**/*.spec.ts', '**/*.test.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
