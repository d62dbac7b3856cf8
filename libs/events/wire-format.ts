import { Type } from 'avsc';

/** Confluent wire format: magic byte 0, the schema id (4 bytes, big-endian), then the Avro bytes. */
export function frame(schemaId: number, avro: Buffer): Buffer {
  const framed = Buffer.allocUnsafe(5 + avro.length);
  writeHeader(framed, schemaId);
  avro.copy(framed, 5);
  return framed;
}

export function unframe(message: Buffer): { schemaId: number; avro: Buffer } {
  if (message.length < 5 || message.readUInt8(0) !== 0) {
    throw new Error('not in the Confluent wire format (magic byte 0 + 4-byte schema id)');
  }
  return { schemaId: message.readInt32BE(1), avro: message.subarray(5) };
}

/**
 * Encodes values straight into the wire format: Avro writes after the header in one reused
 * buffer, and each message is a single copy of it (no intermediate Avro buffer, no concat).
 */
export class FramedEncoder {
  private scratch = Buffer.allocUnsafe(64 * 1024);

  encode(type: Type, schemaId: number, value: unknown): Buffer {
    let end = type.encode(value, this.scratch, 5);
    if (end < 0) {
      // encode() answers how many bytes were missing: grow once to fit.
      this.scratch = Buffer.allocUnsafe(
        Math.max(this.scratch.length * 2, this.scratch.length - end),
      );
      end = type.encode(value, this.scratch, 5);
    }
    writeHeader(this.scratch, schemaId);
    const framed = Buffer.allocUnsafe(end);
    this.scratch.copy(framed, 0, 0, end);
    return framed;
  }
}

function writeHeader(buffer: Buffer, schemaId: number): void {
  buffer[0] = 0;
  buffer.writeInt32BE(schemaId, 1);
}
