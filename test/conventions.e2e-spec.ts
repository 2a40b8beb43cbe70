import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './support/platform-process.js';

/**
 * What a NestJS developer expects of the project's layout: the Nest CLI reads nest-cli.json and
 * generates into the modules folder, the usual scripts exist, and every runtime dependency is used.
 */
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs|js|sh|hbs)$/.test(name) ? [path] : [];
  });
}

describe('project conventions', () => {
  it('lets the Nest CLI generate into src/modules with the project’s settings', () => {
    const run = spawnSync('npx', ['nest', 'generate', 'service', 'probe', '--dry-run', '--no-spec'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('CREATE src/modules/probe/probe.service.ts');
    expect(run.stdout).toContain('Dry run enabled');
  });

  it('has the scripts a Nest developer reaches for', () => {
    // The build is the Nest CLI's (tsc builder, tsconfig.build.json): every run of the tests builds
    // with it first, so a nest-cli.json that stopped working fails them.
    expect(pkg.scripts.build).toBe('nest build');
    expect(pkg.scripts['start:dev']).toBe('nest start --watch');
    expect(pkg.scripts['test:cov']).toContain('--coverage');
    const nest = JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8')) as {
      entryFile: string;
      compilerOptions: { tsConfigPath: string };
    };
    expect(statSync(join(ROOT, 'src', `${nest.entryFile}.ts`)).isFile()).toBe(true);
    expect(statSync(join(ROOT, nest.compilerOptions.tsConfigPath)).isFile()).toBe(true);
  });

  it('maps responses in one kind of place: each module’s <module>.views.ts', () => {
    const modules = join(ROOT, 'src', 'modules');
    const mapping = sourceFiles(modules)
      .map((f) => f.slice(modules.length + 1))
      .filter((f) => /(mapper|\.views?)\.ts$/.test(f));
    // Nothing else maps: no mappers, no per-entity view files, one views file per module.
    expect(mapping.filter((f) => !/^([a-z-]+)\/\1\.views\.ts$/.test(f))).toEqual([]);
    // Every module whose controllers return mapped records has one (reporting computes its
    // answers in the services that count them; the portal renders pages).
    for (const module of [
      'authoring',
      'catalog',
      'certification',
      'geography',
      'identity',
      'learning',
      'media',
    ])
      expect(mapping).toContain(`${module}/${module}.views.ts`);
  });

  it('uses every runtime dependency it declares', () => {
    const text = ['src', 'seeds', 'docker', 'test']
      .flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    // A peer dependency of a package we use is used too (nestjs-pino needs pino and pino-http).
    const peers = new Set(
      Object.keys(pkg.dependencies).flatMap((name) => {
        const manifest = JSON.parse(
          readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'),
        ) as {
          peerDependencies?: Record<string, string>;
        };
        return Object.keys(manifest.peerDependencies ?? {});
      }),
    );
    const unused = Object.keys(pkg.dependencies).filter(
      (name) =>
        !peers.has(name) &&
        !text.includes(`'${name}'`) &&
        !text.includes(`'${name}/`) &&
        !text.includes(`"${name}`),
    );
    expect(unused).toEqual([]);
  });
});
