/** Tensors, shapes and element types, and the kernel interface that matrix products run on. */
package dev.backprop.tensor;
