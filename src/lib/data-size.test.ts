import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDownloadBytes, formatMegabytes } from './data-size';

describe('dataDownloadBytes(manifestPath)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'normlab-data-size-'));
  const write = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };

  it('sums the gzip sizes of the files', () => {
    expect(dataDownloadBytes(write('ok.json', { files: [{ gzipBytes: 9_801_223 }, { gzipBytes: 28_246 }] }))).toBe(9_829_469);
  });

  it('is null without a manifest and rejects a malformed one', () => {
    expect(dataDownloadBytes(join(dir, 'missing.json'))).toBeNull();
    expect(() => dataDownloadBytes(write('bad.json', { files: [{ gzipBytes: '9' }] }))).toThrow(/files\[0\]\.gzipBytes .* received 9/);
  });

  it('formatMegabytes writes decimal megabytes with one decimal', () => {
    expect(formatMegabytes(11_497_000)).toBe('11.5 MB');
  });
});
