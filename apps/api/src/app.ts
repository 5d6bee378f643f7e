import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { ApiConfig } from './config/api.config';
import { AppModule } from './app.module';
import { validationPipe } from './common/validation';
import { bodyParsing } from './common/body-parsing';
import { InputGuard } from './common/input.guard';
import { WEB_ASSETS_DIR } from './web';
import { completeContract, ErrorBodyDto } from './common/api-contract';
import { apiVersioning } from './common/api-version';
import { MatrixCellDto } from './plans/plan.responses';

/** Builds the whole API (used by main.ts and by the integration tests). */
export async function createApp(config: ApiConfig): Promise<NestExpressApplication> {
  // Bodies are read by bodyParsing() below, with the documented limits, not Nest's 100 KB default.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, abortOnError: false, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] },
      },
    }),
  );
  app.use(cookieParser(config.SESSION_SECRET));
  // Answers carry draft text and personal data: no shared or browser cache keeps them.
  // Static assets and status.css set their own Cache-Control afterwards.
  app.use((_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(apiVersioning());
  app.use(bodyParsing());
  // The web UI's CSS and JS: CSP allows scripts from 'self' only, so nothing is inline.
  app.useStaticAssets(WEB_ASSETS_DIR, { prefix: '/assets/', maxAge: '1h', index: false });
  // After the APP_GUARDs (throttle, session, roles: registered when the module was built), before any controller's guard.
  app.useGlobalGuards(new InputGuard());
  app.useGlobalPipes(validationPipe);
  // Only the proxies named in TRUST_PROXY may set req.ip (default none): login throttling keys on it.
  app.set('trust proxy', config.TRUST_PROXY);
  app.enableShutdownHooks();

  const openapi = new DocumentBuilder()
    .setTitle('Điều hành API')
    .setDescription(
      'Plans, assignments, drafts, approvals and extensions, each backed by a Temporal workflow. ' +
        'Every error answers `{ statusCode, code, reason?, message, fields? }` (schema ErrorBodyDto). ' +
        'Every path is also served under `/api/v1/...`; answers carry `Api-Version: 1` (see the README, "Versioning").',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => completeContract(SwaggerModule.createDocument(app, openapi, { extraModels: [ErrorBodyDto, MatrixCellDto] })), { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
