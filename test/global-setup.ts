/**
 * Builds the site twice, exactly as `npm run build` does (wasm kernels, data assets, `astro build`,
 * Pagefind, the service worker's precache list):
 * once for any folder (no BASE_PATH) and once with BASE_PATH=/course/, each into its own folder
 * (see sites.ts), and once more with the example course configuration (`seminar`); packages the
 * first as `npm run package` does and unpacks the archive twice (`packaged`); then
 * serves them all with the plain static server, and the root build twice more with extra headers
 * (a strict CSP, cross-origin isolation; see `variants`). Set E2E_SKIP_BUILD=1 to reuse existing builds while
 * iterating on tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import type { FullConfig } from '@playwright/test';
import { startStaticServer } from './static-server.ts';
import { archive, packaged, seminar, sites, variants } from './sites.ts';

function run(command: string, args: string[], env: Record<string, string> = {}): void {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    throw new Error(`global setup: \`${[command, ...args].join(' ')}\` failed with exit code ${result.status}`);
  }
  console.log(`global setup: ${[command, ...args].join(' ')} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  if (process.env.E2E_SKIP_BUILD !== '1') {
    run('npm', ['run', 'wasm']);
    run('npm', ['run', 'data']);
    for (const site of [...Object.values(sites), seminar]) {
      run('npx', ['astro', 'build'], { BASE_PATH: site.buildBase, OUT_DIR: site.dir, COURSE_CONFIG: 'config' in site ? site.config : '' });
      run('npx', ['pagefind', '--site', site.dir]);
      run('npx', ['tsx', 'scripts/precache.ts', site.dir]);
    }
    run('npx', ['tsx', 'scripts/package.ts', sites.root.dir, archive]);
    for (const { folder } of Object.values(packaged)) {
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder, { recursive: true });
      run('unzip', ['-q', archive, '-d', folder]);
    }
  }
  for (const site of [...Object.values(sites), seminar, ...Object.values(packaged)]) {
    if (!existsSync(`${site.dir}/index.html`)) {
      throw new Error(`global setup: ${site.dir}/index.html is missing; build the site or unset E2E_SKIP_BUILD`);
    }
  }
  const servers = await Promise.all([
    ...[...Object.values(sites), seminar, ...Object.values(packaged)].map((site) =>
      startStaticServer({ dir: site.dir, base: site.base, port: site.port }),
    ),
    ...Object.values(variants).map((v) => startStaticServer({ dir: v.dir, base: v.base, port: v.port, headers: v.headers })),
  ]);
  return async () => {
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  };
}
