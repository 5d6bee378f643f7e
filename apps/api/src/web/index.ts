import type { Provider, Type } from '@nestjs/common';

/** Controllers and providers of the server-rendered web UI, registered by AppModule. */
export const WEB_CONTROLLERS: Type[] = [];
export const WEB_PROVIDERS: Provider[] = [];
