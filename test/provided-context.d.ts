import 'vitest';

declare module 'vitest' {
  /** What test/global-setup.ts hands every integration test. */
  export interface ProvidedContext {
    temporalAddress: string;
    temporalNamespace: string;
    databaseUrl: string;
    workflowBundlePath: string;
    temporalCli: string;
  }
}
