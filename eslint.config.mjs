// Lint rules, including the one-way layering of STYLE.md §2:
// errors, runtime <- jcs <- crypto <- schema <- policy <- artifacts <- api <- storage <- exporters <- transports.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const LAYERS = ['jcs', 'crypto', 'schema', 'policy', 'artifacts', 'api', 'storage', 'exporters', 'transports'];
const PURE = ['errors', 'jcs', 'crypto', 'schema', 'policy', 'artifacts', 'api'];

function higherThan(layer) {
  const i = LAYERS.indexOf(layer);
  return LAYERS.slice(i + 1);
}

function layerRule(layer, extraPaths = []) {
  const banned = layer === 'errors' || layer === 'runtime' ? LAYERS : higherThan(layer);
  const patterns = [
    {
      regex: `(^|/)(${banned.join('|')})(/|\\.js$)`,
      message: `layering: src/${layer} must not import from ${banned.join(', ')} (STYLE.md §2)`,
    },
  ];
  if (layer === 'errors') {
    patterns.push({ regex: '(^|/)runtime/', message: 'layering: errors is the bottom layer' });
  }
  return {
    files: [`src/${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { paths: extraPaths, patterns }],
    },
  };
}

const IO_MODULES = ['node:fs', 'node:fs/promises', 'node:net', 'node:http', 'node:child_process', 'node:os', 'fs', 'net', 'child_process'].map(
  (name) => ({ name, message: 'pure layers do no I/O: take bytes as arguments (STYLE.md §2)' }),
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', performance: 'readonly' },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  ...['errors', 'runtime', ...LAYERS].filter((l) => l !== 'transports').map((l) => layerRule(l, PURE.includes(l) ? IO_MODULES : [])),
  {
    files: PURE.map((l) => `src/${l}/**/*.ts`),
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'inject time through runtime/clock.ts' },
        { selector: "NewExpression[callee.name='Date']", message: 'inject time through runtime/clock.ts' },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'inject randomness through runtime/random.ts' },
        { selector: "Identifier[name='process']", message: 'pure layers do not read process state' },
      ],
    },
  },
  {
    files: ['src/crypto/**/*.ts', 'src/artifacts/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='JSON'][property.name='stringify']", message: 'hash and sign only canonical bytes: use jcs/canonicalize' },
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'inject time through runtime/clock.ts' },
        { selector: "Identifier[name='process']", message: 'pure layers do not read process state' },
      ],
    },
  },
  {
    files: ['src/transports/cli/**/*.ts', 'scripts/**', 'bench/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
