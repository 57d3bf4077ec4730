/** Training: the trainer, its callbacks (early stopping, checkpoints, progress), metrics and history. */
package dev.backprop.train;
