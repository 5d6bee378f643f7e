import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AppErrorCode } from '../common/app-error';
import { ApiErrors } from '../common/api-contract';
import { AvailableObligationDto, OpenedAssignmentDto } from './on-demand.responses';
import { IsString, Length } from 'class-validator';
import { IsIsoDate } from '../common/validation';
import { User, type CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.guard';
import { OnDemandService } from './on-demand.service';

export class OpenOnDemandDto {
  @ApiProperty({ example: 'Cơ chế hỗ trợ doanh nghiệp khởi nghiệp sáng tạo', description: 'What the unit proposes, in a line (3–500 characters)' })
  @IsString()
  @Length(3, 500)
  subject!: string;

  @ApiProperty({ example: '2021-05-15', description: "The unit's own target date, yyyy-mm-dd, today or later: reminders before it, no escalation" })
  @IsIsoDate()
  targetDate!: string;
}

/** Obligations available when needed (khi cần thiết, III.4), and opening one for one's own unit. */
@ApiTags('plans')
@ApiBearerAuth()
@Controller('api/plans')
export class OnDemandController {
  constructor(@Inject(OnDemandService) private readonly onDemand: OnDemandService) {}

  /** The plan's available obligations, with the units that may open each and whether the caller's may. */
  @Get(':id/available-obligations')
  @ApiOkResponse({ type: [AvailableObligationDto] })
  @ApiErrors([AppErrorCode.NOT_FOUND])
  list(@User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.onDemand.list(user, id);
  }

  /** Opens an assignment of an available obligation for the caller's unit (drafter or unit head). */
  @Post(':id/available-obligations/:obligationId/assignments')
  @HttpCode(201)
  @Roles('drafter', 'unit-head')
  @ApiCreatedResponse({ type: OpenedAssignmentDto })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.VALIDATION, AppErrorCode.FORBIDDEN, AppErrorCode.CONFLICT, AppErrorCode.UNAVAILABLE])
  async open(@User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string, @Param('obligationId') obligationId: string, @Body() body: OpenOnDemandDto) {
    const spec = await this.onDemand.open(user, id, obligationId, body);
    return { id: spec.id, kind: spec.kind, title: spec.title, leadUnit: spec.leadUnit, deadline: spec.deadline, submitTo: spec.submitTo ?? null };
  }
}
