import path from 'node:path';

/** Templates and static files live beside the code (the API runs from source via SWC). */
export const WEB_VIEWS_DIR = path.join(__dirname, 'views');
export const WEB_ASSETS_DIR = path.join(__dirname, 'assets');
