package dev.backprop.examples;

import java.util.List;

/** The worked examples of the four seeds, and the guide made of them. */
public final class Seeds {
    private Seeds() {}

    /** Every example, in the guide's order. */
    public static List<SeedExample> all() {
        return List.of(new Seed003(), new Seed000(), new Seed001(), new Seed002());
    }

    /** The example of seed {@code id} ("000" … "003"). */
    public static SeedExample byId(String id) {
        for (SeedExample e : all()) if (e.id().equals(id)) return e;
        throw new IllegalArgumentException("no seed example '" + id + "'; there are " + all().stream().map(SeedExample::id).toList());
    }

    /** The whole of docs/seeds.md. */
    public static String guide() {
        StringBuilder sb = new StringBuilder();
        sb.append("""
                # The seeds' worked examples

                Our user asked for the system that four tutorials on backpropagation describe (`shared/seeds/`). Every
                example they work through runs here, and this guide shows what it gives. **This file is generated**:
                `./backprop example --write-guide docs/seeds.md` writes it from the code, and a test fails when the two
                disagree, so every number below is one the library computed. Run a single example with
                `./backprop example 003` (or 000, 001, 002).

                Where a tutorial's arithmetic is wrong, ours is right and the section says so.

                """);
        for (SeedExample e : all()) {
            sb.append("## ").append(e.title()).append("\n\n");
            sb.append(e.guideSection().strip()).append("\n\n");
        }
        return sb.toString().strip() + "\n";
    }
}
