/**
 * ONNX interoperability: {@link dev.backprop.onnx.OnnxExport} writes a trained model as an ONNX graph that takes a
 * CSV row's numbers and returns what {@code backprop predict} writes; {@link dev.backprop.onnx.OnnxImport} reads the
 * dense networks ONNX can hold back into a model file.
 */
package dev.backprop.onnx;
