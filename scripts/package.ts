// `npm run package`: the built site as one zip archive an instructor can download, unpack into any
// folder of any static host and serve as it is (a build without BASE_PATH has only relative URLs,
// scripts/relative-urls.ts). Zip rather than tar.gz because Windows Explorer and macOS Finder open
// it with a double click, as do the file areas of most learning-management systems.
//
// The writer is the plain PKZIP format (APPNOTE.TXT 6.3.10, sections 4.3.7, 4.3.12, 4.3.16) with
// Node's zlib for deflate and CRC-32: one folder (`normlab-site/`) holding every file of the site,
// names in UTF-8 (flag bit 11), Unix permissions 0644, each file deflated unless that does not make
// it smaller (the gzip-compressed data and Pagefind's index are stored as they are). No ZIP64: an
// archive over 4 GiB is refused (the site is about 20 MB).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** The path inside the archive, '/'-separated. */
  path: string;
  bytes: Uint8Array;
}

const limit = 0xffffffff;

/** MS-DOS time and date (2-second resolution, local fields taken as UTC so archives are reproducible). */
function dosDateTime(date: Date): { time: number; date: number } {
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

/** A zip archive of `entries`, all dated `modified`. */
export function zip(entries: readonly ZipEntry[], modified: Date): Buffer {
  const stamp = dosDateTime(modified);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { path, bytes } of entries) {
    if (path.startsWith('/') || path.split('/').includes('..')) {
      throw new Error(`zip: entry paths must be relative and stay inside the archive, received "${path}"`);
    }
    const name = Buffer.from(path, 'utf8');
    const deflated = deflateRawSync(bytes, { level: 6 });
    const stored = deflated.byteLength >= bytes.byteLength;
    const data = stored ? bytes : deflated;
    if (bytes.byteLength > limit || offset > limit) throw new Error(`zip: the archive passes 4 GiB at "${path}"; expected a smaller site`);
    const fields = { method: stored ? 0 : 8, crc: crc32(bytes), size: data.byteLength, raw: bytes.byteLength };

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(fields.method, 8);
    local.writeUInt16LE(stamp.time, 10);
    local.writeUInt16LE(stamp.date, 12);
    local.writeUInt32LE(fields.crc, 14);
    local.writeUInt32LE(fields.size, 18);
    local.writeUInt32LE(fields.raw, 22);
    local.writeUInt16LE(name.byteLength, 26);
    locals.push(local, name, Buffer.from(data.buffer, data.byteOffset, data.byteLength));

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0, so the permissions below are read
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(fields.method, 10);
    central.writeUInt16LE(stamp.time, 12);
    central.writeUInt16LE(stamp.date, 14);
    central.writeUInt32LE(fields.crc, 16);
    central.writeUInt32LE(fields.size, 20);
    central.writeUInt32LE(fields.raw, 24);
    central.writeUInt16LE(name.byteLength, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.byteLength + data.byteLength;
  }
  const directory = Buffer.concat(centrals);
  if (entries.length > 0xffff || offset > limit)
    throw new Error(`zip: ${entries.length} files, ${offset} bytes; expected at most 65,535 files and 4 GiB`);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.byteLength, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Every file of `site`, under `folder/` in the archive, in path order. */
export async function siteEntries(site: string, folder: string): Promise<ZipEntry[]> {
  const found = await readdir(site, { withFileTypes: true, recursive: true });
  const paths = found
    .filter((e) => e.isFile())
    .map((e) => relative(site, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
  if (!paths.includes('index.html')) throw new Error(`package: ${site} has no index.html; expected a built site (npm run build)`);
  return Promise.all(paths.map(async (path) => ({ path: `${folder}/${path}`, bytes: await readFile(join(site, path)) })));
}

/** Writes `archive` (e.g. normlab-site.zip) from the built `site`, its folder named after the archive. */
export async function packageSite(site: string, archive: string, modified = new Date()): Promise<{ files: number; bytes: number }> {
  const html = await readFile(join(site, 'index.html'), 'utf8');
  if (!html.includes('<meta name="normlab-root" content="./">')) {
    throw new Error(
      `package: ${site} was built for one address (BASE_PATH); expected a build for any folder: run \`npm run build\` without BASE_PATH`,
    );
  }
  const entries = await siteEntries(site, basename(archive).replace(/\.zip$/, ''));
  const bytes = zip(entries, modified);
  await writeFile(archive, bytes);
  return { files: entries.length, bytes: bytes.byteLength };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [site = 'dist', archive = 'normlab-site.zip'] = process.argv.slice(2);
  const started = Date.now();
  const { files, bytes } = await packageSite(site, archive);
  console.log(
    `package: ${files} files of ${site}/ → ${archive} (${(bytes / 1e6).toFixed(1)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
