/**
 * JSON that keeps Buffers, byte for byte compatible with Baileys' `BufferJSON`
 * (`{ "type": "Buffer", "data": "<base64>" }`), so the login state can be written and read
 * without loading the ESM-only Baileys package (stores and their tests stay plain CommonJS).
 * Buffers, Uint8Arrays and already-serialised `{type:'Buffer', data:[…]}` objects all come back
 * as Buffers.
 */
export function bufferReplacer(_key: string, value: unknown): unknown {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
    return { type: 'Buffer', data: Buffer.from(value).toString('base64') };
  }
  if (isBufferLike(value) && Array.isArray(value.data)) {
    return { type: 'Buffer', data: Buffer.from(value.data as number[]).toString('base64') };
  }
  return value;
}

export function bufferReviver(_key: string, value: unknown): unknown {
  if (isBufferLike(value)) {
    const data = value.data;
    if (typeof data === 'string') return Buffer.from(data, 'base64');
    if (Array.isArray(data)) return Buffer.from(data as number[]);
  }
  return value;
}

function isBufferLike(value: unknown): value is { type: 'Buffer'; data: unknown } {
  return (
    typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'Buffer' && 'data' in value
  );
}

/** `JSON.stringify` with `bufferReplacer`. */
export function toBufferJson(value: unknown): string {
  return JSON.stringify(value, bufferReplacer);
}

/** `JSON.parse` with `bufferReviver`. */
export function fromBufferJson(json: string): unknown {
  return JSON.parse(json, bufferReviver);
}
