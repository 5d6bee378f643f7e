import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * The paging every paged list takes (README, "Lists"): `page` from 1, `pageSize` 1–500
 * (default 50); the answer is `{ page, pageSize, total, items }` (PageOf).
 */
export class PageQuery {
  @ApiPropertyOptional({ default: 1, minimum: 1, description: 'The page, from 1' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500, description: 'Items per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize?: number;
}

/** `sort`: a field, or `-field` for descending; each list names the fields it sorts by. */
export const sortValues = (...fields: string[]) => fields.flatMap((f) => [f, `-${f}`]);
