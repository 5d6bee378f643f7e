import { FilesController } from './files.controller';
import { FilesService } from './files.service';
import { fileStoreProvider } from './file-store.provider';

export const FILES_CONTROLLERS = [FilesController];
export const FILES_PROVIDERS = [FilesService, fileStoreProvider];
export { FilesService } from './files.service';
