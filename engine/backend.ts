/**
 * Where the engine's tensors live and which kernels run on them: `ts` (TypeScript kernels on
 * ordinary Float32Arrays, the readable reference) or `wasm` (the AssemblyScript f32x4 kernels of
 * engine/wasm/assembly/, on tensors inside one WebAssembly.Memory per backend instance).
 *
 * A layer allocates its buffers as `Buf`s from the backend it was given and hands the kernels
 * either `.view` (ts) or `.ptr` (wasm). TypeScript code outside the kernels always sees
 * Float32Array views. Growing a WebAssembly.Memory detaches every view of the old buffer, so a
 * Buf never keeps one: `.view` re-creates it whenever the memory's buffer has changed. Layers
 * resolve their inputs to addresses (`input`) before allocating, so a growth in the middle of a
 * forward pass cannot invalidate an address already taken.
 *
 * Each wasm backend is its own WebAssembly instance with its own memory (a bump arena, reused by
 * `resize` as long as a buffer fits), so a model's memory is released with the model.
 * The module bytes come from the generated kernels-bytes.generated.ts (`npm run wasm`) and are
 * compiled synchronously: no fs and no fetch, the same in Node, vitest and the worker.
 */
import { kernelsBase64 } from './wasm/kernels-bytes.generated.ts';

export type BackendName = 'wasm' | 'ts';
export const backendNames: readonly BackendName[] = ['wasm', 'ts'];

type TypedArray = Float32Array | Int32Array | Float64Array;

/** A resizable buffer of one backend; `view` is always live (never a detached array). */
export interface Buf<A extends TypedArray = Float32Array> {
  /** Byte address in the backend's memory (wasm); −1 for the ts backend. */
  readonly ptr: number;
  readonly length: number;
  readonly view: A;
  /** Sets the length, reallocating (contents not kept) only when the capacity is too small. */
  resize(length: number): Buf<A>;
}

/** The exports of engine/wasm/assembly/kernels.ts; every argument is a byte address or a size. */
export interface WasmKernels {
  denseForward(
    x: number,
    n: number,
    D: number,
    H: number,
    W: number,
    b: number,
    y: number,
    start: number,
    index: number,
    value: number,
  ): void;
  denseBackwardParams(
    dy: number,
    n: number,
    D: number,
    H: number,
    start: number,
    index: number,
    value: number,
    colStart: number,
    colFill: number,
    colRow: number,
    colValue: number,
    dW: number,
    db: number,
  ): void;
  denseBackwardInput(dy: number, n: number, D: number, H: number, W: number, dx: number): void;
  batchNormForwardTrain(
    x: number,
    n: number,
    H: number,
    gamma: number,
    beta: number,
    movingMean: number,
    movingVariance: number,
    momentum: number,
    epsilon: number,
    correction: number,
    y: number,
    xhat: number,
    mean: number,
    variance: number,
    invStd: number,
    lastMean: number,
    lastVariance: number,
    ablation: number,
  ): void;
  batchNormForwardEval(
    x: number,
    n: number,
    H: number,
    gamma: number,
    beta: number,
    movingMean: number,
    movingVariance: number,
    epsilon: number,
    y: number,
    scale: number,
    shift: number,
    ablation: number,
  ): void;
  batchNormBackward(
    dy: number,
    xhat: number,
    invStd: number,
    gamma: number,
    n: number,
    H: number,
    sumDy: number,
    sumDyXhat: number,
    coef: number,
    dx: number,
    dgamma: number,
    dbeta: number,
    mean: number,
    ablation: number,
  ): void;
  reluForward(x: number, y: number, length: number): void;
  reluBackward(y: number, dy: number, dx: number, length: number): void;
  sigmoidForward(x: number, y: number, length: number): void;
  sigmoidBackward(y: number, dy: number, dx: number, length: number): void;
  tanhForward(x: number, y: number, length: number): void;
  tanhBackward(y: number, dy: number, dx: number, length: number): void;
  multiply(a: number, b: number, out: number, length: number): void;
  adamUpdate(
    w: number,
    g: number,
    m: number,
    v: number,
    length: number,
    beta1: number,
    beta2: number,
    stepSize: number,
    epsHat: number,
    l2x2: number,
    shrink: number,
  ): void;
  sgdUpdate(w: number, g: number, velocity: number, length: number, lr: number, momentum: number, l2x2: number): void;
  softmaxCrossEntropy(logits: number, labels: number, n: number, k: number, dlogits: number, correctOut: number): number;
  sumSquares(g: number, length: number, sum: number): number;
  scaleInPlace(g: number, length: number, scale: number): void;
  clampInPlace(g: number, length: number, limit: number): void;
  pad2d(x: number, n: number, R: number, S: number, C: number, p: number, out: number): void;
  conv2dForward(x: number, n: number, R: number, S: number, C: number, W: number, F: number, k: number, b: number, y: number): void;
  conv2dBackwardWeights(xp: number, dy: number, n: number, Ro: number, So: number, C: number, F: number, k: number, dW: number): void;
  sumRows(dy: number, rows: number, F: number, out: number): void;
  maxPoolForward(x: number, n: number, R: number, S: number, C: number, y: number, arg: number): void;
  maxPoolBackward(dy: number, arg: number, count: number, dx: number, length: number): void;
  groupNormForward(
    x: number,
    n: number,
    P: number,
    C: number,
    G: number,
    gamma: number,
    beta: number,
    epsilon: number,
    y: number,
    xhat: number,
    invStd: number,
    sums: number,
  ): void;
  groupNormBackward(
    dy: number,
    xhat: number,
    invStd: number,
    gamma: number,
    n: number,
    P: number,
    C: number,
    G: number,
    dx: number,
    dgamma: number,
    dbeta: number,
    sums: number,
  ): void;
  heapBase(): number;
}

