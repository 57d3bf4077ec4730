package dev.backprop.report;

/**
 * What a classifier predicts over two of its inputs, for the report's decision-boundary map: a grid of predicted
 * classes and their probabilities over {@code [xMin, xMax] × [yMin, yMax]} (row 0 at {@code yMin}), and the data's
 * points with their actual classes.
 *
 * @param xName      the first input's name (the horizontal axis)
 * @param yName      the second input's name
 * @param xMin       the grid's left edge
 * @param xMax       its right edge
 * @param yMin       its bottom edge
 * @param yMax       its top edge
 * @param predicted  {@code [rows][cols]}: the class predicted at each cell's centre
 * @param confidence {@code [rows][cols]}: that class's probability
 * @param px         the points' first inputs
 * @param py         their second inputs
 * @param pclass     their actual classes
 */
public record Boundary(String xName, String yName, double xMin, double xMax, double yMin, double yMax, int[][] predicted,
                       double[][] confidence, double[] px, double[] py, int[] pclass) {
    /** Checks that the grid is rectangular, matches its confidences, and that every point has its class. */
    public Boundary {
        if (predicted.length == 0 || predicted.length != confidence.length) throw new IllegalArgumentException("boundary: an empty or mismatched grid");
        for (int r = 0; r < predicted.length; r++) {
            if (predicted[r].length != predicted[0].length || confidence[r].length != predicted[0].length) {
                throw new IllegalArgumentException("boundary: row " + r + " of the grid has another length");
            }
        }
        if (px.length != py.length || px.length != pclass.length) throw new IllegalArgumentException("boundary: points and classes differ in number");
        if (!(xMin < xMax && yMin < yMax)) throw new IllegalArgumentException("boundary: an empty range");
    }
}
