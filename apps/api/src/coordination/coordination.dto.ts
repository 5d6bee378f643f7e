import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { COMMENT_MAX_WORKING_DAYS, COMMENT_TEXT_MAX } from '@dieu-hanh/domain/assignment';

/** The lead unit asks coordinating units for written comments (xin ý kiến). */
export class CommentRequestDto {
  @ApiProperty({ type: [String], example: ['BTG-TU', 'BDV-TU'], description: 'Coordinating units of the assignment to ask (1 to 50)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { each: true, message: 'units are unit codes' })
  units!: string[];

  @ApiProperty({ example: 'Đề nghị góp ý dự thảo kế hoạch, nhất là các chỉ tiêu năm 2020' })
  @IsString()
  @Length(3, COMMENT_TEXT_MAX)
  question!: string;

  @ApiPropertyOptional({ example: 5, description: `Working days to answer, 1 to ${COMMENT_MAX_WORKING_DAYS}; absent: the plan's responseDeadlines.coordinationComment` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(COMMENT_MAX_WORKING_DAYS)
  workingDays?: number;
}

/** A coordinating unit's written comments on a request. */
export class CommentDto {
  @ApiProperty({ example: 'cmt-0b6f…', description: 'The request answered' })
  @IsString()
  @Length(1, 100)
  requestId!: string;

  @ApiProperty({ example: 'Đề nghị bổ sung chỉ tiêu về chuyển đổi số.' })
  @IsString()
  @Length(1, COMMENT_TEXT_MAX)
  text!: string;
}
