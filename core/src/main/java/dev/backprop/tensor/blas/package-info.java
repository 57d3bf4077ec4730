/** The matrix-product kernels behind {@link dev.backprop.tensor.Kernels}: OpenBLAS through the Foreign Function API, pure-Java BLAS, and plain loops for tiny products. */
package dev.backprop.tensor.blas;
