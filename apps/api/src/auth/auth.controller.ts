import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { IsString, Length } from 'class-validator';
import { AuthService } from './auth.service';
import { Public, User, type CurrentUser } from './current-user';

export class LoginDto {
  @ApiProperty({ example: 'pheduyet' })
  @IsString()
  @Length(1, 100)
  username!: string;

  @ApiProperty({ example: 'demo-password' })
  @IsString()
  @Length(1, 200)
  password!: string;
}

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  /** Exchanges a username and password for a bearer token. Rate-limited. */
  @Public()
  @Post('login')
  @HttpCode(200)
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @ApiOkResponse({ description: '{ token, user }' })
  login(@Body() body: LoginDto) {
    return this.auth.login(body.username, body.password);
  }

  @Get('me')
  @ApiBearerAuth()
  me(@User() user: CurrentUser) {
    return user;
  }
}
