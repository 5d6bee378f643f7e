import { ApiProperty } from '@nestjs/swagger';

export class StoredFileDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'drafting:TV-BTV-2020@v1:FT1:BTC-TU' }) assignmentId!: string;
  @ApiProperty({ example: 'Du-thao-ke-hoach.pdf' }) name!: string;
  @ApiProperty({ example: 183_422, description: 'Bytes' }) size!: number;
  @ApiProperty({ example: 'application/pdf', description: 'Read from the content, not from the name' }) mediaType!: string;
  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' }) sha256!: string;
  @ApiProperty({ format: 'date-time' }) uploadedAt!: string;
}

export class StoredFilesDto {
  @ApiProperty({ type: [StoredFileDto] }) files!: StoredFileDto[];
}
