// ESLint: the type-aware checks the compiler does not make. Prettier owns formatting (eslint-config-prettier, last,
// turns off every rule that could disagree with it), tsc owns unused names (noUnusedLocals/noUnusedParameters in
// tsconfig.json) and dependency-cruiser owns the layers (.dependency-cruiser.cjs).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', '.cache/**'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // tsconfig.eslint.json adds the plain JavaScript to tsconfig.json's files, so the rules run on it too.
        project: './tsconfig.eslint.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // An un-awaited promise in the broker is a lost error or a reordered write: a call nobody waits for is
      // marked `void` with a comment saying why.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A new enum member or union arm must be handled wherever the value is switched on.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: true },
      ],
      // Callbacks that implement an async interface (kafkajs eachMessage, DemoRunner.run) are async for their
      // type, not because they await; the promise rules above catch the mistakes this one was meant to.
      '@typescript-eslint/require-await': 'off',
      // KafkaBroker.start wires listeners that read `broker` before the one assignment that creates it.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // tsc reports unused names (and lets `_name` say "deliberately unused"); one reporter is enough.
      '@typescript-eslint/no-unused-vars': 'off',
    },
  },
  {
    // Plain JavaScript has no types: every value is `any` to the checker, so the no-unsafe-* family would only
    // restate that. The promise rules still apply.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // vitest's asymmetric matchers (expect.any, expect.stringContaining, …) are typed `any` by design.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  prettier,
);
