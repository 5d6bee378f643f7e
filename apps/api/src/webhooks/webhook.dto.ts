import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUrl, Length } from 'class-validator';
import { WEBHOOK_EVENT_TYPES } from '@dieu-hanh/domain';
import { PageOf } from '../common/api-contract';
import { PageQuery } from '../common/list-query';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://eoffice.travinh.gov.vn/hooks/dieu-hanh', description: 'Receives each event as a signed POST (http or https)' })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @Length(1, 2000)
  url!: string;

  @ApiProperty({ example: 'mot-khoa-bi-mat-du-dai-32-ky-tu-tro-len', description: 'The HMAC-SHA256 key of the signatures, 32–200 characters; never answered back' })
  @IsString()
  @Length(32, 200)
  secret!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['draft.submitted', 'decision', 'assignment.done'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  eventTypes!: string[];

  @ApiPropertyOptional({ type: [String], example: ['BTG-TU'], description: 'Only events of assignments these units lead; absent or empty: every unit' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  units?: string[];
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) eventTypes!: string[];
  @ApiProperty({ type: [String] }) units!: string[];
  @ApiProperty() active!: boolean;
  @ApiProperty({ example: 'quantri' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'];

export class ListDeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES }) @IsOptional() @IsIn(DELIVERY_STATUSES) status?: string;
}

export class WebhookDeliveryDto {
  @ApiProperty({ example: '42' }) id!: string;
  @ApiProperty({ example: 'drafting:KH-TW-2020-v1:FT2:BTG-TU:3:draft.submitted', description: 'The event id (header Dieu-Hanh-Delivery): the same on every retry' }) eventId!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES }) eventType!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: string;
  @ApiProperty({ example: 3 }) attempts!: number;
  @ApiProperty({ nullable: true, type: Number, example: 503, description: 'The receiver\'s last HTTP status; null when it could not be reached' }) lastStatus!: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'TypeError: fetch failed' }) lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastAttemptAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deliveredAt!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The JSON body delivered' }) payload!: Record<string, unknown>;
}

export class WebhookDeliveryPage extends PageOf(WebhookDeliveryDto, 'WebhookDeliveryPage') {}
