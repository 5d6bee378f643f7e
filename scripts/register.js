// Runs TypeScript sources directly with SWC, which (unlike esbuild/tsx) emits the
// decorator metadata NestJS and TypeORM rely on. One loader for dev, CI and containers.
const path = require('node:path');
process.env.SWC_NODE_PROJECT ??= path.join(__dirname, '..', 'tsconfig.base.json');
require('@swc-node/register');
