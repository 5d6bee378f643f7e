import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { User, type CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.guard';
import { ExtensionsService } from './extensions.service';
import { ExtensionDecisionDto, ExtensionRequestDto, PendingExtensionsQuery } from './extension.dto';
import { ApiErrors } from '../common/api-contract';
import { AppErrorCode } from '../common/app-error';
import { ExtensionDecidedDto, ExtensionRequestedDto, PendingExtensionDto } from './extension.responses';

@ApiTags('extensions')
@ApiBearerAuth()
@Controller('api')
export class ExtensionsController {
  constructor(@Inject(ExtensionsService) private readonly extensions: ExtensionsService) {}

  /** A unit head asks for more time; the Standing Office is notified. */
  @Post('assignments/:id/extension-requests')
  @Roles('unit-head')
  @ApiCreatedResponse({ type: ExtensionRequestedDto })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.CONFLICT, AppErrorCode.UNAVAILABLE], { 409: '`reason` PENDING_EXISTS: a request is already waiting; NOT_ACCEPTING: the assignment is closed' })
  request(@User() user: CurrentUser, @Param('id') id: string, @Body() body: ExtensionRequestDto) {
    return this.extensions.request(user, id, body);
  }

  @Get('extension-requests')
  @Roles('standing-office', 'approver', 'auditor', 'administrator')
  @ApiOkResponse({ type: [PendingExtensionDto], description: 'Pending requests, earliest deadline first' })
  pending(@User() user: CurrentUser, @Query() query: PendingExtensionsQuery) {
    return this.extensions.pending(query.plan);
  }

  /** The Standing Office grants (re-arming every timer) or refuses. */
  @Post('extension-requests/:id/decision')
  @Roles('standing-office')
  @HttpCode(200)
  @ApiOkResponse({ type: ExtensionDecidedDto })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.CONFLICT, AppErrorCode.UNAVAILABLE], { 409: '`reason` ALREADY_DECIDED' })
  decide(@User() user: CurrentUser, @Param('id') id: string, @Body() body: ExtensionDecisionDto) {
    return this.extensions.decide(user, id, body);
  }
}
