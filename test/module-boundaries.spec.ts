import path from 'node:path';
import { ESLint } from 'eslint';
import { createProjectGraphAsync } from '@nx/devkit';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..');
// With CI=true typescript-eslint infers a one-shot run and lints files as they are on
// disk, ignoring the text we pass; this test lints text, so it asks for the other mode.
process.env.TSESTREE_SINGLE_RUN = 'false';
const eslint = new ESLint({ cwd: root });

/** Lints `code` as if it were the file at `file`, returning the rule ids that fired. */
async function rulesFiredFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries (the same ESLint config `nx run-many -t lint` uses)', () => {
  // @nx/enforce-module-boundaries reads the project graph Nx caches in .nx/ and silently
  // skips itself when there is none (a fresh clone, this file run alone). Build the graph
  // first, without a daemon, so the cache exists and the rule really runs.
  beforeAll(async () => {
    process.env.NX_DAEMON = 'false';
    const graph = await createProjectGraphAsync({ exitOnError: false });
    expect(Object.keys(graph.nodes)).toEqual(expect.arrayContaining(['@dieu-hanh/domain', '@dieu-hanh/workflows']));
  }, 120_000);

  it('keeps libs/workflows free of Node built-ins, TypeORM, pg and the Temporal client', async () => {
    const fired = await rulesFiredFor(
      'libs/workflows/src/definitions.ts',
      `import { readFileSync } from 'node:fs';\nimport { DataSource } from 'typeorm';\nimport { Client } from '@temporalio/client';\nexport const x = [readFileSync, DataSource, Client];\n`,
    );
    expect(fired.some((m) => m.startsWith('no-restricted-imports') && m.includes('node:fs'))).toBe(true);
    expect(fired.filter((m) => m.startsWith('@nx/enforce-module-boundaries')).length).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('keeps libs/domain free of frameworks and of the apps', async () => {
    const fired = await rulesFiredFor(
      'libs/domain/src/index.ts',
      `import { Injectable } from '@nestjs/common';\nimport { proxyActivities } from '@temporalio/workflow';\nexport const y = [Injectable, proxyActivities];\n`,
    );
    expect(fired.filter((m) => m.startsWith('@nx/enforce-module-boundaries')).length).toBe(2);
  }, 60_000);

  it('lets libs/workflows import the domain and @temporalio/workflow', async () => {
    const fired = await rulesFiredFor(
      'libs/workflows/src/definitions.ts',
      `import { defineQuery } from '@temporalio/workflow';\nimport type { AssignmentState } from '@dieu-hanh/domain/assignment';\nexport const q = defineQuery<AssignmentState>('q');\n`,
    );
    expect(fired).toEqual([]);
  }, 60_000);
});
