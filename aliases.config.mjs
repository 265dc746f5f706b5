// The one alias table: tsconfig.json's `paths` (which the type-checker and editors read), turned
// into Vite's `resolve.alias` for the Astro build and for Vitest. Vite ignores tsconfig paths on
// its own (STACK-NOTES), so both configs import this instead of writing the table again.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const tsconfig = JSON.parse(readFileSync(new URL('./tsconfig.json', import.meta.url), 'utf8'));

/** `"@charts/*": ["src/charts/*"]` → `{ find: /^@charts\//, replacement: '/abs/src/charts/' }`; an entry without `*` matches exactly. */
export const aliases = Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => {
  const wildcard = name.endsWith('/*');
  const prefix = wildcard ? name.slice(0, -1) : name;
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return {
    find: new RegExp(`^${escaped}${wildcard ? '' : '$'}`),
    replacement: fileURLToPath(new URL(`./${wildcard ? target.slice(0, -1) : target}`, import.meta.url)),
  };
});
