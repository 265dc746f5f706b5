/**
 * The type-stripping worker: a module worker of the site's origin, kept for the page's life
 * (strip-client.ts), that turns a code cell's TypeScript into the JavaScript the sandbox runs
 * (to-javascript.ts). It parses the reader's code and never evaluates it, so keeping it is safe;
 * loading Sucrase once here instead of in every sandbox request is what makes a request cheap.
 */
import { toJavaScript, type StrippedCode } from './to-javascript.ts';

export interface StripRequest {
  id: number;
  code: string;
}
export type StripReply = { id: number } & StrippedCode;

const scope = self as unknown as { postMessage(m: StripReply): void; onmessage: ((e: MessageEvent<StripRequest>) => void) | null };

scope.onmessage = (event) => {
  const { id, code } = event.data;
  scope.postMessage({ id, ...toJavaScript(code) });
};
