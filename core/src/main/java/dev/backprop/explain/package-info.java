/** Backpropagation shown step by step, the way the seeds tell it; a network's gradients, and their check by finite differences. */
package dev.backprop.explain;
