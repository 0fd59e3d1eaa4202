/**
 * tfjs-core, re-exported so every cnnkit package uses the one copy the user has
 * installed (a second copy would have a second kernel registry).
 */
export * as tf from '@tensorflow/tfjs-core';
