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
import { WEB_ASSETS_DIR } from './web';

/** Builds the whole API (used by main.ts and by the integration tests). */
export async function createApp(config: ApiConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] },
      },
    }),
  );
  app.use(cookieParser(config.SESSION_SECRET));
  // The web UI's CSS and JS: CSP allows scripts from 'self' only, so nothing is inline.
  app.useStaticAssets(WEB_ASSETS_DIR, { prefix: '/assets/', maxAge: '1h', index: false });
  app.useGlobalPipes(validationPipe);
  app.set('trust proxy', 'loopback');
  app.enableShutdownHooks();

  const openapi = new DocumentBuilder()
    .setTitle('Điều hành API')
    .setDescription('Plans, assignments, drafts, approvals and extensions, each backed by a Temporal workflow.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openapi), { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
