import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32, inflateRawSync } from 'node:zlib';
import { packageSite, zip, type ZipEntry } from './package';

interface Read extends ZipEntry {
  method: number;
  flags: number;
  mode: number;
  date: number;
}

/** Reads an archive through its central directory, as unzip does, checking each file's CRC-32 and size. */
function unzip(archive: Buffer): Read[] {
  const end = archive.length - 22;
  expect(archive.readUInt32LE(end)).toBe(0x06054b50);
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const entries: Read[] = [];
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const [method, size, raw, nameLength, local] = [at + 10, at + 20, at + 24, at + 28, at + 42].map((o) =>
      o === at + 20 || o === at + 24 || o === at + 42 ? archive.readUInt32LE(o) : archive.readUInt16LE(o),
    );
    const path = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    expect(archive.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const data = archive.subarray(start, start + size);
    const bytes = method === 8 ? inflateRawSync(data) : data;
    expect(bytes.byteLength, path).toBe(raw);
    expect(crc32(bytes), path).toBe(archive.readUInt32LE(at + 16));
    entries.push({
      path,
      bytes,
      method,
      flags: archive.readUInt16LE(at + 8),
      mode: archive.readUInt32LE(at + 38) >>> 16,
      date: archive.readUInt16LE(at + 14),
    });
    at += 46 + nameLength;
  }
  return entries;
}

describe('zip(entries, modified)', () => {
  it('round-trips every file: text deflated, incompressible bytes stored, UTF-8 names, 0644, the given date', () => {
    const text = Buffer.from('<p>normalization</p>\n'.repeat(200));
    const noise = randomBytes(4096);
    const archive = zip(
      [
        { path: 'site/index.html', bytes: text },
        { path: 'site/data/train-images.idx.gz', bytes: noise },
        { path: 'site/lessons/x̂/index.html', bytes: Buffer.alloc(0) },
      ],
      new Date('2026-12-06T22:00:00Z'),
    );
    const read = unzip(archive);
    expect(read.map((e) => e.path)).toEqual(['site/index.html', 'site/data/train-images.idx.gz', 'site/lessons/x̂/index.html']);
    expect(read.map((e) => e.method)).toEqual([8, 0, 0]);
    expect(Buffer.compare(read[0].bytes, text)).toBe(0);
    expect(Buffer.compare(read[1].bytes, noise)).toBe(0);
    expect(read.every((e) => e.flags === 0x0800 && e.mode === 0o100644)).toBe(true);
    expect(read[0].date).toBe(((2026 - 1980) << 9) | (12 << 5) | 6);
    expect(archive.byteLength).toBeLessThan(text.byteLength / 4 + noise.byteLength);
  });

  it('refuses a path that would leave the folder it is unpacked into', () => {
    expect(() => zip([{ path: '../evil.js', bytes: Buffer.from('x') }], new Date())).toThrow('received "../evil.js"');
    expect(() => zip([{ path: '/etc/x', bytes: Buffer.from('x') }], new Date())).toThrow('received "/etc/x"');
  });
});

describe('packageSite(site, archive)', () => {
  async function site(root: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'package-'));
    const files = {
      'index.html': `<head><meta name="normlab-root" content="${root}"></head>`,
      'lessons/x/index.html': '<p>x</p>',
      '.nojekyll': '',
    };
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    return dir;
  }

  it('writes every file of a build for any folder into one folder named after the archive', async () => {
    const dir = await site('./');
    const archive = join(dir, '..', `${dir.split('/').pop()}-normlab-site.zip`);
    const { files } = await packageSite(dir, archive);
    expect(files).toBe(3);
    const name = archive
      .split('/')
      .pop()!
      .replace(/\.zip$/, '');
    expect(unzip(await readFile(archive)).map((e) => e.path)).toEqual([
      `${name}/.nojekyll`,
      `${name}/index.html`,
      `${name}/lessons/x/index.html`,
    ]);
  });

  it('refuses a build made for one address (BASE_PATH)', async () => {
    const dir = await site('/course/');
    await expect(packageSite(dir, join(dir, 'x.zip'))).rejects.toThrow(
      /was built for one address \(BASE_PATH\); expected a build for any folder/,
    );
  });
});
