/**
 * The IDX format of the original MNIST files (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS"):
 *
 *   bytes 0–1  zero
 *   byte  2    element type: 0x08 unsigned byte (the only one MNIST uses, and the only one read here)
 *   byte  3    number of dimensions
 *   then one big-endian uint32 per dimension, then the data, row-major.
 */

export interface Idx {
  dims: number[];
  data: Uint8Array; // a view into the input bytes, not a copy
}

const typeNames: Record<number, string> = { 0x08: 'ubyte', 0x09: 'byte', 0x0b: 'short', 0x0c: 'int', 0x0d: 'float', 0x0e: 'double' };

export function parseIdx(bytes: Uint8Array): Idx {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`parseIdx: expected a Uint8Array, received ${Object.prototype.toString.call(bytes)}`);
  }
  if (bytes.length < 4) {
    throw new RangeError(`parseIdx: expected at least a 4-byte header, received ${bytes.length} bytes`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hint = bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (these are gzip bytes: decompress first)' : '';
    throw new RangeError(`parseIdx: bad magic number: expected 00 00 <type> <dims>, received ${hex(bytes, 4)}${hint}`);
  }
  const type = bytes[2];
  if (type !== 0x08) {
    const name = typeNames[type]
      ? `${typeNames[type]} (0x${type.toString(16).padStart(2, '0')})`
      : `0x${type.toString(16).padStart(2, '0')}`;
    throw new RangeError(`parseIdx: unsupported element type ${name}, expected unsigned byte (0x08)`);
  }
  const rank = bytes[3];
  if (rank < 1) throw new RangeError(`parseIdx: expected at least 1 dimension, received ${rank}`);
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw new RangeError(`parseIdx: truncated header: ${rank} dimensions need ${headerLength} bytes, received ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const received = bytes.length - headerLength;
  if (received < expected) {
    throw new RangeError(
      `parseIdx: truncated data: dims [${dims.join(', ')}] need ${expected} bytes after the header, received ${received}`,
    );
  }
  if (received > expected) {
    throw new RangeError(
      `parseIdx: ${received - expected} unexpected trailing bytes: dims [${dims.join(', ')}] need ${expected} bytes after the header, received ${received}`,
    );
  }
  return { dims, data: bytes.subarray(headerLength) };
}

function hex(bytes: Uint8Array, count: number): string {
  return Array.from(bytes.subarray(0, count), (b) => b.toString(16).padStart(2, '0')).join(' ');
}
