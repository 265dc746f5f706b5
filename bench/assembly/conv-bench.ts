/**
 * The module bench/conv-im2col.ts builds for itself: the engine's direct convolution kernels,
 * compiled from their own source with the engine's flags, beside the im2col kernels that lost
 * to them (im2col.ts), so both run in one memory.
 */
export { conv2dBackwardWeights, conv2dForward, pad2d } from '../../engine/wasm/assembly/conv';
export { im2col, im2colBackwardWeights, im2colForward } from './im2col';

/** Where the bench's buffers may start (after this module's static data). */
export function heapBase(): usize {
  return __heap_base;
}
