/** Data sets, seeded batching, shuffling and splits; CSV tables; named data sources; IDX readers. */
package dev.backprop.data;
