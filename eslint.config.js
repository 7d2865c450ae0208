import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'build/**',
      'public/build/**',
      '.data/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'app/platform/db/schema.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { react, 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    languageOptions: { globals: { ...globals.node } },
    settings: { react: { version: 'detect' } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs['jsx-runtime'].rules,
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      ...jsxA11y.flatConfigs.strict.rules,
      'react/prop-types': 'off',
      // Pages are server-rendered for browsers that run no React: no inline handlers, no inline styles (CSP).
      'react/forbid-dom-props': ['error', { forbid: ['style'] }],
      'react/no-unknown-property': [
        'error',
        {
          ignore: [
            'hx-boost',
            'hx-ext',
            'sse-connect',
            'sse-swap',
            'hx-encoding',
            'hx-swap',
            'hx-target',
            'hx-get',
            'hx-post',
            'hx-trigger',
            'hx-select',
            'hx-push-url',
            'hx-swap-oob',
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Playwright fixtures call `use()` and destructure `{}` by design; they are not React.
    files: ['tests/e2e/**/*.ts'],
    rules: { 'react-hooks/rules-of-hooks': 'off', 'no-empty-pattern': 'off' },
  },
  {
    files: ['public/**/*.js'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'script' },
  },
  {
    files: ['scripts/**/*.js', '*.config.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  prettier,
);
