import { ESLint } from 'eslint';

/** The import rules of eslint.config.js, applied to code that breaks them (fixtures in memory). */
describe('imports point down (enforced by the lint)', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const problems = async (filePath: string, code: string) =>
    (await eslint.lintText(code, { filePath }))[0].messages
      .filter((m) => m.ruleId === 'no-restricted-imports')
      .map((m) => m.message);

  it('refuses infrastructure importing a module or the application', async () => {
    expect(
      await problems(
        'src/infrastructure/http/fixture.ts',
        "import { PortalView } from '../../modules/portal/portal-view.js';\nexport const x = PortalView;\n",
      ),
    ).toEqual([expect.stringMatching(/infrastructure never imports a module/)]);
    expect(
      await problems(
        'src/infrastructure/http/fixture.ts',
        "import { AppModule } from '../../app.module.js';\nexport const x = AppModule;\n",
      ),
    ).toHaveLength(1);
  });

  it('refuses a module importing one of a higher layer', async () => {
    expect(
      await problems(
        'src/modules/catalog/fixture.ts',
        "import { ProgressService } from '../learning/progress.service.js';\nexport const x = ProgressService;\n",
      ),
    ).toEqual([expect.stringMatching(/Imports point down: catalog may not import/)]);
  });

  it("refuses another module's entities and repositories, also as types", async () => {
    expect(
      await problems(
        'src/modules/learning/dto/fixture.ts',
        "import type { UserEntity } from '../../identity/entities/user.entity.js';\nexport type X = UserEntity;\n",
      ),
    ).toEqual([expect.stringMatching(/entities and repositories are its own/)]);
    expect(
      await problems(
        'src/modules/portal/fixture.ts',
        "import { CourseRepository } from '../catalog/course.repository.js';\nexport const x = CourseRepository;\n",
      ),
    ).toHaveLength(1);
  });

  it('allows a module its own entities, lower modules through their services and types, and infrastructure', async () => {
    expect(
      await problems(
        'src/modules/learning/fixture.ts',
        [
          "import { LessonProgressEntity } from './entities/lesson-progress.entity.js';",
          "import { LearnableContentService } from '../catalog/learnable-content.service.js';",
          "import type { Lesson } from '../catalog/catalog.types.js';",
          "import { AppConfig } from '../../infrastructure/config/app-config.js';",
          'export const x = [LessonProgressEntity, LearnableContentService, AppConfig];',
          'export type Y = Lesson;',
          '',
        ].join('\n'),
      ),
    ).toEqual([]);
  });
});
