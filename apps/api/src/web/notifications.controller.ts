import { Controller, Get, Inject, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { NotificationEntity } from '@dieu-hanh/persistence';
import { User, type CurrentUser } from '../auth/current-user';
import { WebExceptionFilter } from './web-exception.filter';
import { WebPages } from './web-pages';
import type { WebRequest } from './web-request';

/** Notices addressed to the person's unit, newest first, each linking to its assignment. */
@ApiExcludeController()
@Controller('notifications')
@UseFilters(WebExceptionFilter)
export class NotificationsController {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(WebPages) private readonly pages: WebPages,
  ) {}

  @Get()
  async page(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser) {
    const { t } = this.pages.context(req, res);
    const notices = await this.db.getRepository(NotificationEntity).find({ where: { recipientUnit: user.unit }, order: { createdAt: 'DESC' }, take: 200 });
    this.pages.render(req, res, 'notifications', { title: t('notifications.title'), notices });
  }
}
