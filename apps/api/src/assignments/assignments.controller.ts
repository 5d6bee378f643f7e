import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { User, type CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.guard';
import { AssignmentsService, summary } from './assignments.service';
import { DifficultyAnswerDto, ListAssignmentsQuery, SubmitDraftDto, SubmitReportDto } from './assignment.dto';
import { ApiErrors } from '../common/api-contract';
import { AppErrorCode } from '../common/app-error';
import { WORKFLOW_STATE } from '../common/shared.responses';
import { AssignmentDetailDto, AssignmentPage, DifficultyAnsweredDto, SubmitResultDto } from './assignment.responses';

@ApiTags('assignments')
@ApiBearerAuth()
@Controller('api/assignments')
export class AssignmentsController {
  constructor(@Inject(AssignmentsService) private readonly assignments: AssignmentsService) {}

  @Get()
  @ApiOkResponse({ type: AssignmentPage, description: 'Assignments the person may read, filtered and sorted; see README "Lists"' })
  list(@User() user: CurrentUser, @Query() query: ListAssignmentsQuery) {
    return this.assignments.list(user, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: AssignmentDetailDto })
  @ApiErrors([AppErrorCode.NOT_FOUND])
  async get(@User() user: CurrentUser, @Param('id') id: string) {
    const row = await this.assignments.get(user, id);
    return { ...summary(row), coordinatingUnits: row.coordinatingUnits, state: row.state };
  }

  /** Live state from the workflow itself (query); 503 when no worker runs. */
  @Get(':id/live')
  @ApiOkResponse({ schema: WORKFLOW_STATE, description: 'The workflow\'s state, queried from the workflow itself' })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.UNAVAILABLE], { 503: 'no worker answers the query' })
  live(@User() user: CurrentUser, @Param('id') id: string) {
    return this.assignments.live(user, id);
  }

  /** Submits a new draft version (drafting assignments); returns the version and the approval it opened. */
  @Post(':id/drafts')
  @Roles('drafter', 'unit-head')
  @ApiCreatedResponse({ type: SubmitResultDto })
  @ApiErrors([AppErrorCode.FORBIDDEN, AppErrorCode.NOT_FOUND, AppErrorCode.CONFLICT, AppErrorCode.UNAVAILABLE], { 409: '`reason` STALE_VERSION, NOT_ACCEPTING (awaiting approval or closed), WRONG_KIND' })
  submitDraft(@User() user: CurrentUser, @Param('id') id: string, @Body() body: SubmitDraftDto) {
    return this.assignments.submit(user, id, body, ['drafting']);
  }

  /** Submits a concretisation plan, a monthly report, a review, a policy proposal or a propaganda plan. */
  @Post(':id/reports')
  @Roles('drafter', 'unit-head')
  @ApiCreatedResponse({ type: SubmitResultDto })
  @ApiErrors([AppErrorCode.FORBIDDEN, AppErrorCode.NOT_FOUND, AppErrorCode.CONFLICT, AppErrorCode.UNAVAILABLE], { 409: '`reason` STALE_VERSION, NOT_ACCEPTING, WRONG_KIND' })
  submitReport(@User() user: CurrentUser, @Param('id') id: string, @Body() body: SubmitReportDto) {
    return this.assignments.submit(user, id, body, ['concretisation', 'monthly-report', 'review', 'policy-proposal', 'propaganda']);
  }

  /** The body a report went to (submitTo, else the Standing Office) answers its reported difficulties (III.6). */
  @Post(':id/difficulty-answers')
  @Roles('approver', 'standing-office')
  @ApiCreatedResponse({ type: DifficultyAnsweredDto })
  @ApiErrors([AppErrorCode.FORBIDDEN, AppErrorCode.NOT_FOUND, AppErrorCode.CONFLICT, AppErrorCode.UNAVAILABLE], {
    403: '`reason` NOT_AUTHORISED: only the body the report went to answers',
    404: 'no such assignment, or the version reported no difficulty',
    409: '`reason` ALREADY_ANSWERED, NOT_ACCEPTING (cancelled, or started before answers existed), ASSIGNMENT_CLOSED',
  })
  answerDifficulty(@User() user: CurrentUser, @Param('id') id: string, @Body() body: DifficultyAnswerDto) {
    return this.assignments.answerDifficulty(user, id, body);
  }
}
