import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { IsString, Length } from 'class-validator';
import type { Request, Response } from 'express';
import { AuthService } from './auth.service';
import { AllowAuditor, Public, User, type CurrentUser } from './current-user';
import { LoginThrottledError } from './login-throttle';
import { ApiErrors, ApiNoToken } from '../common/api-contract';
import { AppErrorCode } from '../common/app-error';
import { CurrentUserDto, LoginResultDto } from './auth.responses';

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

  /**
   * Exchanges a username and password for a bearer token (valid 12 h or until logout).
   * Failed logins are limited per account and per client address (429 with Retry-After).
   */
  @Public()
  @Post('login')
  @HttpCode(200)
  @Throttle({ default: { limit: 300, ttl: 60_000 } })
  @ApiOkResponse({ type: LoginResultDto })
  @ApiNoToken()
  @ApiErrors([AppErrorCode.UNAUTHENTICATED, AppErrorCode.RATE_LIMITED], { 401: 'wrong username or password', 429: 'too many failed logins for this account or address (Retry-After)' })
  async login(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Body() body: LoginDto) {
    try {
      const { token, user } = await this.auth.login(body.username, body.password, req.ip ?? req.socket.remoteAddress ?? 'unknown', 'bearer');
      return { token, user };
    } catch (err) {
      if (err instanceof LoginThrottledError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
      throw err;
    }
  }

  /** Ends this token's session: the token is refused from now on. */
  @Post('logout')
  @AllowAuditor()
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'The token is refused from now on' })
  async logout(@User() user: CurrentUser): Promise<void> {
    await this.auth.logout(user.sessionId);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: CurrentUserDto })
  me(@User() user: CurrentUser) {
    return user;
  }
}
