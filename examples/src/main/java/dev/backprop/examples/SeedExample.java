package dev.backprop.examples;

/**
 * One of the four tutorials in {@code shared/seeds/}, worked in this library: it computes every number the tutorial
 * shows, checks the tutorial's claims against them, and tells the result as its section of {@code docs/seeds.md}.
 * The guide is generated from these sections, and a test fails when the committed guide and the code disagree.
 *
 * <pre>{@code
 * System.out.print(Seeds.byId("003").guideSection());
 * }</pre>
 */
public interface SeedExample {
    /** The seed's number, e.g. {@code "003"}. */
    String id();

    /** A heading, e.g. "003: a 2-2-2 network with every number". */
    String title();

    /** Runs the example; returns its section of the guide as Markdown, every number computed by this run. */
    String guideSection();
}