export interface Backend {
  readonly name: BackendName;
  /** The wasm kernels, or null on the ts backend. */
  readonly kernels: WasmKernels | null;
  f32(length: number): Buf<Float32Array>;
  i32(length: number): Buf<Int32Array>;
  f64(length: number): Buf<Float64Array>;
  /** Byte address of `x` if it is a view into this backend's memory, else −1. */
  address(x: Float32Array): number;
  /** `x` itself as a Buf when it lives in this backend's memory, else `x` copied into `staging`. */
  input(x: Float32Array, staging: Buf<Float32Array>): Buf<Float32Array>;
  /** A Buf that keeps giving a live view of `x` (a wasm view held across a memory growth goes stale). */
  hold(x: Float32Array): Buf<Float32Array>;
}

// ---------------------------------------------------------------------------------------------
// ts: plain typed arrays.

type ArrayMaker<A extends TypedArray> = (length: number) => A;

function tsBuf<A extends TypedArray>(make: ArrayMaker<A>, length: number, data: A = make(length)): Buf<A> {
  let view = data.length === length ? data : (data.subarray(0, length) as A);
  const buf = {
    ptr: -1,
    length,
    get view() {
      return view;
    },
    resize(next: number) {
      if (next > data.length) data = make(next);
      if (next !== buf.length) {
        view = data.length === next ? data : (data.subarray(0, next) as A);
        buf.length = next;
      }
      return buf;
    },
  };
  return buf;
}

const makeF32 = (n: number) => new Float32Array(n);
const makeI32 = (n: number) => new Int32Array(n);
const makeF64 = (n: number) => new Float64Array(n);

/** The one ts backend: it has no state of its own. */
export const tsBackend: Backend = Object.freeze({
  name: 'ts' as const,
  kernels: null,
  f32: (length: number) => tsBuf(makeF32, length),
  i32: (length: number) => tsBuf(makeI32, length),
  f64: (length: number) => tsBuf(makeF64, length),
  address: () => -1,
  input: (x: Float32Array) => tsBuf(makeF32, x.length, x),
  hold: (x: Float32Array) => tsBuf(makeF32, x.length, x),
});

// ---------------------------------------------------------------------------------------------
// wasm: one instance (and memory) per backend.

