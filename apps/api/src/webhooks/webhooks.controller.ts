import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { User, type CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.guard';
import { ApiErrors } from '../common/api-contract';
import { AppErrorCode } from '../common/app-error';
import { CreateWebhookDto, ListDeliveriesQuery, WebhookDeliveryPage, WebhookDto } from './webhook.dto';
import { WebhooksService } from './webhooks.service';

/** Outbound webhooks for integrators (issue 14; README, "Webhooks"). Administrators only. */
@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('administrator')
@Controller('api/webhooks')
export class WebhooksController {
  constructor(@Inject(WebhooksService) private readonly webhooks: WebhooksService) {}

  /** Registers a subscriber: events from now on are delivered to it, signed with its secret. */
  @Post()
  @ApiCreatedResponse({ type: WebhookDto })
  @ApiErrors([AppErrorCode.UNAVAILABLE])
  create(@User() user: CurrentUser, @Body() body: CreateWebhookDto) {
    return this.webhooks.create(user, body);
  }

  @Get()
  @ApiOkResponse({ type: [WebhookDto], description: 'Every subscriber, newest first (secrets are never answered)' })
  list() {
    return this.webhooks.list();
  }

  /** Stops deliveries to a subscriber; pending ones are cancelled. */
  @Post(':id/disable')
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookDto })
  @ApiErrors([AppErrorCode.NOT_FOUND])
  disable(@Param('id', ParseUUIDPipe) id: string) {
    return this.webhooks.disable(id);
  }

  /** Each event's delivery to this subscriber, oldest first: status, attempts, the receiver's last answer. */
  @Get(':id/deliveries')
  @ApiOkResponse({ type: WebhookDeliveryPage })
  @ApiErrors([AppErrorCode.NOT_FOUND])
  deliveries(@Param('id', ParseUUIDPipe) id: string, @Query() query: ListDeliveriesQuery) {
    return this.webhooks.deliveries(id, query);
  }
}
