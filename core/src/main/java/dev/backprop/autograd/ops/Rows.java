package dev.backprop.autograd.ops;

import dev.backprop.tensor.Broadcast;

/** Float32 loops for the broadcast patterns that training hits every step, written so the JIT can vectorise them. */
final class Rows {
    private Rows() {}

    /**
     * {@code y = a + sign·b} when each operand is read element for element or as a row repeated under every row (a
     * bias); false for any other pattern.
     */
    static boolean add(float[] a, Broadcast.Reader ra, float[] b, Broadcast.Reader rb, float[] y, float sign) {
        int n = y.length;
        if (ra.identity() && rb.identity()) {
            for (int i = 0; i < n; i++) y[i] = a[i] + sign * b[i];
            return true;
        }
        if (ra.identity() && rb.table() == null && rb.modulus() > 0) {
            int w = rb.modulus();
            for (int row = 0; row < n; row += w) {
                for (int j = 0; j < w; j++) y[row + j] = a[row + j] + sign * b[j];
            }
            return true;
        }
        if (rb.identity() && ra.table() == null && ra.modulus() > 0) {
            int w = ra.modulus();
            for (int row = 0; row < n; row += w) {
                for (int j = 0; j < w; j++) y[row + j] = a[j] + sign * b[row + j];
            }
            return true;
        }
        return false;
    }
}
