import { describe, expect, it } from 'vitest';
import { parseIdx } from './idx.ts';

function idx(dims: number[], data: number[], type = 0x08): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  const view = new DataView(header.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  return Uint8Array.from([...header, ...data]);
}

describe('parseIdx', () => {
  it('parseIdx(bytes) reads big-endian dims and returns the data as a view', () => {
    const bytes = idx([2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const { dims, data } = parseIdx(bytes);
    expect(dims).toEqual([2, 2, 3]);
    expect(Array.from(data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(data.buffer).toBe(bytes.buffer);
  });

  it('parseIdx(bytes) rejects a bad magic number and recognises gzip bytes', () => {
    expect(() => parseIdx(Uint8Array.from([1, 2, 8, 1, 0, 0, 0, 0]))).toThrow(
      /bad magic number: expected 00 00 <type> <dims>, received 01 02 08 01/,
    );
    expect(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0]))).toThrow(/gzip bytes: decompress first/);
  });

  it('parseIdx(bytes) rejects truncated data and trailing bytes', () => {
    expect(() => parseIdx(idx([3], [1, 2]))).toThrow(/truncated data: dims \[3\] need 3 bytes after the header, received 2/);
    expect(() => parseIdx(idx([1], [1, 2]))).toThrow(/1 unexpected trailing bytes/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 2, 0, 0]))).toThrow(/truncated header: 2 dimensions need 12 bytes, received 6/);
    expect(() => parseIdx(new Uint8Array(2))).toThrow(/at least a 4-byte header, received 2 bytes/);
  });

  it('parseIdx(bytes) rejects element types other than unsigned byte', () => {
    expect(() => parseIdx(idx([1], [0, 0, 0, 0], 0x0d))).toThrow(
      /unsupported element type float \(0x0d\), expected unsigned byte \(0x08\)/,
    );
  });

  it('parseIdx(value) rejects something that is not a Uint8Array', () => {
    // @ts-expect-error deliberately wrong type
    expect(() => parseIdx([0, 0, 8, 1])).toThrow(/expected a Uint8Array, received \[object Array\]/);
  });
});
