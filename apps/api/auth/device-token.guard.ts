import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { DeviceTokens } from './device-tokens';
import { AuthenticatedRequest } from './principal';

/** Devices: `Authorization: Bearer <device token>` from POST /api/v2/devices. */
@Injectable()
export class DeviceTokenGuard implements CanActivate {
  constructor(private readonly tokens: DeviceTokens) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new UnauthorizedException('missing Authorization: Bearer <device token>');
    const device = this.tokens.verifyDevice(match[1]);
    request.device = device;
    request.principal = `device:${device.user_id}/${device.device_id}`;
    return true;
  }
}
