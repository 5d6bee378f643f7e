import { Controller, Get, Inject, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { User, type CurrentUser } from '../../auth/current-user';
import { sendStoredFile } from '../../files/file-download';
import { FilesService } from '../../files/files.service';
import { translator, langOf } from '../i18n/i18n';
import { WebExceptionFilter } from '../web-exception.filter';
import type { WebRequest } from '../web-request';

/**
 * Downloads of files attached to drafts and reports, from the assignment page. Whoever may
 * open the assignment may download its files; others get the error page (403, 404).
 */
@ApiExcludeController()
@Controller('files')
@UseFilters(WebExceptionFilter)
export class FileDownloadController {
  constructor(@Inject(FilesService) private readonly files: FilesService) {}

  @Get(':fileId')
  async download(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('fileId') fileId: string) {
    const { file, content } = await this.files.open(user, fileId, translator(langOf(req)));
    sendStoredFile(res, file, content);
  }
}
