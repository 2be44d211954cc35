// ESLint: typed rules for src, test, bench and web; zero warnings allowed (npm run check).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * The modules in dependency order, lowest first (docs/ARCHITECTURE.md draws it): a module may import only the
 * modules before it, and of those only what they offer others (services, schemas, pure rules), never their
 * repositories or tables. Modules on the same line do not import each other.
 */
const moduleLayers = [
  ['audit'],
  ['accounts'],
  ['projects'],
  ['history', 'inventory'],
  ['samples'],
  ['bulk', 'compute', 'instruments'],
  ['records'],
  ['search'],
];

function moduleBoundaries() {
  const layerOf = new Map(moduleLayers.flatMap((layer, index) => layer.map((name) => [name, index])));
  const foreignInternals = [
    {
      group: ['../*/*.repository.js', '../*/*.tables.js'],
      message: "Reach another module's data through its service.",
    },
  ];
  const http = { group: ['../../http/*'], message: 'Only *.routes.ts and *.schema.ts speak HTTP.' };
  return [...layerOf].flatMap(([name, layer]) => {
    const higher = [...layerOf].filter(([other, otherLayer]) => other !== name && otherLayer >= layer);
    const upward =
      higher.length === 0
        ? []
        : [
            {
              group: higher.map(([other]) => `../${other}/*`),
              message: `${name} sits below these modules in docs/ARCHITECTURE.md and may not import them.`,
            },
          ];
    const files = `src/modules/${name}/**/*.ts`;
    const httpFiles = [`src/modules/${name}/**/*.routes.ts`, `src/modules/${name}/**/*.schema.ts`];
    return [
      {
        files: [files],
        ignores: httpFiles,
        rules: { 'no-restricted-imports': ['error', { patterns: [...upward, ...foreignInternals, http] }] },
      },
      {
        files: httpFiles,
        rules: { 'no-restricted-imports': ['error', { patterns: [...upward, ...foreignInternals] }] },
      },
    ];
  });
}

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'web/dist', 'data', 'web/src/api/schema.d.ts', 'bin', 'test-results'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  ...moduleBoundaries(),
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
