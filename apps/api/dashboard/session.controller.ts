import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Post,
  Req,
  Res,
  UnauthorizedException,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { APP_CONFIG, AppConfig } from '@odoo-stream/config';
import { matchApiKey } from '../auth/api-keys';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { ApiErrors } from '../errors/api-errors.decorator';
import { strictValidation } from '../validation/validation-pipes';
import { DashboardSessions } from './dashboard-sessions';
import { SESSION_COOKIE, SESSION_SECONDS, sessionCookie, SessionRequest } from './session-rules';

export class SignInDto {
  @ApiProperty({ description: 'One of the admin keys (ADMIN_API_KEYS)' })
  @IsString({ message: 'key must be the admin key, as a string' })
  @MinLength(1, { message: 'key is required' })
  @MaxLength(512, { message: 'key is longer than any admin key' })
  key: string;
}

export class SessionView {
  @ApiProperty({ example: true }) signed_in: boolean;
  @ApiPropertyOptional({
    example: 'operator',
    description: 'The admin key signed in with (its name)',
  })
  key_name?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) expires_at?: string;
}

interface CookieResponse {
  cookie(name: string, value: string, options: Record<string, unknown>): void;
  clearCookie(name: string, options: Record<string, unknown>): void;
}

/**
 * The dashboard's sign-in: an admin key exchanged for an http-only, same-site session cookie
 * (the key itself is never stored in the browser nor sent back).
 */
@ApiTags('dashboard')
@ApiErrors(400, 401, 429)
@UseGuards(RateLimitGuard)
@UsePipes(strictValidation)
@Controller('api/session')
export class SessionController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: DashboardSessions,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: SessionView })
  async signIn(
    @Body() body: SignInDto,
    @Req() request: SessionRequest & { secure?: boolean },
    @Res({ passthrough: true }) response: CookieResponse,
  ): Promise<SessionView> {
    if (this.config.auth.adminKeys.length === 0) {
      throw new UnauthorizedException(
        'no admin keys are configured on this server (ADMIN_API_KEYS)',
      );
    }
    const name = matchApiKey(body.key, this.config.auth.adminKeys);
    if (!name) throw new UnauthorizedException('this is not an admin key of this server');
    const { token, expiresAt } = await this.sessions.open(name);
    response.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      // Over https (directly or behind a proxy that says so) the browser sends it only there.
      secure: request.secure === true,
      path: '/',
      maxAge: SESSION_SECONDS * 1000,
    });
    return { signed_in: true, key_name: name, expires_at: expiresAt.toISOString() };
  }

  /** Whether this browser is signed in (answered 200 either way, so the page can tell). */
  @Get()
  @ApiOkResponse({ type: SessionView })
  async current(@Req() request: SessionRequest): Promise<SessionView> {
    const token = sessionCookie(request);
    if (!token) return { signed_in: false };
    try {
      const { keyName, expiresAt } = await this.sessions.verify(token);
      return { signed_in: true, key_name: keyName, expires_at: expiresAt.toISOString() };
    } catch {
      return { signed_in: false };
    }
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Signed out: the session ends and the cookie is cleared' })
  async signOut(
    @Req() request: SessionRequest,
    @Res({ passthrough: true }) response: CookieResponse,
  ): Promise<void> {
    const token = sessionCookie(request);
    if (token) await this.sessions.close(token);
    response.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/' });
  }
}
