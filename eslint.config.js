import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Imports point down. Infrastructure knows no module; a module may import modules of lower layers
 * only (through their services and public types), never another module's entities or
 * repositories. `src/*.ts` (entry points, app modules, the HTTP app) compose everything.
 */
export const MODULE_LAYERS = [
  ['geography', 'media', 'lesson-kinds'],
  ['catalog'],
  ['identity'],
  ['authoring', 'learning'],
  ['certification'],
  ['reporting'],
  ['notifications'],
  ['portal'],
];
const MODULES = MODULE_LAYERS.flat();

/** class-validator's IsOptional lets `null` through (input-rules.ts has Optional and Nullable). */
const NO_IS_OPTIONAL = {
  name: 'class-validator',
  importNames: ['IsOptional'],
  message: 'Use Optional() or Nullable() from infrastructure/http/input-rules: IsOptional lets null through.',
};

const moduleBoundaries = MODULE_LAYERS.flatMap((layer, level) =>
  layer.map((name) => {
    const notBelow = MODULES.filter(
      (m) => m !== name && MODULE_LAYERS.findIndex((l) => l.includes(m)) >= level,
    );
    const others = MODULES.filter((m) => m !== name);
    return {
      files: [`src/modules/${name}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: [NO_IS_OPTIONAL],
            patterns: [
              ...(notBelow.length > 0
                ? [
                    {
                      regex: `^(\\.\\./)+(${notBelow.join('|')})/`,
                      message: `Imports point down: ${name} may not import ${notBelow.join(', ')} (same or higher layer; eslint.config.js).`,
                    },
                  ]
                : []),
              {
                regex: `^(\\.\\./)+(${others.join('|')})/(.*/)?(entities/|[^/]*\\.repository(\\.js)?$)`,
                message:
                  "Another module's entities and repositories are its own: use its exported services and types.",
              },
              {
                regex: `^(\\.\\./)+(app|worker)\\.module|^(\\.\\./)+http-app`,
                message: 'Modules do not import the application that composes them.',
              },
            ],
          },
        ],
      },
    };
  }),
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through AppConfig (src/infrastructure/config), not process.env.',
        },
      ],
    },
  },
  {
    files: ['src/infrastructure/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(modules/|app\\.module|worker\\.module|http-app)',
              message: 'Imports point down: infrastructure never imports a module or the application.',
            },
          ],
        },
      ],
    },
  },
  ...moduleBoundaries,
  {
    files: ['src/infrastructure/config/**', 'test/**', 'bench/**', 'jest.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // Portal scripts run in the browser (the service worker in its own global scope).
  {
    files: ['src/modules/portal/assets/**/*.js'],
    languageOptions: { globals: { ...globals.browser, ...globals.serviceworker }, sourceType: 'script' },
  },
);
