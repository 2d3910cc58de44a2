import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'web/dist/**', 'coverage/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    // The web UI runs under a strict CSP and renders user content as text only.
    files: ['web/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Render user content as text; never as HTML.',
        },
        {
          selector: "JSXAttribute[name.name='style']",
          message: 'The CSP forbids inline styles: use a class in styles.css.',
        },
      ],
    },
  },
  {
    // No runtime import cycles anywhere (type-only imports do not count: they vanish at run time).
    files: ['src/**/*.ts', 'web/src/**/*.{ts,tsx}', 'test/**/*.ts', 'bench/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.json', 'web/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // Engine differences live in src/db/ (the dialect module and one run queue per engine); features
    // neither compare the engine nor write engine-specific SQL.
    files: ['src/**/*.ts'],
    ignores: ['src/db/**', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'BinaryExpression[operator=/^[!=]==?$/] > Literal[value=/^(sqlite|postgres)$/]',
          message:
            'Engine branch outside src/db/: put the difference in src/db/dialect.ts (or the run queue).',
        },
        {
          selector: 'SwitchCase > Literal[value=/^(sqlite|postgres)$/]',
          message:
            'Engine branch outside src/db/: put the difference in src/db/dialect.ts (or the run queue).',
        },
        {
          selector:
            'TemplateElement[value.raw=/skip locked|for update|pg_[a-z_]+\\(|json_each|unnest\\(|\\bilike\\b|\\bpragma\\b|sqlite_[a-z]|\\bmatch\\b|::(text|int|bigint|jsonb?)\\b/i]',
          message: 'Engine-specific SQL outside src/db/: put it in src/db/dialect.ts (or the run queue).',
        },
        {
          selector: 'CallExpression[callee.property.name=/^(skipLocked|forUpdate|noWait)$/]',
          message: 'Row locking differs by engine: use lockingSkipLocked from src/db/dialect.ts.',
        },
      ],
    },
  },
);
