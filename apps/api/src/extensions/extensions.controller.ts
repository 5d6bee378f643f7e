import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { User, type CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.guard';
import { ExtensionsService } from './extensions.service';
import { ExtensionDecisionDto, ExtensionRequestDto } from './extension.dto';

@ApiTags('extensions')
@ApiBearerAuth()
@Controller('api')
export class ExtensionsController {
  constructor(@Inject(ExtensionsService) private readonly extensions: ExtensionsService) {}

  /** A unit head asks for more time; the Standing Office is notified. */
  @Post('assignments/:id/extension-requests')
  @Roles('unit-head')
  request(@User() user: CurrentUser, @Param('id') id: string, @Body() body: ExtensionRequestDto) {
    return this.extensions.request(user, id, body);
  }

  @Get('extension-requests')
  @Roles('standing-office', 'approver', 'auditor', 'administrator')
  @ApiQuery({ name: 'plan', required: false })
  pending(@User() user: CurrentUser, @Query('plan') plan?: string) {
    return this.extensions.pending(plan);
  }

  /** The Standing Office grants (re-arming every timer) or refuses. */
  @Post('extension-requests/:id/decision')
  @Roles('standing-office')
  @HttpCode(200)
  decide(@User() user: CurrentUser, @Param('id') id: string, @Body() body: ExtensionDecisionDto) {
    return this.extensions.decide(user, id, body);
  }
}
