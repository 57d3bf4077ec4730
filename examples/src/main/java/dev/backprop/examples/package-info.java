/** The seeds' worked examples, runnable, each checking its numbers and writing its part of docs/seeds.md. */
package dev.backprop.examples;
