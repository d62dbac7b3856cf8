/** Confluent wire format: magic byte 0, the schema id (4 bytes, big-endian), then the Avro bytes. */
export function frame(schemaId: number, avro: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(0, 0);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, avro]);
}

export function unframe(message: Buffer): { schemaId: number; avro: Buffer } {
  if (message.length < 5 || message.readUInt8(0) !== 0) {
    throw new Error('not in the Confluent wire format (magic byte 0 + 4-byte schema id)');
  }
  return { schemaId: message.readInt32BE(1), avro: message.subarray(5) };
}
