package dev.backprop.nn;

import dev.backprop.io.SavedMap;
import dev.backprop.tensor.Shape;
import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Modules applied one after another; child {@code i} is named {@code "i"}, so parameters are {@code "0.weight"},
 * {@code "0.bias"}, {@code "2.weight"}, ...
 *
 * <pre>{@code
 * Sequential net = new Sequential(new Linear(2, 2, rng), Activation.sigmoid(), new Linear(2, 1, rng), Activation.sigmoid());
 * }</pre>
 */
public final class Sequential extends Module {
    /** Saved as {@code {"type": "sequential", "layers": [config, ...]}}; holds its layers' tensors as {@code "i.name"}. */
    public static final ModuleType TYPE = ModuleType.of("sequential", c -> {
        List<Module> layers = new ArrayList<>();
        for (SavedMap layer : c.objects("layers")) layers.add(ModuleTypes.build(layer));
        return new Sequential(layers);
    }, c -> {
        Map<String, Shape> out = new LinkedHashMap<>();
        List<SavedMap> layers = c.objects("layers");
        for (int i = 0; i < layers.size(); i++) ModuleTypes.stateShapes(layers.get(i), i + ".", out);
        return out;
    });

    private final List<Module> layers;

    /** The layers in the order they run; child {@code i} is named {@code "i"}. */
    public Sequential(Module... layers) {
        this(List.of(layers));
    }

    /** The layers in the order they run (the list is copied); child {@code i} is named {@code "i"}. */
    public Sequential(List<? extends Module> layers) {
        this.layers = List.copyOf(layers);
        for (int i = 0; i < this.layers.size(); i++) registerModule(Integer.toString(i), this.layers.get(i));
    }

    /** The layers, in order. */
    public List<Module> layers() {
        return layers;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = x;
        for (Module m : layers) y = m.forward(y, mode);
        return y;
    }

    @Override
    public Map<String, Object> config() {
        List<Map<String, Object>> children = new ArrayList<>();
        for (Module m : layers) children.add(m.config());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", "sequential");
        c.put("layers", children);
        return c;
    }
}