/** The slice of the WebAssembly JS API the engine uses (its tsconfig has no DOM or Node types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: WasmKernels & { memory: WasmMemory } };
}

const pageBytes = 65536;
let bytes: Uint8Array | null = null;
let supported: boolean | undefined;
let compiled: object | null = null;

function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

function kernelBytes(): Uint8Array {
  bytes ??= decodeBase64(kernelsBase64);
  return bytes;
}

/**
 * Whether this JavaScript engine runs WebAssembly SIMD: validate() of the kernels themselves,
 * which use v128 throughout. Validation compiles nothing, so a browser's main thread answers the
 * same as its workers (where training runs).
 */
export function wasmAvailable(): boolean {
  supported ??= wasmApi()?.validate(kernelBytes()) === true;
  return supported;
}

/** `wasm` where WebAssembly SIMD is available, else `ts`: the default of every training config. */
export function defaultBackendName(): BackendName {
  return wasmAvailable() ? 'wasm' : 'ts';
}

/** A new backend: `ts` (stateless, shared) or `wasm` (a fresh instance and memory of the kernels). */
export function createBackend(name: BackendName): Backend {
  if (name === 'ts') return tsBackend;
  if (name !== 'wasm') throw new RangeError(`createBackend: name must be 'wasm' or 'ts', received ${String(name)}`);
  const api = wasmApi();
  if (!api || !wasmAvailable()) {
    throw new Error("createBackend: the 'wasm' backend needs WebAssembly with SIMD, which this JavaScript engine lacks; use 'ts'");
  }
  try {
    compiled ??= new api.Module(kernelBytes());
    return wasmBackend(new api.Instance(compiled, {}).exports);
  } catch (error) {
    // Browsers refuse to compile modules over 4 KB synchronously on the main thread: train in a worker.
    throw new Error(
      `createBackend: could not instantiate the wasm kernels synchronously here (${String(error)}); use a worker, Node, or 'ts'`,
    );
  }
}

function wasmBackend(exports: WasmKernels & { memory: WasmMemory }): Backend {
  const memory = exports.memory;
  let top = align(exports.heapBase());

  function alloc(bytes: number): number {
    const ptr = top;
    top = align(top + Math.max(bytes, 16));
    const short = top - memory.buffer.byteLength;
    if (short > 0) memory.grow(Math.ceil(short / pageBytes));
    return ptr;
  }

  function buf<A extends TypedArray>(
    Make: { new (b: ArrayBuffer, offset: number, length: number): A; BYTES_PER_ELEMENT: number },
    length: number,
    at = -1,
  ): Buf<A> {
    let capacity = length;
    let ptr = at >= 0 ? at : alloc(length * Make.BYTES_PER_ELEMENT);
    let view: A | null = null;
    const b = {
      get ptr() {
        return ptr;
      },
      length,
      get view(): A {
        if (view === null || view.buffer !== memory.buffer || view.length !== b.length) view = new Make(memory.buffer, ptr, b.length);
        return view;
      },
      resize(next: number) {
        if (next > capacity) {
          ptr = alloc(next * Make.BYTES_PER_ELEMENT);
          capacity = next;
        }
        b.length = next;
        return b;
      },
    };
    return b;
  }

  const backend: Backend = {
    name: 'wasm',
    kernels: exports,
    f32: (length) => buf(Float32Array, length),
    i32: (length) => buf(Int32Array, length),
    f64: (length) => buf(Float64Array, length),
    address: (x) => (x.buffer === memory.buffer ? x.byteOffset : -1),
    input(x, staging) {
      if (x.buffer === memory.buffer) return buf(Float32Array, x.length, x.byteOffset);
      staging.resize(x.length).view.set(x);
      return staging;
    },
    hold: (x) => (x.buffer === memory.buffer ? buf(Float32Array, x.length, x.byteOffset) : tsBackend.hold(x)),
  };
  return backend;
}

function align(address: number): number {
  return (address + 15) & ~15;
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (with padding) to bytes; the engine has no atob or Buffer. */
export function decodeBase64(text: string): Uint8Array {
  const values = new Uint8Array(128);
  for (let i = 0; i < alphabet.length; i++) values[alphabet.charCodeAt(i)] = i;
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    acc = (acc << 6) | values[clean.charCodeAt(i)];
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  return out;
}
