/** Modules: layers that hold parameters and compute; activations, dropout, batch normalisation, sequences. */
package dev.backprop.nn;
