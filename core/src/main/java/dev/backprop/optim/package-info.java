/** Optimizers over named parameters, their checkpointable state, gradient clipping and learning-rate schedules. */
package dev.backprop.optim;
