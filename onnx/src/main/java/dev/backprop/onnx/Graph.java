package dev.backprop.onnx;

import com.google.protobuf.ByteString;
import dev.backprop.onnx.proto.Onnx.AttributeProto;
import dev.backprop.onnx.proto.Onnx.GraphProto;
import dev.backprop.onnx.proto.Onnx.NodeProto;
import dev.backprop.onnx.proto.Onnx.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds an ONNX graph: nodes with unique names, float initializers stored as little-endian raw data. */
final class Graph {
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private int counter;

    GraphProto.Builder proto() {
        return graph;
    }

    /** A fresh value name with {@code stem} in it. */
    String name(String stem) {
        return stem + "_" + (counter++);
    }

    /** Adds a float initializer of shape {@code dims} and returns its name. */
    String constant(String stem, float[] values, long... dims) {
        String name = name(stem);
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) t.addDims(d);
        graph.addInitializer(t);
        return name;
    }

    /** A float scalar initializer. */
    String scalar(String stem, float value) {
        return constant(stem, new float[] {value});
    }

    /** Adds a node of {@code op} on {@code inputs} and returns its (single) output's name. */
    String node(String op, String stem, AttributeProto[] attributes, String... inputs) {
        String out = name(stem);
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name(op)).addOutput(out);
        for (String in : inputs) n.addInput(in);
        for (AttributeProto a : attributes) n.addAttribute(a);
        graph.addNode(n);
        return out;
    }

    String node(String op, String stem, String... inputs) {
        return node(op, stem, new AttributeProto[0], inputs);
    }

    static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto floatAttribute(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }
}
