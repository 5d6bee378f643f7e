import { defineConfig } from 'vitest/config';
import swc from 'unplugin-swc';

// SWC instead of esbuild so NestJS/TypeORM decorator metadata exists in tests too.
const plugins = [swc.vite({ tsconfigFile: './tsconfig.base.json' })];

export default defineConfig({
  plugins,
  test: {
    pool: 'forks',
    projects: [
      {
        plugins,
        test: {
          name: 'unit',
          pool: 'forks',
          include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts', 'test/**/*.spec.ts'],
          exclude: ['**/node_modules/**', '**/*.int.spec.ts', '**/*.e2e.spec.ts'],
        },
      },
      {
        plugins,
        test: {
          name: 'integration',
          pool: 'forks',
          include: ['apps/**/*.int.spec.ts', 'libs/**/*.int.spec.ts', 'test/**/*.int.spec.ts', 'test/**/*.e2e.spec.ts'],
          exclude: ['**/node_modules/**'],
          // One Temporal dev server and one fresh database for the whole run.
          globalSetup: ['./test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
