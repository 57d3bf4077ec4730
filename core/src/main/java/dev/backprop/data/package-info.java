/** Data sets, seeded batching and shuffling; CSV tables, fitted preprocessing and named data sources; IDX readers. */
package dev.backprop.data;
