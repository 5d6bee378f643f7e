// Uploaded files' bytes behind one interface (entry point @dieu-hanh/persistence/files): the
// API stores and reads them, the worker's sweep removes those never submitted.
export * from './content-lock';
export * from './file-store';
export * from './file-store-config';
export * from './fs-file-store';
export * from './postgres-file-store';
export type { S3Sender, S3FileStoreOptions } from './s3-file-store';
