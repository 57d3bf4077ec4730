package dev.backprop.io;

import dev.backprop.nn.BatchNorm1d;
import dev.backprop.nn.Module;
import dev.backprop.nn.Rescale;
import dev.backprop.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network's weights alone, as a safetensors file PyTorch loads in strict mode into the matching
 * {@code nn.Sequential} ({@code model.load_state_dict(tensors)}), and back: the names are those of PyTorch's
 * {@code state_dict()} ({@code "0.weight"}, {@code "0.bias"}, {@code "2.weight"}, ...; a Linear's weight is
 * {@code [out, in]} in both).
 *
 * <ul>
 *   <li>A final {@link Rescale} (a regression's target scaling) has no PyTorch module: its tensors are left out, and
 *       the metadata says so ({@code backprop.rescale}); the PyTorch network then predicts standardised targets.</li>
 *   <li>A {@link BatchNorm1d} gets the {@code num_batches_tracked} count PyTorch's strict loading asks for (as 0:
 *       it matters only to PyTorch's momentum-free running averages); reading, the count is accepted and ignored.</li>
 *   <li>Reading is strict too: a missing or unexpected name, or a shape that differs, is an error naming it.</li>
 * </ul>
 */
public final class TorchWeights {
    private TorchWeights() {}

    /** Writes {@code network}'s weights to {@code file}, atomically. */
    public static void write(Module network, Path file) throws ModelFileException {
        Map<String, Module> modules = modules(network);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        List<String> rescaled = new ArrayList<>();
        Map<String, Tensor> state = network.stateDict();
        for (var m : modules.entrySet()) {                  // module by module, as PyTorch orders a state_dict
            String prefix = m.getKey();
            for (var e : state.entrySet()) {
                if (!prefix(e.getKey()).equals(prefix)) continue;
                if (m.getValue() instanceof Rescale) {
                    if (!rescaled.contains(prefix)) rescaled.add(prefix);
                } else {
                    tensors.put(e.getKey(), e.getValue());
                }
            }
        }
        modules.forEach((prefix, m) -> {
            if (m instanceof BatchNorm1d) counts.put(prefix + "num_batches_tracked", 0L);
        });
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("backprop", "weights only (" + Provenance.currentLibraryVersion() + "): load_state_dict(..., strict=True) into the matching nn.Sequential");
        if (!rescaled.isEmpty()) {
            StringBuilder sb = new StringBuilder("left out: the target rescale at module ");
            for (String p : rescaled) {
                Map<String, Tensor> s = modules.get(p).stateDict();
                sb.append(p, 0, p.length() - 1).append(" (outputs × ").append(java.util.Arrays.toString(s.get("scale").toFloatArray()))
                        .append(" + ").append(java.util.Arrays.toString(s.get("shift").toFloatArray())).append(") ");
            }
            meta.put("backprop.rescale", sb.toString().strip());
        }
        Safetensors.write(file, meta, tensors, counts);
    }

    /**
     * Loads the weights of {@code file} into {@code network}, strictly: every tensor the network's PyTorch form has
     * must be there with its shape, and nothing else (a final rescale keeps its own values).
     */
    public static void load(Path file, Module network) throws ModelFileException {
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, Module> modules = modules(network);
        Map<String, Tensor> state = network.stateDict();
        Map<String, Tensor> loaded = new LinkedHashMap<>(state);
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>();
        for (String name : state.keySet()) {
            if (modules.get(prefix(name)) instanceof Rescale) continue;
            if (!c.tensors().containsKey(name)) missing.add(name);
        }
        for (var e : c.tensors().entrySet()) {
            String name = e.getKey();
            Module owner = modules.get(prefix(name));
            if (owner instanceof BatchNorm1d && name.endsWith(".num_batches_tracked")) continue;
            Tensor have = state.get(name);
            if (have == null || owner instanceof Rescale) {
                unexpected.add(name);
                continue;
            }
            if (!have.shape().equals(e.getValue().shape())) {
                throw new ModelFileException(file.toString(), "tensor '" + Messages.clean(name, 80) + "' has shape " + e.getValue().shape()
                        + "; the network's is " + have.shape());
            }
            loaded.put(name, e.getValue());
        }
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new ModelFileException(file.toString(), "the weights do not match the network: "
                    + (missing.isEmpty() ? "" : "missing " + shortList(missing)) + (missing.isEmpty() || unexpected.isEmpty() ? "" : "; ")
                    + (unexpected.isEmpty() ? "" : "unexpected " + shortList(unexpected))
                    + " (the network has " + shortList(new ArrayList<>(state.keySet())) + ")");
        }
        network.loadStateDict(loaded);
    }

    private static String shortList(List<String> names) {
        List<String> shown = names.size() > 6 ? names.subList(0, 6) : names;
        return shown.stream().map(n -> "'" + Messages.clean(n, 60) + "'").toList() + (names.size() > 6 ? " and " + (names.size() - 6) + " more" : "");
    }

    /** Every module of {@code root} by the prefix of its tensors' names ({@code ""} for the root, {@code "2."}, ...). */
    private static Map<String, Module> modules(Module root) {
        Map<String, Module> out = new LinkedHashMap<>();
        collect(root, "", out);
        return out;
    }

    private static void collect(Module m, String prefix, Map<String, Module> out) {
        out.put(prefix, m);
        m.children().forEach((name, child) -> collect(child, prefix + name + ".", out));
    }

    /** {@code "2.weight"} → {@code "2."}; {@code "weight"} → {@code ""}. */
    private static String prefix(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot + 1);
    }
}
