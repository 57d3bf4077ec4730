/** Losses: one number for how far a network's output is from its target, each with its reduction documented. */
package dev.backprop.loss;
