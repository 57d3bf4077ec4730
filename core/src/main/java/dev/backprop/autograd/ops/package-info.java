/** One small class per differentiable op: its forward value and its local derivative side by side. */
package dev.backprop.autograd.ops;
