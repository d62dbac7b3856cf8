import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/**
 * Refuses any body, query or path value holding a NUL character: PostgreSQL cannot store one in
 * text, so it would be accepted here and refused later, out of the caller's sight.
 */
@Injectable()
export class RejectNulBytesPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const where = nulBytePath(value, metadata.type === 'custom' ? '' : (metadata.data ?? ''));
    if (where !== null) {
      throw new BadRequestException(
        `${where || metadata.type} must not contain a NUL character (\\u0000)`,
      );
    }
    return value;
  }
}

/** The path of the first string (or key) holding U+0000, or null. */
export function nulBytePath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulBytePath(value[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return at;
      const found = nulBytePath(inner, at);
      if (found !== null) return found;
    }
  }
  return null;
}
