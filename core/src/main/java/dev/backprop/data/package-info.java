/** Data sets, seeded batching and shuffling, and readers for outside data (IDX). */
package dev.backprop.data;
