/** Reverse-mode automatic differentiation: ops, the backward pass, no-grad scopes and gradient checking. */
package dev.backprop.autograd;
