import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AppErrorCode } from '../common/app-error';
import { ApiErrors } from '../common/api-contract';
import { StoredFilesDto } from './file.responses';
import type { Request, Response } from 'express';
import { ATTACHMENT_MAX_BYTES, ATTACHMENTS_PER_SUBMISSION } from '@dieu-hanh/domain/assignment';
import { User, type CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.guard';
import { translator } from '../web/i18n/i18n';
import { sendStoredFile } from './file-download';
import { describeStoredFile, FilesService } from './files.service';

const api = translator('en');

@ApiTags('files')
@ApiBearerAuth()
@Controller('api')
export class FilesController {
  constructor(@Inject(FilesService) private readonly files: FilesService) {}

  /**
   * Uploads files for a draft or report of this assignment (multipart/form-data, field `files`,
   * at most ATTACHMENTS_PER_SUBMISSION files of ATTACHMENT_MAX_BYTES each: PDF, DOCX, XLSX,
   * ODT, ODS or images, the type read from the content). Submit them by `{ fileId, sha256 }`.
   */
  @Post('assignments/:id/files')
  @Roles('drafter', 'unit-head')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    description: `Up to ${ATTACHMENTS_PER_SUBMISSION} files of at most ${ATTACHMENT_MAX_BYTES} bytes each`,
    schema: { type: 'object', properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } } } },
  })
  @ApiCreatedResponse({ type: StoredFilesDto, description: 'The files stored (bytes by SHA-256), ready to be submitted' })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.FORBIDDEN, AppErrorCode.VALIDATION, AppErrorCode.PAYLOAD_TOO_LARGE, AppErrorCode.UNSUPPORTED_MEDIA_TYPE])
  async upload(@Req() req: Request, @User() user: CurrentUser, @Param('id') id: string) {
    const uploaded = Array.isArray(req.files) ? req.files : [];
    const rows = await this.files.upload(user, id, uploaded, api);
    return { files: rows.map(describeStoredFile) };
  }

  @Get('assignments/:id/files')
  @ApiOkResponse({ type: StoredFilesDto })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.FORBIDDEN])
  async list(@User() user: CurrentUser, @Param('id') id: string) {
    return { files: (await this.files.list(user, id)).map(describeStoredFile) };
  }

  /** The file's bytes, for whoever may see its assignment; `ETag` and `Repr-Digest` carry its SHA-256. */
  @Get('files/:fileId')
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The bytes, with the media type read at upload', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.FORBIDDEN])
  async download(@Res() res: Response, @User() user: CurrentUser, @Param('fileId') fileId: string) {
    const { file, content } = await this.files.open(user, fileId, api);
    sendStoredFile(res, file, content);
  }
}
