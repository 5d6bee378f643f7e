import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length } from 'class-validator';
import { planDefinitionJsonSchema } from '@dieu-hanh/domain';
import { Public, User, type CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.guard';
import { PlansService } from './plans.service';
import { PlanMatrixService } from './plan-matrix.service';
import { DeadlineShiftDto } from '../extensions/extension.dto';

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
  assignments?: string[];
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
  ) {}

  /** The JSON Schema of the plan definition format. */
  @Public()
  @Get('schema')
  schema() {
    return planDefinitionJsonSchema;
  }

  @Get()
  async list() {
    return (await this.plans.list()).map(({ definition: _definition, ...row }) => row);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.plans.get(id);
  }

  /** Uploads a plan definition: 201 for a new version, 200 when this exact definition exists. */
  @Post()
  @Roles('administrator', 'standing-office')
  @ApiConsumes('application/json')
  @ApiBody({ type: UploadPlanDto })
  async upload(@User() user: CurrentUser, @Body() body: UploadPlanDto, @Res({ passthrough: true }) res: Response) {
    const { plan, created } = await this.plans.import(body.definition, user);
    res.status(created ? 201 : 200);
    const { definition: _definition, ...row } = plan;
    return { ...row, created };
  }

  /** Tasks × units with status per cell and per-unit statistics. */
  @Get(':id/matrix')
  @Roles('standing-office', 'approver', 'auditor', 'administrator')
  async matrix(@User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.matrices.matrix(await this.plans.get(id));
  }

  /** Moves the deadline of every open assignment of the plan (e.g. after an official notice). */
  @Post(':id/deadline-shift')
  @Roles('standing-office')
  @HttpCode(200)
  shift(@User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: DeadlineShiftDto) {
    return this.plans.shiftDeadlines(user, id, body);
  }

  /** Closes a launched plan: the plan workflow cancels every assignment still open. */
  @Post(':id/close')
  @HttpCode(202)
  @Roles('administrator', 'standing-office')
  close(@Param('id', ParseUUIDPipe) id: string, @Body() body: ClosePlanDto) {
    return this.plans.close(id, body.reason);
  }

  @Post(':id/launch')
  @Roles('administrator', 'standing-office')
  @HttpCode(202)
  launch(@User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: LaunchPlanDto) {
    return this.plans.launch(id, { onlyAssignments: body.assignments });
  }
}
