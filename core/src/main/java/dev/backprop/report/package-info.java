/** Reports of a training run: a self-contained HTML page (curves, metrics, network diagram) and PNG curves. */
package dev.backprop.report;
