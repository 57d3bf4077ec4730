/** Model files (architecture, provenance and tensors in one safetensors file) and hand-written JSON network specs. */
package dev.backprop.io;
