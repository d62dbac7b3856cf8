import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DeviceIdentity } from './principal';

export const TOKEN_SECRET = Symbol('TOKEN_SECRET');

interface DeviceClaims {
  typ: 'device';
  uid: number;
  dev: string;
  app: string;
}

interface SyncClaims {
  typ: 'sync';
  uid: number;
  dev: string;
  /** The feed id the device has everything up to once it acknowledges this token. */
  last: number;
  /** Events the pull that made this token returned. */
  n: number;
}

/**
 * Signed tokens (JWT, HS256): a device token binds a caller to one user, device and app type;
 * a sync token is what a device acknowledges after a pull, bound to that same device.
 */
@Injectable()
export class DeviceTokens {
  private readonly jwt: JwtService;

  constructor(@Inject(TOKEN_SECRET) secret: string) {
    this.jwt = new JwtService({ secret, signOptions: { algorithm: 'HS256' } });
  }

  issueDevice(device: DeviceIdentity): string {
    const claims: DeviceClaims = {
      typ: 'device',
      uid: device.user_id,
      dev: device.device_id,
      app: device.app_type,
    };
    return this.jwt.sign(claims, { expiresIn: '365d' });
  }

  verifyDevice(token: string): DeviceIdentity {
    const claims = this.verify<DeviceClaims>(token, 'device', 'device token');
    return { user_id: claims.uid, device_id: claims.dev, app_type: claims.app };
  }

  issueSync(device: DeviceIdentity, last: number, count: number): string {
    const claims: SyncClaims = {
      typ: 'sync',
      uid: device.user_id,
      dev: device.device_id,
      last,
      n: count,
    };
    return this.jwt.sign(claims, { expiresIn: '30d' });
  }

  /** The position a sync token acknowledges; refused when it was issued to another device. */
  verifySync(token: string, device: DeviceIdentity): { last: number; count: number } {
    const claims = this.verify<SyncClaims>(token, 'sync', 'next_sync_token');
    if (claims.uid !== device.user_id || claims.dev !== device.device_id) {
      throw new UnauthorizedException('next_sync_token was issued to another device');
    }
    return { last: claims.last, count: claims.n };
  }

  private verify<T extends { typ: string }>(token: string, typ: T['typ'], what: string): T {
    let claims: T;
    try {
      claims = this.jwt.verify<T & object>(token, { algorithms: ['HS256'] });
    } catch (error) {
      throw new UnauthorizedException(`${what} is not valid: ${(error as Error).message}`);
    }
    if (claims.typ !== typ) throw new UnauthorizedException(`${what} is not a ${typ} token`);
    return claims;
  }
}
