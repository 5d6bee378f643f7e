import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length } from 'class-validator';
import { planDefinitionJsonSchema } from '@dieu-hanh/domain';
import { Public, User, type CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.guard';
import { PlansService } from './plans.service';
import { PlanMatrixService } from './plan-matrix.service';
import { PlanChangesService } from './plan-changes.service';
import { DeadlineShiftDto } from '../extensions/extension.dto';
import { ApiErrors, ApiNoToken } from '../common/api-contract';
import { AppErrorCode } from '../common/app-error';
import { AmendmentPreviewDto, AppliedAmendmentDto, CloseResultDto, ImportedPlanDto, LaunchMoreResultDto, LaunchResultDto, PlanDto, PlanMatrixDto, PlanProgressDto, PlanWithDefinitionDto, ShiftResultDto } from './plan.responses';

export class UploadPlanDto {
  @ApiProperty({ description: 'The plan definition, YAML (or JSON) text, format version 1 (see /api/plans/schema)' })
  @IsString()
  @Length(1, 5_000_000)
  definition!: string;
}

export class LaunchPlanDto {
  @ApiPropertyOptional({ description: 'Launch only these assignment ids (a pilot); all when absent', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  @Length(1, 1000, { each: true })
  assignments?: string[];

  @ApiPropertyOptional({ description: 'Launch only the assignments these units lead (unit codes)', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  units?: string[];

  @ApiPropertyOptional({ description: 'Launch only the assignments of these tasks (task codes)', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1_000)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  tasks?: string[];
}

export class ApplyAmendmentDto {
  @ApiProperty({ example: 'Điều chỉnh theo Kết luận số ... của Ban Thường vụ Tỉnh ủy' })
  @IsString()
  @Length(3, 5000)
  reason!: string;

  @ApiPropertyOptional({ description: 'The version in force the difference was read against (GET …/amendment: inForce); a later change makes this a 409' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  inForce?: string;
}

export class ClosePlanDto {
  @ApiProperty({ example: 'Kế hoạch được thay thế bởi Kế hoạch số ...' })
  @IsString()
  @Length(3, 5000)
  reason!: string;
}

@ApiTags('plans')
@ApiBearerAuth()
@Controller('api/plans')
export class PlansController {
  constructor(
    @Inject(PlansService) private readonly plans: PlansService,
    @Inject(PlanMatrixService) private readonly matrices: PlanMatrixService,
    @Inject(PlanChangesService) private readonly changes: PlanChangesService,
  ) {}

  /** The JSON Schema of the plan definition format. */
  @Public()
  @Get('schema')
  @ApiNoToken()
  @ApiOkResponse({ description: 'The JSON Schema (draft 2020-12) of a plan file; needs no token', schema: { type: 'object', additionalProperties: true } })
  schema() {
    return planDefinitionJsonSchema;
  }

  @Get()
  @ApiOkResponse({ type: [PlanDto], description: 'Every imported plan version, newest first (plans are few: no paging)' })
  async list() {
    return (await this.plans.list()).map(({ definition: _definition, ...row }) => row);
  }

  @Get(':id')
  @ApiOkResponse({ type: PlanWithDefinitionDto })
  @ApiErrors([AppErrorCode.NOT_FOUND])
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.plans.get(id);
  }

  /** Uploads a plan definition: 201 for a new version, 200 when this exact definition exists. */
  @Post()
  @Roles('administrator', 'standing-office')
  @ApiConsumes('application/json')
  @ApiBody({ type: UploadPlanDto })
  @ApiCreatedResponse({ type: ImportedPlanDto, description: 'A new version of the plan was stored' })
  @ApiOkResponse({ type: ImportedPlanDto, description: 'This exact definition was already stored: the existing version' })
  @ApiErrors([AppErrorCode.VALIDATION, AppErrorCode.PLAN_INVALID])
  async upload(@User() user: CurrentUser, @Body() body: UploadPlanDto, @Res({ passthrough: true }) res: Response) {
    const { plan, created } = await this.plans.import(body.definition, user);
    res.status(created ? 201 : 200);
    const { definition: _definition, ...row } = plan;
    // A new version of a plan that is running: what applying it would change.
    const amendment = await this.changes.preview(plan.id);
    return { ...row, created, ...(amendment ? { amendment } : {}) };
  }

  /** What applying this version to the running version of its plan would change. */
  @Get(':id/amendment')
  @Roles('standing-office', 'administrator', 'auditor')
  @ApiOkResponse({ type: AmendmentPreviewDto })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.CONFLICT], { 409: '`reason` IS_RUNNING: this is the running version; NOT_RUNNING: no version of the plan runs' })
  amendment(@Param('id', ParseUUIDPipe) id: string) {
    return this.changes.requirePreview(id);
  }

  /** Applies this version to the running plan (the Standing Office confirms the difference). */
  @Post(':id/amendment')
  @Roles('standing-office')
  @HttpCode(200)
  @ApiOkResponse({ type: AppliedAmendmentDto })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.VALIDATION, AppErrorCode.CONFLICT, AppErrorCode.UNAVAILABLE], { 409: '`reason` IS_RUNNING, NOT_RUNNING, STALE_PREVIEW, ALREADY_APPLIED, LAUNCH_IN_PROGRESS or PLAN_CLOSING' })
  applyAmendment(@User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: ApplyAmendmentDto) {
    return this.changes.apply(user, id, body);
  }

  /** Launches the rest of a partly launched plan (or the selected part of the rest). */
  @Post(':id/launch-more')
  @Roles('administrator', 'standing-office')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: LaunchMoreResultDto })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.VALIDATION, AppErrorCode.CONFLICT, AppErrorCode.UNAVAILABLE], { 409: '`reason` NOT_LAUNCHED, LAUNCH_IN_PROGRESS or PLAN_CLOSING' })
  launchMore(@User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: LaunchPlanDto) {
    return this.changes.launchMore(user, id, body);
  }

  /** The running plan's own counts and the changes it took (from its workflow). */
  @Get(':id/progress')
  @Roles('standing-office', 'administrator', 'auditor')
  @ApiOkResponse({ type: PlanProgressDto })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.UNAVAILABLE])
  async progress(@Param('id', ParseUUIDPipe) id: string) {
    return this.changes.progress(await this.plans.get(id));
  }

  /** Tasks × units with status per cell and per-unit statistics. */
  @Get(':id/matrix')
  @Roles('standing-office', 'approver', 'auditor', 'administrator')
  @ApiOkResponse({ type: PlanMatrixDto })
  @ApiErrors([AppErrorCode.NOT_FOUND])
  async matrix(@User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.matrices.matrix(await this.plans.get(id));
  }

  /** Moves the deadline of every open assignment of the plan (e.g. after an official notice). */
  @Post(':id/deadline-shift')
  @Roles('standing-office')
  @HttpCode(200)
  @ApiOkResponse({ type: ShiftResultDto, description: 'Each open assignment moved or not, with why' })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.UNAVAILABLE])
  shift(@User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: DeadlineShiftDto) {
    return this.plans.shiftDeadlines(user, id, body);
  }

  /** Closes a launched plan: the plan workflow cancels every assignment still open. */
  @Post(':id/close')
  @HttpCode(202)
  @Roles('administrator', 'standing-office')
  @ApiAcceptedResponse({ type: CloseResultDto, description: 'The plan workflow is closing; its assignments are cancelled in the background' })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.CONFLICT, AppErrorCode.UNAVAILABLE], { 409: 'the plan is not launched or already closed' })
  close(@Param('id', ParseUUIDPipe) id: string, @Body() body: ClosePlanDto) {
    return this.plans.close(id, body.reason);
  }

  @Post(':id/launch')
  @Roles('administrator', 'standing-office')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: LaunchResultDto, description: 'The plan workflow started; it opens the assignments in the background' })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.CONFLICT, AppErrorCode.UNAVAILABLE], { 409: 'the plan is already launched' })
  launch(@User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: LaunchPlanDto) {
    return this.plans.launch(id, body);
  }
}
