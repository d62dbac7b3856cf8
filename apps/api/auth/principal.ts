/** Who is calling, as the guards establish it. */
export interface DeviceIdentity {
  user_id: number;
  device_id: string;
  app_type: string;
}

export interface AuthenticatedRequest {
  /** `key:<name>` or `device:<user>/<device>`: what the rate limit counts by. */
  principal?: string;
  device?: DeviceIdentity;
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
}
